"""An association's volunteers imported in bulk, checked against the whole database."""
