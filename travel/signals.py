"""Signals between the parts of travel/ (the workflow sends; documents and post-trip listen)."""

from django.dispatch import Signal

# sender=Trip, trip=<Trip>, by=<user>: the SPT (and its SPPDs) got numbers at approval.
trip_numbered = Signal()
# sender=Trip, trip=<Trip>, by=<user>: the SPT was cancelled (a numbered one keeps its number, marked batal).
trip_cancelled = Signal()
