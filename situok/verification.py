"""Seals behind the QR code of official PDFs (domain.md §8.5): services and reads.

Any module that prints an official document follows the same three steps::

    seal = seal_for(obj, "travel.spt", title="Surat Perintah Tugas", number=..., issued_on=...,
                    signer_name=..., persons=[...])
    pdf = render(qr_url=verification_url(seal), token=seal.token)    # deterministic bytes
    seal_record_pdf(seal, pdf, by=request.user, request=request)      # hash + count + audit

Renderers must produce the same bytes for the same document (ReportLab ``invariant=1``, no print time
in the page), so the SHA-256 the public page shows matches every printout of the current version.

The public page (:mod:`situok.views_verification`) shows only what the paper shows anyway — type,
number, date, signer and names — never a NIK: :func:`seal_for` drops long digit runs from the names as
a second line of defence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models, transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from .audit import log_action
from .verification_models import DocumentSeal

__all__ = [
    "DocumentSeal",
    "seal_by_token",
    "seal_for",
    "seal_record_pdf",
    "seals_for",
    "seals_set_status",
    "verification_throttled",
    "verification_url",
]

# Eight digits or more in a row: a NIK (16), a NIP (18), a phone or account number — never a name.
_LONG_DIGITS = re.compile(r"\d{8,}")
TOKEN_MAX_LENGTH = 64


def _clean_name(value: str) -> str:
    return " ".join(_LONG_DIGITS.sub("", str(value or "")).split())


def _content_type(obj: models.Model) -> ContentType:
    return ContentType.objects.get_for_model(obj, for_concrete_model=False)


@transaction.atomic
def seal_for(
    obj: models.Model,
    kind: str,
    *,
    title: str,
    number: str = "",
    issued_on: dt.date | None = None,
    signer_name: str = "",
    persons: Iterable[str] = (),
    status: str | None = None,
    by=None,
) -> DocumentSeal:
    """The seal of document ``kind`` of ``obj`` (created on first print), with the printed facts updated.

    ``persons`` are the names listed on the document (travellers …), names only. ``status`` (optional)
    sets the seal status at the same time, e.g. ``cancelled`` when a cancelled document is printed for
    the first time; ``None`` keeps the current status.
    """
    facts = {
        "title": str(title)[:200],
        "number": str(number or "")[:120],
        "issued_on": issued_on,
        "signer_name": _clean_name(signer_name)[:200],
        "persons": [name for name in (_clean_name(p) for p in persons) if name],
    }
    if status is not None:
        facts["status"] = DocumentSeal.Status(status).value
    seal, created = DocumentSeal.objects.get_or_create(
        content_type=_content_type(obj),
        object_id=str(obj.pk),
        kind=kind,
        defaults={**facts, "created_by": by if getattr(by, "pk", None) else None},
    )
    if not created:
        changed = [name for name, value in facts.items() if getattr(seal, name) != value]
        if changed:
            for name in changed:
                setattr(seal, name, facts[name])
            # ``updated_at`` is left alone: it records the last print (see seal_record_pdf).
            seal.save(update_fields=changed)
    return seal


def verification_url(seal: DocumentSeal) -> str:
    """Absolute URL of the public verification page of ``seal`` (what the QR code encodes)."""
    base = str(getattr(settings, "SITUOK_BASE_URL", "") or "").rstrip("/")
    return base + reverse("verification", args=[seal.token])


@transaction.atomic
def seal_record_pdf(
    seal: DocumentSeal, pdf_bytes: bytes, *, by, request: HttpRequest | None = None
) -> DocumentSeal:
    """Record one print of ``seal``: the SHA-256 of exactly the bytes served, the print count (atomic
    increment) and the audit event ``<kind>.printed``. Returns the refreshed seal."""
    digest = hashlib.sha256(pdf_bytes).hexdigest()
    DocumentSeal.objects.filter(pk=seal.pk).update(
        sha256=digest, printed_count=F("printed_count") + 1, updated_at=timezone.now()
    )
    seal.refresh_from_db(fields=["sha256", "printed_count", "updated_at", "status"])
    log_action(
        seal,
        f"{seal.kind}.printed",
        by=by,
        request=request,
        label=f"{seal.title} {seal.number}".strip(),
        data={
            "kind": seal.kind,
            "number": seal.number,
            "document": f"{seal.content_type.app_label}.{seal.content_type.model}:{seal.object_id}",
            "sha256": digest,
            "printed_count": seal.printed_count,
            "status": seal.status,
        },
    )
    return seal


def seals_for(obj: models.Model):
    """Every seal of ``obj`` (all document kinds)."""
    return DocumentSeal.objects.filter(content_type=_content_type(obj), object_id=str(obj.pk))


@transaction.atomic
def seals_set_status(obj: models.Model, status: str, *, by=None) -> int:
    """Mark every seal of ``obj`` ``cancelled`` or ``superseded`` (or ``valid`` again); returns how many
    changed. The verification page then shows the new status for every printout already out there."""
    status = DocumentSeal.Status(status).value
    seals = list(seals_for(obj).exclude(status=status).values_list("pk", "kind", "number"))
    if not seals:
        return 0
    DocumentSeal.objects.filter(pk__in=[pk for pk, _kind, _number in seals]).update(status=status)
    log_action(
        obj,
        f"verification.seal.{status}",
        by=by,
        data={"seals": [{"kind": kind, "number": number} for _pk, kind, number in seals]},
    )
    return len(seals)


def seal_by_token(token: str) -> DocumentSeal | None:
    """The seal with ``token``, or ``None`` (unknown, malformed or too long)."""
    if not token or len(token) > TOKEN_MAX_LENGTH:
        return None
    return DocumentSeal.objects.filter(token=token).first()


def verification_throttled(client_key: str) -> bool:
    """Count one request of ``client_key`` (the client IP) and say whether it is over the limit.

    Fixed windows in Django's cache: ``SITUOK_VERIFICATION_RATE_LIMIT`` requests (default 30) per
    ``SITUOK_VERIFICATION_RATE_WINDOW`` seconds (default 60). Tokens are unguessable; the limit keeps
    anyone from trying many anyway and protects the public page from floods.
    """
    limit = int(getattr(settings, "SITUOK_VERIFICATION_RATE_LIMIT", 30))
    window = int(getattr(settings, "SITUOK_VERIFICATION_RATE_WINDOW", 60))
    bucket = int(time.time() // window)
    key = f"situok:verify:{client_key}:{bucket}"
    cache.add(key, 0, timeout=window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, timeout=window + 5)
        count = 1
    return count > limit


def rate_window() -> int:
    """Seconds of one rate-limit window (for ``Retry-After``)."""
    return int(getattr(settings, "SITUOK_VERIFICATION_RATE_WINDOW", 60))
