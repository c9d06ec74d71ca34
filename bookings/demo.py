"""Demo resources and bookings for ``seed_demo``."""


def seed_bookings(scale: int = 1) -> int:
    return 0
