"""National administration: sites, shifts, devices, associations and roles over the API."""
