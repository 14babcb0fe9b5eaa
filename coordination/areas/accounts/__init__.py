"""Registration, sign-in, staff accounts and the roles granted to them."""
