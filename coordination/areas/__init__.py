"""Commands by area: each area's ``commands`` (frozen dataclasses), ``handlers`` (one per
command, registered with the dispatcher) and ``policy`` (who may do what, checked by the
handlers). Importing ``coordination.areas.handlers`` registers every handler."""
