"""Permission-matrix rows (see tests/test_permissions.py)."""

ROWS: list = []


def make_objects(personas) -> dict:
    return {}
