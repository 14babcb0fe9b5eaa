"""The operations room: tickets from hotline, TV and social media, handled against deadlines."""
