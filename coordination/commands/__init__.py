"""The application's commands, one module per area; ``coordination.application`` composes them."""
