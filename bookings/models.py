"""Models of bookings/ (built by its own issue)."""
