"""The cost of a booking request (issue #6: >= 100 requests/s under load): the queries of a created
request and of a refused one are pinned so they do not creep back up, and what the lean path writes
is checked to be what it always wrote (events, audit, approval, assignments, notifications, e-mails)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from slots import at

from bookings import services
from bookings.approval import OPERATOR_ROLE
from bookings.models import Booking, BookingEvent, Building, Resource
from bookings.services import BookingError
from situok.approval_models import ApprovalAction, ApprovalAssignment, ApprovalRequest
from situok.audit import AuditEvent
from situok.notification_models import Notification, NotificationPreference

# A created request: resource rules (blackouts), the conflict check, the resource lock, the booking, its
# event and the approval submit (policy with steps, approvers, request, action, delegations,
# assignments, notifications) and one INSERT of both audit events; plus the service's own
# transaction (a savepoint inside the test's). Raise only with a reason.
CREATED_REQUEST_QUERIES = 15
# A refused one: the rules and the conflict check, inside the service's transaction.
REFUSED_REQUEST_QUERIES = 5


@pytest.fixture
def day() -> dt.date:
    d = timezone.localdate() + dt.timedelta(days=14)
    return d + dt.timedelta(days=(1 - d.weekday()) % 7)


@pytest.fixture
def room(personas) -> Resource:
    building = Building.objects.create(name="Gedung Wiswa Sabha Utama")
    return Resource.objects.create(
        kind=Resource.Kind.ROOM, name="Ruang Rapat Utama", building=building, capacity=30
    )


def _request(personas, room, start, end, who="pegawai"):
    user = personas[who]
    return services.booking_request(
        resource=room, requester=user.employee, start=start, end=end, purpose="Rapat koordinasi", by=user
    )


def test_a_created_request_costs_a_fixed_number_of_queries(personas, room, day):
    _request(personas, room, at(day, "08:00"), at(day, "09:00"))  # first use: policies published, caches
    with CaptureQueriesContext(connection) as ctx:
        booking = _request(personas, room, at(day, "10:00"), at(day, "11:00"))
    assert len(ctx.captured_queries) == CREATED_REQUEST_QUERIES, "\n".join(
        q["sql"][:160] for q in ctx.captured_queries
    )
    # … and it wrote all it always wrote.
    assert list(booking.events.values_list("kind", flat=True)) == [BookingEvent.Kind.CREATED]
    req = ApprovalRequest.objects.get(object_id=booking.pk, document_type="bookings-booking")
    assert req.status == ApprovalRequest.Status.PENDING and req.policy.is_active
    assert list(req.actions.values_list("decision", flat=True)) == [ApprovalAction.Decision.SUBMITTED]
    booking_type = ContentType.objects.get_for_model(Booking)
    events = AuditEvent.objects.filter(target_type=booking_type, target_id=str(booking.pk)).order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions == ["bookings.booking.created", "bookings-booking.approval.submitted"]
    approvers = set(
        ApprovalAssignment.objects.filter(request=req, is_current=True).values_list("user", flat=True)
    )
    assert approvers and personas["pegawai"].pk not in approvers
    notified = set(
        Notification.objects.filter(kind="approval_request", url=req.url).values_list("recipient", flat=True)
    )
    assert notified == approvers


def test_a_refused_request_stays_cheap(personas, room, day):
    first = _request(personas, room, at(day, "10:00"), at(day, "11:00"))
    services.booking_approve(first, by=personas["peminjaman"])
    _request(personas, room, at(day, "13:00"), at(day, "14:00"))  # warm the caches
    with CaptureQueriesContext(connection) as ctx, pytest.raises(BookingError) as exc:
        _request(personas, room, at(day, "10:30"), at(day, "11:30"))
    assert len(ctx.captured_queries) == REFUSED_REQUEST_QUERIES
    assert [b.pk for b in exc.value.conflicts] == [first.pk]
    assert Booking.objects.filter(start=at(day, "10:30")).count() == 0


def test_several_approvers_get_one_notification_each_and_e_mail_as_they_chose(
    personas, room, day, django_capture_on_commit_callbacks, mailoutbox
):
    """Notifications to several approvers are written together: each still gets their own message, and
    the e-mail copy follows each one's preference."""
    users = get_user_model()
    group = Group.objects.get(name=OPERATOR_ROLE)
    extra = [
        users.objects.create_user(f"operator{i}", email=f"operator{i}@example.org", first_name=f"Op{i}")
        for i in range(3)
    ]
    for u in extra:
        u.groups.add(group)
    NotificationPreference.objects.create(user=extra[1], category="approval_request", email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        booking = _request(personas, room, at(day, "10:00"), at(day, "11:00"))
    req = ApprovalRequest.objects.get(object_id=booking.pk, document_type="bookings-booking")
    approvers = set(ApprovalAssignment.objects.filter(request=req).values_list("user", flat=True))
    assert {u.pk for u in extra} <= approvers
    notes = Notification.objects.filter(kind="approval_request", url=req.url)
    assert sorted(notes.values_list("recipient", flat=True)) == sorted(approvers)
    op1 = notes.get(recipient=extra[0])
    assert op1.title and "Ruang Rapat Utama" in op1.title
    mailed = {addr for m in mailoutbox for addr in m.to}
    assert {"operator0@example.org", "operator2@example.org"} <= mailed
    assert "operator1@example.org" not in mailed
