"""The SPT as a document type of the shared approval engine, plus travel's menu, counters and daily job.

:func:`register` (called from ``TravelConfig.ready``) declares ``travel-spt``; the engine owns who
decides, the inbox, the history and the notifications, and calls back into :mod:`travel.services`:
``on_approved`` numbers the SPT and its SPPDs inside the deciding transaction, ``on_changed`` mirrors
the engine's status on the trip.

Default policy
--------------
Two steps: the direct supervisor of the lead traveller (``supervisor``), then the leader (role
``pimpinan``, the head of the Biro). :func:`ensure_travel_policy` publishes it when no version is active;
it is called lazily by ``trip_submit`` and should be called by ``seed_demo``. An Administrator may publish
another chain (e.g. with a condition on ``outside_bali``) in the admin; it is then left alone.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from situok.approval_models import ApprovalPolicy
from situok.approvals import policy_publish, register_document_type

from .models import Trip

TRIP_DOC = "travel-spt"
# Stored data (policy and step names), like the numbering schemes' names: not interface strings.
DEFAULT_POLICY_NAME = "Surat Perintah Tugas"
DEFAULT_STEPS = [
    {"name": "Atasan langsung", "rule": "supervisor"},
    {"name": "Kepala Biro", "rule": "role", "role": "pimpinan"},
]


def ensure_travel_policy() -> ApprovalPolicy:
    """The active SPT policy; publishes the default one when none is active (idempotent)."""
    policy = ApprovalPolicy.objects.filter(document_type=TRIP_DOC, is_active=True).first()
    if policy is not None:
        return policy
    try:
        with transaction.atomic():
            return policy_publish(TRIP_DOC, name=DEFAULT_POLICY_NAME, steps=DEFAULT_STEPS, by=None)
    except IntegrityError:  # a concurrent first submit published it a moment ago
        return ApprovalPolicy.objects.get(document_type=TRIP_DOC, is_active=True)


def _lead(trip: Trip):
    member = trip.members.select_related("employee__unit").order_by("order", "id").first()
    return member.employee if member is not None else None


def _facts(trip: Trip) -> dict[str, Any]:
    codes = [c for c in trip.destinations.values_list("region_id", flat=True) if c]
    origin = (trip.origin_id or "51")[:2]
    return {
        "outside_bali": any(c[:2] != origin for c in codes),
        "days": trip.days,
        "members": trip.members.count(),
        "travel_type": trip.travel_type,
    }


def _url(trip: Trip) -> str:
    return reverse("travel:trip_detail", args=[trip.pk])


def _title(trip: Trip) -> str:
    # Stored on the request and reused in notifications: written in the site language.
    with translation.override(settings.LANGUAGE_CODE):
        lead = _lead(trip)
        return _("SPT %(purpose)s — %(name)s, %(start)s") % {
            "purpose": trip.purpose[:120],
            "name": lead.name_with_titles if lead else "",
            "start": trip.depart_date.strftime("%d-%m-%Y"),
        }


def _my_active_trips(user) -> int:
    from .selectors import my_active_trip_count

    return my_active_trip_count(user)


def _daily_advance(on) -> str:
    from .services import trips_advance

    return f"{trips_advance(on)} SPT"


def register() -> None:
    """Declare the document type, menu items, the home counter and the daily status job (idempotent)."""
    from situok.jobs import register_daily
    from situok.permissions import MenuItem, PendingCounter, register_menu_item, register_pending_counter

    from . import services

    register_document_type(
        TRIP_DOC,
        label=gettext_lazy("Surat Perintah Tugas (perjalanan dinas)"),
        model=Trip,
        facts=_facts,
        url=_url,
        title=_title,
        requester_employee=_lead,
        on_approved=services.trip_number,
        on_changed=services.trip_mirror_status,
    )
    register_menu_item(
        MenuItem(
            "travel",
            gettext_lazy("Perjalanan Dinas"),
            "travel:trip_list",
            "airplane",
            description=gettext_lazy("SPT dan SPPD Anda: susun, ajukan, pantau"),
        )
    )
    register_menu_item(
        MenuItem(
            "travel_register",
            gettext_lazy("Register SPT"),
            "travel:register",
            "journal-text",
            perms=("travel.view_trip",),
            description=gettext_lazy("Buku register SPT dengan filter dan ekspor"),
        )
    )
    register_menu_item(
        MenuItem(
            "travel_recaps",
            gettext_lazy("Rekap Perjalanan Dinas"),
            "travel:recap_employees",
            "bar-chart",
            perms=("travel.view_trip",),
            description=gettext_lazy("Rekap per pegawai dan biaya per bulan menurut mata anggaran"),
        )
    )
    register_pending_counter(
        PendingCounter(
            "travel_my_trips",
            gettext_lazy("Perjalanan dinas saya yang sedang berjalan"),
            "travel:trip_list",
            _my_active_trips,
        )
    )
    register_daily(_daily_advance)
