"""Writes of the organisation. Every change goes through a function here."""

from __future__ import annotations

from django.db import transaction

from .models import OrgUnit


@transaction.atomic
def unit_save(unit: OrgUnit) -> OrgUnit:
    """Save a unit and keep the materialised paths of it and its sub-units right."""
    if unit.pk is None:
        unit.path = ""
        unit.save()
    old_path = unit.path
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.save()
    if old_path and old_path != unit.path:
        for child in OrgUnit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk):
            child.path = unit.path + child.path[len(old_path) :]
            child.save(update_fields=["path"])
    return unit
