"""Demo trips for ``seed_demo``."""


def seed_travel(scale: int = 1) -> int:
    return 0
