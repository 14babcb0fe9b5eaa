"""Check-in desks: arrivals and departures, walk-ins, places on the floor, no-shows."""
