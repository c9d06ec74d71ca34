"""Numbered pages of values (situok.pagination.id_page with ``fields``) and the helpers of list rows."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix

from situok import pagination
from situok.audit import AuditEvent
from situok.pagination import Row, id_page
from situok.tables import url_maker
from staff.models import Employee

FIELDS = ("id", "action", "actor_label")


@pytest.fixture
def events(db):
    AuditEvent.objects.bulk_create(
        [AuditEvent(action=f"test.{i % 4}", actor_label=f"a{i:02d}") for i in range(23)]
    )
    return AuditEvent.objects.filter(action__startswith="test.").order_by("action", "id")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "ordering", [("action", "id"), ("-action", "-id"), ("action", "-id"), ("-actor_label", "pk")]
)
@pytest.mark.parametrize("covered", [False, True])  # True: deep pages seek their first row (row comparison)
@pytest.mark.parametrize("direct_offset", [0, 250])  # 0: past the first page, keys first or a seek
@pytest.mark.parametrize("per_page", [3, 5, 23, 30])
def test_pages_of_values_are_the_plain_paginators_pages(
    events, monkeypatch, ordering, covered, direct_offset, per_page
):
    monkeypatch.setattr(pagination, "DIRECT_OFFSET", direct_offset)
    events = events.order_by(*ordering)
    plain = Paginator(events, per_page)
    for number in [*plain.page_range, 999, "x", None]:
        expected = plain.get_page(number)
        page = id_page(
            events, per_page=per_page, number=number, depends_on=("audit",), fields=FIELDS, covered=covered
        )
        assert page.number == expected.number
        assert page.paginator.count == plain.count and page.paginator.num_pages == plain.num_pages
        assert [tuple(row) for row in page.object_list] == [(e.pk, e.action, e.actor_label) for e in expected]
        assert all(isinstance(row, Row) and row.pk == row.id for row in page.object_list)


@pytest.mark.django_db
def test_a_page_of_values_is_one_query_near_either_end_and_two_in_the_middle(events, monkeypatch):
    monkeypatch.setattr(pagination, "DIRECT_OFFSET", 3)
    id_page(events, per_page=3, number=1, depends_on=("audit",), fields=FIELDS)  # the count, cached
    queries = {}
    for number in (1, 2, 4, 8):
        with CaptureQueriesContext(connection) as ctx:
            id_page(events, per_page=3, number=number, depends_on=("audit",), fields=FIELDS)
        queries[number] = len(ctx.captured_queries)
    # (plus the count: the audit table has no cache version) page 8 of 8 is read from the end
    assert queries[1] == queries[2] == queries[8] == queries[4] - 1


@pytest.mark.django_db
def test_an_empty_list_has_one_empty_page_and_costs_no_page_query(events):
    with CaptureQueriesContext(connection) as ctx:
        page = id_page(events.none(), per_page=5, number=3, depends_on=("audit",), fields=FIELDS)
    assert page.number == 1 and list(page.object_list) == [] and page.paginator.count == 0
    assert not ctx.captured_queries
    page = id_page(
        events.filter(action="nothing"), per_page=5, number=1, depends_on=("audit",), fields=FIELDS
    )
    assert list(page.object_list) == [] and page.paginator.count == 0


@pytest.mark.django_db
@pytest.mark.django_db
def test_a_covered_deep_page_is_one_query_seeking_its_first_row(events, monkeypatch):
    monkeypatch.setattr(pagination, "DIRECT_OFFSET", 3)
    with CaptureQueriesContext(connection) as ctx:
        page = id_page(events, per_page=3, number=4, depends_on=("audit",), fields=FIELDS, covered=True)
    page_queries = [q["sql"] for q in ctx.captured_queries if "OFFSET" in q["sql"].upper()]
    assert len(page_queries) == 1 and '"page"' in page_queries[0]
    assert [row.pk for row in page.object_list] == [e.pk for e in events[9:12]]


def test_rows_read_only_plain_columns_by_their_attribute_names():
    with pytest.raises(ValueError, match="unit_id"):
        pagination._rows_spec(Employee, ("id", "unit"), "default")
    with pytest.raises(ValueError, match="conversion"):
        pagination._rows_spec(Employee, ("id", "birth_date"), "default")
    with pytest.raises(ValueError, match="include 'id'"):
        pagination._rows_spec(Employee, ("name",), "default")
    spec = pagination._rows_spec(Employee, ("id", "name", "unit_id"), "default")
    row = spec.row((7, "Ayu", 3))
    assert (row.pk, row.id, row.name, row.unit_id) == (7, 7, "Ayu", 3) and row == (7, "Ayu", 3)
    assert "name='Ayu'" in repr(row)


def test_url_maker_gives_the_reversed_url_and_follows_the_script_prefix():
    make = url_maker("staff:employee_detail")
    assert make(42) == reverse("staff:employee_detail", args=[42])
    set_script_prefix("/situok/")
    try:
        assert url_maker("staff:employee_detail")(42) == reverse("staff:employee_detail", args=[42])
        assert reverse("staff:employee_detail", args=[42]).startswith("/situok/")
    finally:
        set_script_prefix("/")
    assert url_maker("staff:employee_detail")(7) == reverse("staff:employee_detail", args=[7])


def test_render_rows_keeps_braces_and_escapes_every_cell():
    from situok.tables import Column, render_rows

    html = render_rows([("<a>", "{x}")], [Column(lambda r: r[0], "c{1}"), Column(lambda r: r[1])], indent="{")
    assert html == '{<tr>\n{  <td class="c{1}">&lt;a&gt;</td>\n{  <td>{x}</td>\n{</tr>\n'
