"""Seals behind the QR code of official PDFs (domain.md §8.5): ``/verifikasi/<token>/``.

One seal per (document, kind) — e.g. the SPT of a trip, or the SPPD of one traveller. The public
verification page shows only what is printed on the paper anyway (type, number, date, signer and
names, never a NIK) plus the status and the SHA-256 of the PDF we issued, so anyone holding a
printout can check it is genuine. Services live in :mod:`situok.verification`.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_token() -> str:
    """192 random bits, URL-safe: unguessable and not derived from any id."""
    return secrets.token_urlsafe(24)


class DocumentSeal(models.Model):
    class Status(models.TextChoices):
        VALID = "valid", _("Sah")
        CANCELLED = "cancelled", _("Dibatalkan")
        SUPERSEDED = "superseded", _("Digantikan dokumen lain")

    token = models.CharField(_("token"), max_length=64, unique=True, default=new_token, editable=False)
    kind = models.CharField(
        _("jenis dokumen"), max_length=40, help_text=_("Kode jenis, misalnya travel.spt.")
    )
    title = models.CharField(_("judul dokumen"), max_length=200)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    number = models.CharField(_("nomor dokumen"), max_length=120, blank=True)
    issued_on = models.DateField(_("tanggal dokumen"), null=True, blank=True)
    signer_name = models.CharField(_("penanda tangan"), max_length=200, blank=True)
    persons = models.JSONField(_("nama yang tercantum"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.VALID)
    sha256 = models.CharField(_("SHA-256 berkas PDF"), max_length=64, blank=True)
    printed_count = models.PositiveIntegerField(_("jumlah cetak"), default=0)
    created_at = models.DateTimeField(_("dibuat pada"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah pada"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("segel verifikasi dokumen")
        verbose_name_plural = _("segel verifikasi dokumen")
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind"], name="documentseal_unique_doc"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.number}".strip()
