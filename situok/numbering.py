"""Gap-free, concurrency-safe document numbers.

A number is taken inside the caller's transaction (typically the approval service). The counter row
is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite serialises writers with IMMEDIATE
transactions), incremented and written together with an :class:`IssuedNumber` row. If the caller's
transaction rolls back, the increment rolls back too — so committed numbers are exactly 1..n, with no
gap and no duplicate, and a number once committed is never reused.

Counters are kept per scheme, per year (in WITA — the year turns at midnight Asia/Makassar) and
optionally per numbering office/unit.
"""

from __future__ import annotations

import datetime as dt
import string

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .formats import bulan_romawi

PATTERN_FIELDS = {"kode", "nomor", "unit", "tahun", "bulan", "bulan_romawi"}


def validate_pattern(pattern: str) -> None:
    try:
        names = {fname for _, fname, _, _ in string.Formatter().parse(pattern) if fname is not None}
    except ValueError as exc:
        raise ValidationError(_("Pola nomor tidak valid.")) from exc
    unknown = names - PATTERN_FIELDS
    if unknown:
        raise ValidationError(
            _("Kolom pola tidak dikenal: %(names)s. Yang tersedia: %(known)s."),
            params={"names": ", ".join(sorted(unknown)), "known": ", ".join(sorted(PATTERN_FIELDS))},
        )
    if "nomor" not in names:
        raise ValidationError(_("Pola nomor harus memuat {nomor}."))


class NumberingScheme(models.Model):
    code = models.SlugField(_("kode jenis dokumen"), max_length=60, unique=True)
    name = models.CharField(_("nama"), max_length=150)
    classification_code = models.CharField(
        _("kode klasifikasi arsip"),
        max_length=30,
        blank=True,
        help_text=_("Menurut Permendagri 83/2022, misalnya 000.1.2.3 untuk perjalanan dinas pegawai."),
    )
    pattern = models.CharField(
        _("pola nomor"),
        max_length=120,
        default="{kode}/{nomor}/{unit}/{tahun}",
        validators=[validate_pattern],
        help_text=_("Kolom: {kode}, {nomor}, {unit}, {tahun}, {bulan}, {bulan_romawi}."),
    )
    padding = models.PositiveSmallIntegerField(_("jumlah digit nomor"), default=0)
    per_unit = models.BooleanField(_("nomor per unit"), default=False)
    default_unit = models.CharField(_("singkatan unit bawaan"), max_length=40, default="Biro Umum")

    class Meta:
        app_label = "situok"
        verbose_name = _("skema penomoran")
        verbose_name_plural = _("skema penomoran")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class DocumentCounter(models.Model):
    scheme = models.ForeignKey(NumberingScheme, on_delete=models.PROTECT, related_name="counters")
    year = models.PositiveSmallIntegerField()
    unit_code = models.CharField(max_length=40, blank=True, default="")
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        app_label = "situok"
        constraints = [
            models.UniqueConstraint(fields=["scheme", "year", "unit_code"], name="counter_unique_scope")
        ]

    def __str__(self) -> str:
        return f"{self.scheme.code} {self.year} {self.unit_code}: {self.last_number}"


class IssuedNumber(models.Model):
    scheme = models.ForeignKey(NumberingScheme, on_delete=models.PROTECT, related_name="issued")
    year = models.PositiveSmallIntegerField()
    unit_code = models.CharField(max_length=40, blank=True, default="")
    sequence = models.PositiveIntegerField()
    number = models.CharField(max_length=150)
    issued_at = models.DateTimeField(default=timezone.now)
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)

    class Meta:
        app_label = "situok"
        verbose_name = _("nomor dokumen")
        verbose_name_plural = _("nomor dokumen")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "year", "unit_code", "sequence"], name="issued_unique_sequence"
            ),
        ]

    def __str__(self) -> str:
        return self.number


def format_number(scheme: NumberingScheme, *, sequence: int, unit_code: str, on: dt.date) -> str:
    nomor = str(sequence).zfill(scheme.padding) if scheme.padding else str(sequence)
    return scheme.pattern.format(
        kode=scheme.classification_code,
        nomor=nomor,
        unit=unit_code or scheme.default_unit,
        tahun=on.year,
        bulan=f"{on.month:02d}",
        bulan_romawi=bulan_romawi(on.month),
    )


def _locked_counter(scheme: NumberingScheme, year: int, unit_code: str) -> DocumentCounter:
    qs = DocumentCounter.objects.select_for_update()
    try:
        return qs.get(scheme=scheme, year=year, unit_code=unit_code)
    except DocumentCounter.DoesNotExist:
        pass
    try:
        # Two transactions may both try to create the first counter of a year: the loser's insert
        # fails on the unique constraint inside its savepoint, and it then locks the winner's row.
        with transaction.atomic():
            return DocumentCounter.objects.create(scheme=scheme, year=year, unit_code=unit_code)
    except IntegrityError:
        return qs.get(scheme=scheme, year=year, unit_code=unit_code)


def number_take(
    scheme_code: str,
    *,
    unit_code: str = "",
    on: dt.date | None = None,
    target: models.Model | None = None,
) -> IssuedNumber:
    """Take the next number of ``scheme_code`` for the year of ``on`` (default: today in WITA).

    Must run inside the transaction that uses the number, so a rollback returns it.
    """
    on = on or timezone.localdate()
    with transaction.atomic():
        scheme = NumberingScheme.objects.get(code=scheme_code)
        scope_unit = unit_code if scheme.per_unit else ""
        counter = _locked_counter(scheme, on.year, scope_unit)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return IssuedNumber.objects.create(
            scheme=scheme,
            year=on.year,
            unit_code=scope_unit,
            sequence=counter.last_number,
            number=format_number(scheme, sequence=counter.last_number, unit_code=unit_code, on=on),
            target_type=ContentType.objects.get_for_model(target) if target is not None else None,
            target_id=str(target.pk) if target is not None else "",
        )
