"""Registration hook called from ``TravelConfig.ready``."""


def register() -> None:
    return None
