"""Cached derived data (situok/derived.py): every write path gives a fresh value on the next request."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from situok import derived
from situok.audit import AuditEvent
from situok.pagination import id_page
from staff.models import Employee, OrgUnit, Position


def result_count(client, **params) -> str:
    html = client.get(reverse("staff:employee_list"), params).content.decode()
    start = html.index('data-testid="result-count">') + len('data-testid="result-count">')
    return html[start : html.index("</p>", start)]


def new_employee(unit, i: int) -> Employee:
    return Employee(
        name=f"Pegawai Baru {i:03d}", sex="L", employee_type="NON_ASN", unit=unit, nik=f"51710{i:011d}"
    )


@pytest.mark.django_db
class TestStaffListCount:
    def test_a_created_employee_is_counted_on_the_next_request(self, client_as, personas):
        client = client_as("kepegawaian")
        before = int(result_count(client).split()[0])
        assert int(result_count(client).split()[0]) == before  # now from the cache
        new_employee(personas["pegawai"].employee.unit, 1).save()
        assert int(result_count(client).split()[0]) == before + 1

    def test_bulk_create_update_and_delete_bump_the_version(self, client_as, personas):
        client = client_as("kepegawaian")
        unit = personas["pegawai"].employee.unit
        before = int(result_count(client).split()[0])
        Employee.objects.bulk_create([new_employee(unit, i) for i in range(7)])
        assert int(result_count(client).split()[0]) == before + 7
        assert result_count(client, q="Pegawai Baru").startswith("7 ")
        Employee.objects.filter(name__startswith="Pegawai Baru").update(name="Diganti")
        assert result_count(client, q="Pegawai Baru").startswith("0 ")
        Employee.objects.filter(name="Diganti").delete()
        assert int(result_count(client).split()[0]) == before

    def test_raw_sql_writes_bump_the_version_too(self, client_as, personas):
        client = client_as("kepegawaian")
        pegawai = personas["pegawai"].employee
        assert result_count(client, q="Nama Dari SQL").startswith("0 ")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE staff_employee SET name = %s WHERE id = %s", ["Nama Dari SQL", pegawai.pk])
        assert result_count(client, q="Nama Dari SQL").startswith("1 ")

    def test_moving_a_unit_changes_the_unit_filter_count(self, client_as, personas):
        client = client_as("kepegawaian")
        biro = OrgUnit.objects.get(code="BUP")
        before = int(result_count(client, unit=biro.pk).split()[0])
        other = personas["luar"].employee
        other.unit = personas["pegawai"].employee.unit
        other.save()
        assert int(result_count(client, unit=biro.pk).split()[0]) == before + 1

    def test_a_rolled_back_write_never_leaves_its_count_behind(self, client_as, personas):
        client = client_as("kepegawaian")
        unit = personas["pegawai"].employee.unit
        before = result_count(client)
        with pytest.raises(RuntimeError), transaction.atomic():
            Employee.objects.bulk_create([new_employee(unit, i) for i in range(3)])
            # counted (and cached) inside the transaction, under a version nobody else will ever see
            assert derived.cached_count(Employee.objects.all(), depends_on=("staff",)) > 0
            raise RuntimeError
        assert result_count(client) == before


@pytest.mark.django_db
def test_unit_dropdown_shows_a_renamed_or_new_unit_on_the_next_request(client_as):
    client = client_as("kepegawaian")
    url = reverse("staff:employee_list")
    unit = OrgUnit.objects.order_by("path").last()
    assert unit.name in client.get(url).content.decode()
    OrgUnit.objects.filter(pk=unit.pk).update(name="Unit Berganti Nama")
    html = client.get(url).content.decode()
    assert "Unit Berganti Nama" in html
    # the cached choices also validate: the renamed unit filters
    response = client.get(url, {"unit": unit.pk})
    assert response.context["filter"].form.is_valid()
    assert response.context["filter"].form.cleaned_data["unit"].name == "Unit Berganti Nama"


@pytest.mark.django_db
def test_position_writes_bump_the_staff_version(personas):
    before = derived.versions()["staff"]
    Position.objects.filter(pk=Position.objects.first().pk).update(name="Jabatan Baru")
    assert derived.versions()["staff"] != before


@pytest.mark.django_db
class TestPermissionCache:
    def test_a_permission_granted_to_a_group_applies_on_the_next_request(self, client_as, personas):
        client = client_as("pegawai")
        assert client.get(reverse("audit_list")).status_code == 403
        group = Group.objects.get(name="pegawai")
        group.permissions.add(Permission.objects.get(codename="view_auditevent"))
        assert client.get(reverse("audit_list")).status_code == 200
        group.permissions.clear()
        assert client.get(reverse("audit_list")).status_code == 403

    def test_group_membership_changes_apply_on_the_next_request(self, client_as, personas):
        client = client_as("pegawai")
        assert "Laporan Kepegawaian" not in client.get(reverse("home")).content.decode()
        personas["pegawai"].groups.add(Group.objects.get(name="operator_kepegawaian"))
        assert "Laporan Kepegawaian" in client.get(reverse("home")).content.decode()
        personas["pegawai"].groups.remove(Group.objects.get(name="operator_kepegawaian"))
        assert "Laporan Kepegawaian" not in client.get(reverse("home")).content.decode()

    def test_a_direct_user_permission_applies_on_the_next_request(self, client_as, personas):
        client = client_as("pegawai")
        assert client.get(reverse("audit_list")).status_code == 403
        personas["pegawai"].user_permissions.add(Permission.objects.get(codename="view_auditevent"))
        assert client.get(reverse("audit_list")).status_code == 200

    def test_superuser_and_inactive_flags_are_read_live(self, client_as, personas):
        client = client_as("pegawai")
        user = personas["pegawai"]
        assert client.get(reverse("audit_list")).status_code == 403
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])  # no trigger on this column: the key carries the flag
        assert client.get(reverse("audit_list")).status_code == 200

    def test_the_sets_cost_no_query_once_cached(self, client_as):
        client = client_as("kepegawaian")
        client.get(reverse("home"))
        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("home"))
        assert not any(
            "auth_permission" in q["sql"] or "auth_group" in q["sql"] for q in ctx.captured_queries
        )


@pytest.mark.django_db
def test_versions_are_read_once_per_request(client_as):
    client = client_as("admin")
    client.get(reverse("staff:employee_list"))
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("staff:employee_list"))
    assert sum("situok_cacheversion" in q["sql"] for q in ctx.captured_queries) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("per_page", [3, 4, 5, 23, 30])
def test_id_page_gives_the_same_pages_as_the_plain_paginator_from_either_end(per_page):
    AuditEvent.objects.bulk_create(
        [AuditEvent(action=f"test.{i % 4}", actor_label=f"a{i}") for i in range(23)]
    )
    filtered = AuditEvent.objects.filter(action__startswith="test.").order_by("action", "id")
    plain = Paginator(filtered, per_page)
    for number in [*plain.page_range, 999, "x"]:
        expected = plain.get_page(number)
        page = id_page(
            filtered, AuditEvent.objects.all(), per_page=per_page, number=number, depends_on=("audit",)
        )
        assert page.number == expected.number
        assert [e.pk for e in page.object_list] == [e.pk for e in expected.object_list], number
    empty = id_page(filtered.none(), AuditEvent.objects.all(), per_page=3, number=1, depends_on=("audit",))
    assert list(empty.object_list) == [] and empty.paginator.count == 0
