"""Training from the pages: organisers schedule sessions and record attendance, volunteers enrol."""
