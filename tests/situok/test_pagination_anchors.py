"""Deep numbered pages read from kept anchors (situok.pagination.id_page): the keys of every page
boundary are kept per version of the list's tables, and a deep page is one keyset query from its
anchor. The pages must be exactly the plain Paginator's, whatever the ordering, ties, filters and
writes."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from situok import pagination
from situok.audit import AuditEvent
from situok.pagination import id_page
from staff.models import Employee

FIELDS = ("id", "name", "golongan", "nip", "internal_number", "unit_id")
SORTS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "golongan": ("golongan", "name", "id"),  # ties on golongan and on name: the id decides
}
# Orderings a row comparison cannot seek: a nullable column, mixed directions, a related column.
UNSEEKABLE = [("internal_number", "id"), ("-golongan", "name", "id"), ("unit__path", "name", "id")]


@pytest.fixture
def staff(personas):
    unit = personas["pegawai"].employee.unit
    Employee.objects.bulk_create(
        [
            Employee(
                # Seven names for 41 rows (ties); quotes and percent signs travel as parameters.
                name=["Ayu", "Made", "I Wayan", "Ni Luh", "Ketut's", "Gede 100%", "Zul"][i % 7],
                golongan=["", "III/a", "IV/b"][i % 3],
                internal_number=None if i % 4 else f"X{i}",
                sex="L",
                employee_type="PNS" if i % 3 else "NON_ASN",
                unit=unit,
                nik=f"51710{i:011d}",
            )
            for i in range(41)
        ]
    )
    return Employee.objects.all()


def values(employees) -> list[tuple]:
    return [tuple(getattr(e, name) for name in FIELDS) for e in employees]


def assert_pages_are_the_plain_ones(qs, per_page: int, **options) -> None:
    plain = Paginator(qs.model.objects.filter(pk__in=qs.values("pk")).order_by(*qs.query.order_by), per_page)
    assert plain.num_pages > 3
    for number in [1, *plain.page_range, 999, "x", None, plain.num_pages - 1, 2]:
        expected = plain.get_page(number)
        page = id_page(qs, per_page=per_page, number=number, depends_on=("staff",), fields=FIELDS, **options)
        assert page.number == expected.number, number
        assert page.paginator.count == plain.count
        assert [tuple(row) for row in page.object_list] == values(expected), number


def anchor_queries(ctx) -> list[str]:
    return [q["sql"] for q in ctx.captured_queries if "ROW_NUMBER" in q["sql"].upper()]


@pytest.fixture
def deep(monkeypatch):
    """Every page past the first is deep (read from an anchor where the ordering allows)."""
    monkeypatch.setattr(pagination, "DIRECT_OFFSET", 0)


@pytest.mark.django_db
@pytest.mark.parametrize("sort", list(SORTS))
@pytest.mark.parametrize("per_page", [3, 4, 10])
@pytest.mark.parametrize("covered", [False, True])
@pytest.mark.parametrize("max_anchors", [4096, 2])  # 2: anchors every few pages, OFFSET from the nearest
def test_anchored_pages_are_the_plain_paginators_pages(
    staff, deep, monkeypatch, sort, per_page, covered, max_anchors
):
    monkeypatch.setattr(pagination, "MAX_ANCHORS", max_anchors)
    with CaptureQueriesContext(connection) as ctx:
        assert_pages_are_the_plain_ones(staff.order_by(*SORTS[sort]), per_page, covered=covered)
    assert len(anchor_queries(ctx)) == 1  # read once, then kept


@pytest.mark.django_db
@pytest.mark.parametrize("sort", list(SORTS))
def test_a_list_already_of_the_rows_values_gives_the_same_pages(staff, deep, sort):
    with CaptureQueriesContext(connection) as ctx:
        assert_pages_are_the_plain_ones(staff.order_by(*SORTS[sort]).values_list(*FIELDS), 4)
    assert len(anchor_queries(ctx)) == 1
    page = id_page(staff.values_list(*FIELDS).order_by(*SORTS[sort]), per_page=4, number=3,
                   depends_on=("staff",), fields=FIELDS)  # fmt: skip
    assert [tuple(row) for row in page.object_list] == values(
        Paginator(staff.order_by(*SORTS[sort]), 4).page(3)
    )
    # Other values (or in another order) are read as the fields.
    other = staff.order_by(*SORTS[sort]).values_list("name", "id")
    page = id_page(other, per_page=4, number=3, depends_on=("staff",), fields=FIELDS)
    assert [tuple(row) for row in page.object_list] == values(
        Paginator(staff.order_by(*SORTS[sort]), 4).page(3)
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "filtered",
    [
        lambda qs: qs.filter(name__icontains="a"),
        lambda qs: qs.filter(golongan="III/a"),
        lambda qs: qs.filter(name__in=["Ketut's", "Gede 100%", "Made"]).exclude(golongan=""),
    ],
)
def test_filtered_lists_have_their_own_anchors(staff, deep, filtered):
    for sort in SORTS.values():
        assert_pages_are_the_plain_ones(filtered(staff).order_by(*sort), 2)


@pytest.mark.django_db
def test_a_deep_page_is_one_keyset_query_from_its_anchor(staff, deep):
    qs = staff.order_by("name", "id")
    plain = Paginator(qs, 5)

    def read(number):
        with CaptureQueriesContext(connection) as ctx:
            page = id_page(qs, per_page=5, number=number, depends_on=("staff",), fields=FIELDS)
        assert [tuple(row) for row in page.object_list] == values(plain.page(number))
        return [q["sql"] for q in ctx.captured_queries if "situok_cacheversion" not in q["sql"]]

    counting = read(6)  # the count, then (not known to be cached yet) the page's keys and its rows
    assert len(counting) == 3 and not any("ROW_NUMBER" in sql.upper() for sql in counting)
    first = read(6)  # the count is cached: the anchors are read, then the page from its anchor
    assert len(first) == 2 and "ROW_NUMBER" in first[0].upper()
    (page_query,) = read(7)
    assert '"page"' in page_query and ">=" in page_query and "OFFSET" not in page_query.upper()
    ordered_by_name = staff.order_by("-name", "-id")  # another ordering: its own anchors
    id_page(ordered_by_name, per_page=5, number=1, depends_on=("staff",), fields=FIELDS)
    with CaptureQueriesContext(connection) as ctx:
        page = id_page(ordered_by_name, per_page=5, number=5, depends_on=("staff",), fields=FIELDS)
    assert len(anchor_queries(ctx)) == 1
    assert [tuple(row) for row in page.object_list] == values(Paginator(ordered_by_name, 5).page(5))


@pytest.mark.django_db
def test_after_a_write_the_pages_follow_the_new_rows(staff, deep, personas):
    qs = staff.order_by("name", "id")
    assert_pages_are_the_plain_ones(qs, 4)
    unit = personas["pegawai"].employee.unit
    # Rows before, between and after the kept anchors; a row gone; a row moved in the order.
    Employee.objects.bulk_create(
        [
            Employee(name=name, sex="P", employee_type="NON_ASN", unit=unit, nik=f"52710{i:011d}")
            for i, name in enumerate(["Aa", "Ketut's", "Made", "Zz", "Ni Luh"])
        ]
    )
    Employee.objects.filter(pk=qs.filter(name="Made")[1].pk).delete()
    Employee.objects.filter(pk=qs.filter(name="Zul").first().pk).update(name="Ab")
    with CaptureQueriesContext(connection) as ctx:
        assert_pages_are_the_plain_ones(qs, 4)
    assert len(anchor_queries(ctx)) == 1  # the new version's anchors


@pytest.mark.django_db
@pytest.mark.parametrize("ordering", UNSEEKABLE)
def test_orderings_a_row_comparison_cannot_seek_keep_their_pages(staff, deep, ordering):
    with CaptureQueriesContext(connection) as ctx:
        for covered in (False, True):
            assert_pages_are_the_plain_ones(staff.order_by(*ordering), 4, covered=covered)
    assert not anchor_queries(ctx)


@pytest.mark.django_db
def test_tables_without_a_version_keep_no_anchors(deep):
    AuditEvent.objects.bulk_create(
        [AuditEvent(action=f"test.{i % 3}", actor_label=f"a{i}") for i in range(20)]
    )
    events = AuditEvent.objects.filter(action__startswith="test.").order_by("action", "id")
    plain = Paginator(events, 3)
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(2):
            for number in plain.page_range:
                page = id_page(
                    events, per_page=3, number=number, depends_on=("audit",), fields=("id", "action")
                )
                assert [row.pk for row in page.object_list] == [e.pk for e in plain.page(number)]
    assert not anchor_queries(ctx)


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{}, {"sort": "-nama"}, {"sort": "golongan", "q": "a"}, {"sort": "unit"}])
def test_the_staff_lists_deep_pages_are_the_plain_paginators(client_as, staff, deep, params):
    client = client_as("admin")
    response = client.get(reverse("staff:employee_list"), {**params, "per_page": 25})
    filtered = response.context["filter"].qs  # the filters' rows (tested in tests/staff), as instances:
    plain = Paginator(
        Employee.objects.filter(pk__in=filtered.values("pk")).order_by(*filtered.query.order_by), 25
    )
    assert plain.num_pages >= 2
    for _ in range(2):  # the second time from the anchors
        for number in plain.page_range:
            response = client.get(reverse("staff:employee_list"), {**params, "per_page": 25, "page": number})
            assert [row.pk for row in response.context["page"].object_list] == [
                e.pk for e in plain.page(number)
            ], number
            assert [e.name for e in plain.page(number)][-1] in response.content.decode().replace(
                "&#x27;", "'"
            )
