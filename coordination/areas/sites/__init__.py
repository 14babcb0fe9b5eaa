"""Sites, shifts, associations and desk devices: set up by the staff who run them."""
