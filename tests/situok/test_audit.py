import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from situok.audit import AuditEvent, AuditImmutableError, diff, log_action


@pytest.mark.django_db
def test_log_action_records_actor_target_changes_and_ip(personas, rf):
    admin = personas["admin"]
    request = rf.get("/", REMOTE_ADDR="10.1.2.3")
    request.user = admin
    event = log_action(
        admin.employee, "staff.employee.changed", request=request, changes=diff({"name": "A"}, {"name": "B"})
    )
    event.refresh_from_db()
    assert event.actor == admin
    assert event.actor_label == "admin"
    assert event.ip == "10.1.2.3"
    assert event.target_id == str(admin.employee.pk)
    assert event.target_label == admin.employee.name_with_titles
    assert event.changes == {"name": ["A", "B"]}


def test_diff_lists_only_changed_fields():
    assert diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == {"b": [2, 3]}


@pytest.mark.django_db
def test_audit_events_cannot_be_changed_or_deleted_through_the_orm():
    event = log_action(None, "test.event", data={"x": 1})
    event.action = "test.tampered"
    with pytest.raises(AuditImmutableError):
        event.save()
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action="test.tampered")
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger exists on PostgreSQL")
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE situok_auditevent SET action = 'test.tampered' WHERE id = %s",
        "DELETE FROM situok_auditevent WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_or_delete_audit_events_on_postgresql(sql):
    event = log_action(None, "test.event")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, action="test.event").exists()


@pytest.mark.django_db
def test_audit_admin_offers_no_add_change_or_delete(client_as):
    client = client_as("admin")
    event = log_action(None, "test.event")
    assert client.get(reverse("admin:situok_auditevent_add")).status_code == 403
    assert client.get(reverse("admin:situok_auditevent_delete", args=[event.pk])).status_code == 403
    response = client.post(reverse("admin:situok_auditevent_change", args=[event.pk]), {"action": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).action == "test.event"


@pytest.mark.django_db
def test_audit_list_filters_by_user_action_date_and_object(client_as, personas):
    pegawai = personas["pegawai"]
    log_action(pegawai.employee, "travel.trip.approved", by=personas["pimpinan"])
    log_action(None, "bookings.booking.created", by=pegawai)
    client = client_as("admin")
    html = client.get(reverse("audit_list"), {"action": "travel."}).content.decode()
    assert "travel.trip.approved" in html and "bookings.booking.created" not in html
    html = client.get(reverse("audit_list"), {"user": "pegawai"}).content.decode()
    assert "bookings.booking.created" in html and "travel.trip.approved" not in html
    html = client.get(reverse("audit_list"), {"target_id": str(pegawai.employee.pk)}).content.decode()
    assert "travel.trip.approved" in html and "bookings.booking.created" not in html
    html = client.get(
        reverse("audit_list"), {"date_from": "2000-01-01", "date_to": "2000-01-02"}
    ).content.decode()
    assert "travel.trip.approved" not in html


@pytest.mark.django_db
def test_audit_list_shows_a_clear_error_for_a_bad_date(client_as):
    html = client_as("admin").get(reverse("audit_list"), {"date_from": "31-31-2026"}).content.decode()
    assert "invalid-feedback" in html


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [5, 120])
def test_audit_list_query_count_does_not_grow_with_rows(client_as, rows):
    client = client_as("admin")
    client.get(reverse("audit_list"))  # warm caches (content types, session)
    AuditEvent.objects.bulk_create([AuditEvent(action=f"test.e{i}", actor_label="x") for i in range(rows)])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("audit_list"))
    assert response.status_code == 200
    # session, user, cache versions, the page; permissions and the content types of the filter come
    # from the versioned cache (situok/derived.py); no session write on a quick second request (the
    # idle window is renewed at most once a minute)
    assert len(ctx.captured_queries) == 4, [q["sql"] for q in ctx.captured_queries]
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)


@pytest.mark.django_db
def test_audit_list_pages_with_a_cursor(client_as):
    AuditEvent.objects.bulk_create([AuditEvent(action=f"test.e{i:03d}") for i in range(60)])
    client = client_as("admin")
    first = client.get(reverse("audit_list"), {"action": "test."})
    cursor = first.context["page"].next_cursor
    assert cursor is not None and len(first.context["page"].items) == 50
    second = client.get(reverse("audit_list"), {"action": "test.", "cursor": cursor})
    assert len(second.context["page"].items) == 10
    assert not {e.pk for e in first.context["page"].items} & {e.pk for e in second.context["page"].items}


@pytest.mark.django_db
def test_audit_date_filter_bounds_are_whole_days_in_wita(client_as):
    import datetime as dt

    import time_machine

    # 23:30 WITA on 1 March is 15:30 UTC; 00:30 WITA on 2 March is 16:30 UTC on 1 March.
    with time_machine.travel(dt.datetime(2026, 3, 1, 15, 30, tzinfo=dt.UTC), tick=False):
        log_action(None, "test.late_on_first")
    with time_machine.travel(dt.datetime(2026, 3, 1, 16, 30, tzinfo=dt.UTC), tick=False):
        log_action(None, "test.early_on_second")
    client = client_as("admin")

    def actions(**params):
        page = client.get(reverse("audit_list"), {"action": "test.", **params}).context["page"]
        return {e.action for e in page.items}

    assert actions(date_from="2026-03-01", date_to="2026-03-01") == {"test.late_on_first"}
    assert actions(date_from="2026-03-02", date_to="2026-03-02") == {"test.early_on_second"}
    assert actions(date_from="2026-03-03") == set()
    assert actions(date_to="2026-02-28") == set()


@pytest.mark.django_db
def test_audit_user_filter_for_an_unknown_login_shows_nothing(client_as):
    log_action(None, "test.event")
    page = client_as("admin").get(reverse("audit_list"), {"user": "tidak-ada"}).context["page"]
    assert page.items == []
