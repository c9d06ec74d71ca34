"""Kemendagri region codes (province / regency-city / district), used for travel destinations.

Data: ``situok/data/wilayah_kemendagri_2025.csv`` (see ``situok/data/README.md`` for its source).
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "wilayah_kemendagri_2025.csv"


class Region(models.Model):
    class Level(models.IntegerChoices):
        PROVINCE = 1, _("Provinsi")
        REGENCY = 2, _("Kabupaten/Kota")
        DISTRICT = 3, _("Kecamatan")

    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120, db_index=True)
    level = models.PositiveSmallIntegerField(_("tingkat"), choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        app_label = "situok"
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def province_code(self) -> str:
        return self.code[:2]


@transaction.atomic
def regions_load(path: Path = DATA_FILE) -> tuple[int, int]:
    """Insert missing regions and rename changed ones; returns (created, updated). Idempotent."""
    existing = dict(Region.objects.values_list("code", "name"))
    created: list[Region] = []
    updated: list[Region] = []
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            code, name, level = row["kode"].strip(), row["nama"].strip(), int(row["tingkat"])
            parent = code.rsplit(".", 1)[0] if "." in code else None
            if code not in existing:
                created.append(Region(code=code, name=name, level=level, parent_id=parent))
            elif existing[code] != name:
                updated.append(Region(code=code, name=name, level=level, parent_id=parent))
    # The CSV lists parents before children, so one ordered bulk insert satisfies the foreign key.
    Region.objects.bulk_create(created, batch_size=2000)
    Region.objects.bulk_update(updated, ["name"], batch_size=2000)
    return len(created), len(updated)
