"""Work-calendar tables: dated days off / declared working days, and office-hour schedules.

The logic that reads and seeds these tables lives in :mod:`situok.workcalendar`; this module only holds
the models (registered by importing them in ``situok/models.py``).

Holidays, cuti bersama and Bali's *dispensasi hari raya suci Hindu* change by decree every year, so
every row carries its legal basis (``dasar_hukum``) and whether an administrator has confirmed it
against the signed SKB / Surat Edaran (domain.md §5.3).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Pergub Bali 58/2023 (in force from 2 Jan 2024), domain.md §5.1. All times WITA.
PERGUB_58_2023 = "Pergub Bali 58/2023"
NORMAL_HOURS: dict[str, dt.time] = {
    "mon_thu_start": dt.time(7, 30),
    "mon_thu_break_start": dt.time(12, 0),
    "mon_thu_break_end": dt.time(13, 0),
    "mon_thu_end": dt.time(16, 30),
    "fri_start": dt.time(7, 30),
    "fri_break_start": dt.time(11, 30),
    "fri_break_end": dt.time(13, 0),
    "fri_end": dt.time(14, 30),
}
# Ramadan: Mon–Thu 08.00–15.30 with 12.00–12.30 break; Fri 08.00–13.30. The Friday break is not
# published (unverified): one hour 11.30–12.30 makes the week the stated 32 h 30 min.
RAMADAN_HOURS: dict[str, dt.time] = {
    "mon_thu_start": dt.time(8, 0),
    "mon_thu_break_start": dt.time(12, 0),
    "mon_thu_break_end": dt.time(12, 30),
    "mon_thu_end": dt.time(15, 30),
    "fri_start": dt.time(8, 0),
    "fri_break_start": dt.time(11, 30),
    "fri_break_end": dt.time(12, 30),
    "fri_end": dt.time(13, 30),
}


class CalendarDay(models.Model):
    """One dated entry of the work calendar (a day may hold several, e.g. a holiday and a dispensation)."""

    class Kind(models.TextChoices):
        LIBUR_NASIONAL = "LIBUR_NASIONAL", _("Libur nasional")
        CUTI_BERSAMA = "CUTI_BERSAMA", _("Cuti bersama")
        DISPENSASI_BALI = "DISPENSASI_BALI", _("Dispensasi hari raya suci Hindu (Bali)")
        # An explicit decision that the date IS a working day for the staff it applies to: it wins over
        # weekends and over every day-off entry on the same date (see workcalendar.is_working_day).
        HARI_KERJA_KHUSUS = "HARI_KERJA_KHUSUS", _("Hari kerja khusus")

    class Source(models.TextChoices):
        COMPUTED_PAWUKON = "computed_pawukon", _("Perhitungan Pawukon")
        HOLIDAYS_PACKAGE = "holidays_package", _("Paket holidays")
        MANUAL = "manual", _("Input manual")

    class AppliesTo(models.TextChoices):
        ALL = "all", _("Semua pegawai")
        HINDU_ONLY = "hindu_only", _("Hanya pegawai beragama Hindu")

    date = models.DateField(_("tanggal"), db_index=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    name = models.CharField(_("nama"), max_length=150)
    source = models.CharField(_("sumber"), max_length=20, choices=Source.choices, default=Source.MANUAL)
    applies_to = models.CharField(
        _("berlaku untuk"), max_length=12, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    is_day_off = models.BooleanField(
        _("hari libur"),
        default=True,
        help_text=_("Kosongkan untuk menyimpan tanggal ini sebagai informasi tanpa meliburkan pegawai."),
    )
    dasar_hukum = models.CharField(_("dasar hukum"), max_length=255, blank=True)
    confirmed = models.BooleanField(_("sudah dikonfirmasi"), default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("dikonfirmasi oleh"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("waktu konfirmasi"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "situok"
        verbose_name = _("hari kalender kerja")
        verbose_name_plural = _("kalender kerja")
        ordering = ["date", "kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["date", "kind", "name"], name="calendarday_unique_entry"),
            models.CheckConstraint(
                condition=~Q(kind="HARI_KERJA_KHUSUS", is_day_off=True),
                name="calendarday_workday_not_off",
                violation_error_message=_("Hari kerja khusus tidak dapat ditandai sebagai hari libur."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"


class WorkSchedule(models.Model):
    """Office hours valid for a period; the defaults are Pergub Bali 58/2023 outside Ramadan.

    Where periods overlap, a Ramadan schedule wins, then the one that started last (see
    ``workcalendar.working_hours``), so the Ramadan rows only need the Ramadan dates.
    """

    name = models.CharField(_("nama"), max_length=120)
    valid_from = models.DateField(_("berlaku mulai"))
    valid_to = models.DateField(_("berlaku sampai"), null=True, blank=True)
    is_ramadan = models.BooleanField(_("jam kerja Ramadan"), default=False)
    mon_thu_start = models.TimeField(_("Senin–Kamis: masuk"), default=NORMAL_HOURS["mon_thu_start"])
    mon_thu_break_start = models.TimeField(
        _("Senin–Kamis: mulai istirahat"), default=NORMAL_HOURS["mon_thu_break_start"]
    )
    mon_thu_break_end = models.TimeField(
        _("Senin–Kamis: selesai istirahat"), default=NORMAL_HOURS["mon_thu_break_end"]
    )
    mon_thu_end = models.TimeField(_("Senin–Kamis: pulang"), default=NORMAL_HOURS["mon_thu_end"])
    fri_start = models.TimeField(_("Jumat: masuk"), default=NORMAL_HOURS["fri_start"])
    fri_break_start = models.TimeField(_("Jumat: mulai istirahat"), default=NORMAL_HOURS["fri_break_start"])
    fri_break_end = models.TimeField(_("Jumat: selesai istirahat"), default=NORMAL_HOURS["fri_break_end"])
    fri_end = models.TimeField(_("Jumat: pulang"), default=NORMAL_HOURS["fri_end"])
    dasar_hukum = models.CharField(_("dasar hukum"), max_length=255, default=PERGUB_58_2023, blank=True)

    class Meta:
        app_label = "situok"
        verbose_name = _("jadwal jam kerja")
        verbose_name_plural = _("jadwal jam kerja")
        ordering = ["-valid_from"]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="workschedule_validity_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="workschedule_valid_period",
                violation_error_message=_("Tanggal akhir berlaku tidak boleh sebelum tanggal mulai."),
            ),
            models.CheckConstraint(
                condition=Q(
                    mon_thu_start__lte=F("mon_thu_break_start"),
                    mon_thu_break_start__lte=F("mon_thu_break_end"),
                    mon_thu_break_end__lte=F("mon_thu_end"),
                    fri_start__lte=F("fri_break_start"),
                    fri_break_start__lte=F("fri_break_end"),
                    fri_break_end__lte=F("fri_end"),
                ),
                name="workschedule_ordered_times",
                violation_error_message=_("Jam masuk, istirahat dan pulang harus berurutan."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def ramadan_defaults(cls) -> dict[str, dt.time | bool | str]:
        """Field values for a Ramadan schedule per Pergub Bali 58/2023 (add name and dates)."""
        return {**RAMADAN_HOURS, "is_ramadan": True, "dasar_hukum": PERGUB_58_2023}
