"""iCalendar (RFC 5545) feed of one resource's bookings, for Outlook/Google Calendar subscriptions.

The feed covers 90 days back to 365 days ahead; pending requests are ``TENTATIVE``, approved and
completed bookings ``CONFIRMED``, blackouts appear as ``Tidak tersedia``. UIDs come from the row ids, so a
calendar that polls the feed updates events instead of duplicating them. Text is escaped and folded
with the work calendar's helpers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from situok.workcalendar import ICS_UID_DOMAIN, _ics_fold, _ics_text, _ics_utc

from .models import Booking, Resource
from .selectors import blackouts_in_range, bookings_in_range

PRODID = "-//Pemerintah Provinsi Bali//SITU OK Peminjaman//ID"
PAST_DAYS, FUTURE_DAYS = 90, 365


def resource_ics(resource: Resource, *, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    start, end = now - dt.timedelta(days=PAST_DAYS), now + dt.timedelta(days=FUTURE_DAYS)
    with translation.override(settings.LANGUAGE_CODE):
        lines = [
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            f"PRODID:{PRODID}",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "X-WR-CALNAME:" + _ics_text(str(_("Peminjaman %(name)s") % {"name": resource})),
            "X-WR-TIMEZONE:Asia/Makassar",
        ]
        stamp = _ics_utc(now)
        for b in bookings_in_range(resource, start, end):
            who = b.outside_party or b.unit.name
            description = [
                str(_("Pemohon: %(name)s") % {"name": b.requester.name_with_titles}),
                str(_("Unit: %(unit)s") % {"unit": who}),
                str(_("Status: %(status)s") % {"status": b.get_status_display()}),
            ]
            if b.destination:
                description.append(str(_("Tujuan: %(place)s") % {"place": b.destination}))
            lines += [
                "BEGIN:VEVENT",
                f"UID:booking-{b.pk}@{ICS_UID_DOMAIN}",
                f"DTSTAMP:{stamp}",
                f"LAST-MODIFIED:{_ics_utc(b.updated_at)}",
                f"DTSTART:{_ics_utc(b.start)}",
                f"DTEND:{_ics_utc(b.end)}",
                "SUMMARY:" + _ics_text(f"{b.purpose} ({who})"),
                "DESCRIPTION:" + _ics_text("\n".join(description)),
                "LOCATION:" + _ics_text(str(resource)),
                "STATUS:" + ("TENTATIVE" if b.status == Booking.Status.PENDING else "CONFIRMED"),
                "END:VEVENT",
            ]
        for x in blackouts_in_range(resource, start, end):
            lines += [
                "BEGIN:VEVENT",
                f"UID:blackout-{x.pk}@{ICS_UID_DOMAIN}",
                f"DTSTAMP:{stamp}",
                f"DTSTART:{_ics_utc(x.start)}",
                f"DTEND:{_ics_utc(x.end)}",
                "SUMMARY:" + _ics_text(str(_("Tidak tersedia: %(reason)s") % {"reason": x.reason})),
                "LOCATION:" + _ics_text(str(resource)),
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        lines.append("END:VCALENDAR")
    return "".join(_ics_fold(line) + "\r\n" for line in lines)
