"""The operations room: its queue of tickets, statistics and tickets API."""
