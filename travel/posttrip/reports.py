"""The trip report: filing, files, acknowledgement, the due lists and reminders, and the panel state."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from situok.audit import diff, log_action, snapshot
from situok.formats import tanggal
from situok.notification_models import Notification
from situok.notifications import notify
from situok.uploads import clean_upload
from situok.workcalendar import next_working_day
from staff.selectors import employee_for_user, supervised_unit_paths

from ..models import Sppd, Trip, TripMember, TripReport, TripReportFile
from ._common import (
    COST_STATUSES,
    MAX_REPORT_ATTACHMENTS,
    MAX_REPORT_PHOTOS,
    NOT_RETURNED_YET,
    NOTIFICATION_CATEGORY,
    OVERDUE_KIND,
    REPORT_FIELDS,
    REQUIRED_REPORT_FIELDS,
    PostTripError,
    Status,
    report_due_working_days,
)
from .access import (
    _delete_file_on_commit,
    report_can_acknowledge,
    report_can_file,
    report_supervisor,
    trip_has_returned,
    trip_lead,
)
from .expenses import _settle_if_complete


# --- Trip report -------------------------------------------------------------------------------------
def trip_report_due(trip: Trip, *, save: bool = False) -> dt.date:
    """The report's due date: ``TRAVEL_REPORT_DUE_WORKING_DAYS`` (default 5) working days after the
    return date, skipping weekends, holidays and cuti bersama (situok.workcalendar). With ``save``, it
    is stored on ``Trip.report_due_date`` when it differs."""
    due = next_working_day(trip.return_date, report_due_working_days())
    if save and trip.report_due_date != due:
        trip.report_due_date = due
        Trip.objects.filter(pk=trip.pk).update(report_due_date=due)
    return due


def _clean_uploads(files: Iterable, *, kinds: tuple[str, ...], field: str) -> list:
    cleaned = []
    for upload in files or ():
        if not upload:
            continue
        try:
            cleaned.append(clean_upload(upload, kinds=kinds))
        except ValidationError as exc:
            name = getattr(upload, "name", "") or _("berkas")
            raise PostTripError(
                _("%(name)s: %(error)s") % {"name": name, "error": " ".join(exc.messages)}, field=field
            ) from exc
    return cleaned


def _notify_user(user, kind: str, *, context: Mapping[str, Any], url: str) -> None:
    if user is not None and user.is_active:
        notify(user, kind, context=context, url=url, category=NOTIFICATION_CATEGORY)


def _report_label(trip: Trip) -> str:
    # Notifications are rendered in the site language (situok.notifications.render_message).
    with translation.override(settings.LANGUAGE_CODE):
        return _("Laporan perjalanan dinas %(spt)s") % {"spt": trip.spt_number or trip.pk}


@transaction.atomic
def trip_report_save(
    trip: Trip,
    *,
    by,
    data: Mapping[str, Any],
    photos: Iterable = (),
    attachments: Iterable = (),
    request=None,
    today: dt.date | None = None,
) -> TripReport:
    """File (or, until it is acknowledged, revise) the trip report: background, activities, results,
    follow-up, photos (JPEG/PNG, re-encoded without EXIF) and attachments (PDF).

    Only the lead traveller or the travel operator, and only after return. The first filing sets the
    trip to *reported*, stamps ``filed_at``, asks the supervisor to acknowledge it and settles the trip
    when every SPPD is already paid.
    """
    today = today or timezone.localdate()
    trip = Trip.objects.select_for_update().get(pk=trip.pk)
    if not report_can_file(by, trip):
        raise PostTripError(
            _("Hanya ketua rombongan atau operator perjalanan dinas yang dapat mengisi laporan.")
        )
    if trip.status == Status.SETTLED:
        raise PostTripError(
            _("Perjalanan dinas sudah selesai dipertanggungjawabkan; laporan tidak dapat diubah.")
        )
    if trip.status not in COST_STATUSES or not trip_has_returned(trip, today):
        raise PostTripError(
            _("Laporan dapat diisi setelah perjalanan dinas selesai (kembali %(date)s).")
            % {"date": tanggal(trip.return_date)}
        )
    report = TripReport.objects.select_for_update().filter(trip=trip).first()
    if report is not None and report.acknowledged_at is not None:
        raise PostTripError(_("Laporan sudah diterima atasan dan tidak dapat diubah lagi."))
    clean = {f: str(data.get(f) or "").strip() for f in REPORT_FIELDS}
    for field in REQUIRED_REPORT_FIELDS:
        if not clean[field]:
            raise PostTripError(_("Bagian ini wajib diisi."), field=field)
    photos, attachments = list(photos or ()), list(attachments or ())
    existing = report.files.values_list("kind", flat=True) if report is not None else []
    if (
        sum(k == TripReportFile.Kind.PHOTO for k in existing) + len([p for p in photos if p])
        > MAX_REPORT_PHOTOS
    ):
        raise PostTripError(_("Paling banyak %(n)s foto.") % {"n": MAX_REPORT_PHOTOS}, field="photos")
    if (
        sum(k == TripReportFile.Kind.ATTACHMENT for k in existing) + len([a for a in attachments if a])
        > MAX_REPORT_ATTACHMENTS
    ):
        raise PostTripError(
            _("Paling banyak %(n)s lampiran.") % {"n": MAX_REPORT_ATTACHMENTS}, field="attachments"
        )
    # Every file is checked before anything is written: a bad one leaves nothing half-saved.
    clean_photos = _clean_uploads(photos, kinds=("jpeg", "png"), field="photos")
    clean_attachments = _clean_uploads(attachments, kinds=("pdf",), field="attachments")

    first_filing = report is None or report.filed_at is None
    if report is None:
        report = TripReport(trip=trip)
        before: dict[str, Any] = {}
    else:
        before = snapshot(report, REPORT_FIELDS)
    for field, value in clean.items():
        setattr(report, field, value)
    if first_filing:
        report.filed_by = by
        report.filed_at = timezone.now()
    report.full_clean()
    report.save()
    for kind, cleaned_files in (
        (TripReportFile.Kind.PHOTO, clean_photos),
        (TripReportFile.Kind.ATTACHMENT, clean_attachments),
    ):
        for cleaned in cleaned_files:
            item = TripReportFile(
                report=report, kind=kind, caption=cleaned.original_name[:255], uploaded_by=by
            )
            item.file.save(cleaned.content.name, cleaned.content, save=False)
            item.save()
    trip_changes: dict[str, list[Any]] = {}
    if trip.report_due_date is None:
        trip_changes["report_due_date"] = [None, trip_report_due(trip)]
        trip.report_due_date = trip_changes["report_due_date"][1]
    if trip.status != Status.REPORTED:
        trip_changes["status"] = [trip.status, Status.REPORTED]
        trip.status = Status.REPORTED
    if trip_changes:
        trip.save(update_fields=[*trip_changes, "updated_at"])
        log_action(trip, "travel.trip.reported", by=by, request=request, changes=trip_changes)
    log_action(
        report,
        "travel.report.filed" if first_filing else "travel.report.changed",
        by=by,
        request=request,
        changes=diff(before, snapshot(report, REPORT_FIELDS)),
        data={"photos": len(clean_photos), "attachments": len(clean_attachments)},
    )
    if first_filing:
        supervisor = report_supervisor(trip)
        _notify_user(
            supervisor.user if supervisor is not None else None,
            "approval_request",
            context={"object_label": _report_label(trip), "actor_name": _actor_name(by)},
            url=reverse("travel:report_acknowledge", args=[trip.pk]),
        )
    _settle_if_complete(trip, by=by, request=request)
    return report


def _actor_name(user) -> str:
    employee = employee_for_user(user)
    if employee is not None:
        return employee.name_with_titles
    return user.get_full_name() or user.get_username()


@transaction.atomic
def trip_report_file_delete(item: TripReportFile, *, by, request=None) -> None:
    """Remove a photo or attachment from a report that is not yet acknowledged."""
    report = TripReport.objects.select_for_update().select_related("trip").get(pk=item.report_id)
    if not report_can_file(by, report.trip):
        raise PostTripError(
            _("Hanya ketua rombongan atau operator perjalanan dinas yang dapat mengubah laporan.")
        )
    if report.acknowledged_at is not None or report.trip.status == Status.SETTLED:
        raise PostTripError(_("Laporan sudah diterima atasan dan tidak dapat diubah lagi."))
    log_action(
        report,
        "travel.report.file_deleted",
        by=by,
        request=request,
        data={"kind": item.kind, "caption": item.caption},
    )
    _delete_file_on_commit(item.file)
    item.delete()


@transaction.atomic
def trip_report_acknowledge(report: TripReport, *, by, note: str = "", request=None) -> TripReport:
    """The lead traveller's direct supervisor acknowledges the filed report (*diterima*); the lead is told."""
    report = TripReport.objects.select_for_update().select_related("trip").get(pk=report.pk)
    if not report_can_acknowledge(by, report):
        raise PostTripError(_("Hanya atasan langsung ketua rombongan yang dapat menerima laporan ini."))
    if report.filed_at is None:
        raise PostTripError(_("Laporan belum dibuat."))
    if report.acknowledged_at is not None:
        raise PostTripError(_("Laporan sudah diterima."))
    report.acknowledged_by = by
    report.acknowledged_at = timezone.now()
    report.acknowledgement_note = str(note or "").strip()
    report.save(update_fields=["acknowledged_by", "acknowledged_at", "acknowledgement_note", "updated_at"])
    log_action(
        report,
        "travel.report.acknowledged",
        by=by,
        request=request,
        data={"note": report.acknowledgement_note},
    )
    lead = trip_lead(report.trip)
    lead_user = lead.employee.user if lead is not None and lead.employee.user_id else report.filed_by
    _notify_user(
        lead_user,
        "approval_decision",
        context={
            "object_label": _report_label(report.trip),
            "actor_name": _actor_name(by),
            "approved": True,
            "note": report.acknowledgement_note,
        },
        url=reverse("travel:report_detail", args=[report.trip_id]),
    )
    return report


# --- Lists and reminders -------------------------------------------------------------------------------
def _needs_report(today: dt.date) -> Q:
    """Trips back from travel without a filed report."""
    back = Q(status=Status.RETURNED) | Q(status__in=NOT_RETURNED_YET, return_date__lt=today)
    filed = TripReport.objects.filter(trip=OuterRef("pk"), filed_at__isnull=False)
    return back & ~Q(Exists(filed))


def reports_due_for(user, *, today: dt.date | None = None) -> QuerySet[Trip]:
    """Trips whose report ``user`` (as lead traveller) still has to file, oldest due first."""
    if not getattr(user, "is_authenticated", False):
        return Trip.objects.none()
    today = today or timezone.localdate()
    lead = TripMember.objects.filter(trip=OuterRef("pk"), is_lead=True, employee__user=user)
    return (
        Trip.objects.filter(_needs_report(today), Exists(lead))
        .select_related("unit")
        .prefetch_related("destinations__region")
        .order_by("return_date", "pk")
    )


def reports_to_acknowledge_for(user) -> list[TripReport]:
    """Filed, unacknowledged reports whose lead traveller reports to ``user``."""
    me = employee_for_user(user)
    if me is None:
        return []
    lead = TripMember.objects.filter(trip=OuterRef("trip"), is_lead=True)
    cond = Q(Exists(lead.filter(employee__supervisor=me)))
    for path in supervised_unit_paths(user):
        cond |= Q(
            Exists(lead.filter(employee__supervisor__isnull=True, employee__unit__path__startswith=path))
        )
    candidates = (
        TripReport.objects.filter(cond, filed_at__isnull=False, acknowledged_at__isnull=True)
        .select_related("trip__unit", "filed_by")
        .prefetch_related("trip__members__employee__unit", "trip__members__employee__supervisor")
        .order_by("filed_at", "pk")
    )
    return [r for r in candidates if report_can_acknowledge(user, r)]


def reports_due_count(user) -> int:
    return reports_due_for(user).count()


def reports_to_acknowledge_count(user) -> int:
    return len(reports_to_acknowledge_for(user))


def _fill_due_dates(today: dt.date) -> int:
    filled = 0
    for trip in Trip.objects.filter(_needs_report(today), report_due_date__isnull=True).only(
        "pk", "return_date", "report_due_date"
    ):
        trip_report_due(trip, save=True)
        filled += 1
    return filled


def reports_overdue(today: dt.date | None = None) -> QuerySet[Trip]:
    """Trips back from travel whose report is past its due date and still not filed (due dates never
    stored — e.g. before the date-driven status ran — are filled in first)."""
    today = today or timezone.localdate()
    _fill_due_dates(today)
    return (
        Trip.objects.filter(_needs_report(today), report_due_date__lt=today)
        .prefetch_related("members__employee__user")
        .order_by("report_due_date", "pk")
    )


def report_reminders_send(today: dt.date | None = None) -> int:
    """Remind the lead traveller of every overdue report, at most once per day per trip (the
    notification itself is the record: a run that finds today's reminder sends nothing). Returns the
    number of reminders sent."""
    today = today or timezone.localdate()
    start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    sent = 0
    for trip in reports_overdue(today):
        lead = trip_lead(trip)
        user = lead.employee.user if lead is not None and lead.employee.user_id else None
        if user is None or not user.is_active:
            continue
        url = reverse("travel:report_edit", args=[trip.pk])
        with transaction.atomic():
            Trip.objects.select_for_update().filter(pk=trip.pk).first()  # one reminder per trip per run
            already = Notification.objects.filter(
                recipient=user, kind=OVERDUE_KIND, url=url, created_at__gte=start
            ).exists()
            if already:
                continue
            notify(
                user,
                OVERDUE_KIND,
                context={
                    "trip": trip,
                    "spt_number": trip.spt_number,
                    "purpose": trip.purpose,
                    "due_date": trip.report_due_date,
                    "days_late": (today - trip.report_due_date).days,
                },
                url=url,
                category=NOTIFICATION_CATEGORY,
            )
            sent += 1
    return sent


def report_reminders_daily(on: dt.date) -> str:
    """Daily run hook (``situok.jobs.register_daily``)."""
    return f"{report_reminders_send(on)} sent"


# --- Panel ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class ReportState:
    report: TripReport | None
    due_date: dt.date | None
    overdue: bool
    can_file: bool
    can_acknowledge: bool


def trip_report_state(user, trip: Trip, *, today: dt.date | None = None) -> ReportState:
    today = today or timezone.localdate()
    report = TripReport.objects.filter(trip=trip).select_related("filed_by", "acknowledged_by").first()
    filed = report is not None and report.filed_at is not None
    due = trip.report_due_date or (trip_report_due(trip) if trip_has_returned(trip, today) else None)
    return ReportState(
        report=report,
        due_date=due,
        overdue=bool(due and not filed and due < today and trip.status in COST_STATUSES),
        can_file=(
            report_can_file(user, trip)
            and trip.status in COST_STATUSES
            and trip_has_returned(trip, today)
            and not (report is not None and report.acknowledged_at)
        ),
        can_acknowledge=bool(
            filed and report.acknowledged_at is None and report_can_acknowledge(user, report)
        ),
    )


def trip_sppds(trip: Trip) -> list[Sppd]:
    return list(
        Sppd.objects.filter(member__trip=trip)
        .select_related("member__employee", "paid_by")
        .order_by("member__order", "member__pk")
    )
