"""The staff list's name search and unit filter select exactly the rows of their plain definitions
(``name__icontains``, ``unit__path__startswith``), however they are read."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from staff.models import Employee, OrgUnit

NAMES = [
    "I Wayan Sudarma",
    "Ni Wayan Ayu",
    "Made Wayang",
    "Agus Salim",
    "I Ketut Wayan",
    "Ni Luh wayan",
    "Zul",
]


@pytest.fixture
def bureau(personas):
    unit = personas["pegawai"].employee.unit
    Employee.objects.bulk_create(
        [
            Employee(name=name, sex="L", employee_type="NON_ASN", unit=unit, nik=f"51710{i:011d}")
            for i, name in enumerate(NAMES * 3)
        ]
    )
    return unit


def listed(client, **params) -> list[int]:
    response = client.get(reverse("staff:employee_list"), {"per_page": 100, **params})
    assert response.status_code == 200
    return [row.pk for row in response.context["page"].object_list]


@pytest.mark.django_db
@pytest.mark.parametrize("term", ["Wayan", "wayan", "WAYANG", "ayu", "i ", "Zul", "tidak ada", "  Wayan  "])
@pytest.mark.parametrize("sort", ["", "-nama", "-golongan"])
def test_name_search_lists_exactly_the_names_containing_the_term(client_as, bureau, term, sort):
    from staff.filters import SORTS

    client = client_as("kepegawaian")
    expected = Employee.objects.filter(name__icontains=term.strip()).order_by(*SORTS.get(sort or "nama"))
    for _ in range(2):  # the second time with the bounds from the cache
        assert listed(client, q=term, sort=sort) == [e.pk for e in expected], term


@pytest.mark.django_db
def test_a_name_nobody_has_costs_no_page_query(client_as, bureau):
    client = client_as("kepegawaian")
    listed(client, q="Tidak Ada Siapa Pun")
    with CaptureQueriesContext(connection) as ctx:
        assert listed(client, q="Tidak Ada Siapa Pun") == []
    assert not any("staff_employee" in q["sql"] for q in ctx.captured_queries)


@pytest.mark.django_db
def test_a_new_namesake_is_found_on_the_next_request(client_as, bureau):
    client = client_as("kepegawaian")
    assert listed(client, q="Aaron Wayan") == []
    Employee.objects.create(
        name="Aaron Wayan", sex="L", employee_type="NON_ASN", unit=bureau, nik="5171" + "9" * 12
    )
    found = listed(client, q="Wayan")
    assert found[0] == Employee.objects.get(name="Aaron Wayan").pk  # before the old first match, "I Wayan …"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["SETDA", "BUP", "BUP.TU", "BUP.TU.1", "BHK"])
def test_unit_filter_lists_the_unit_and_its_sub_units(client_as, bureau, code):
    unit = OrgUnit.objects.get(code=code)
    expected = Employee.objects.filter(unit__path__startswith=unit.path).order_by("name", "id")
    assert listed(client_as("kepegawaian"), unit=unit.pk) == [e.pk for e in expected]


@pytest.mark.django_db
def test_the_name_search_has_a_trigram_index_on_postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")
        if cursor.fetchone() is None:
            pytest.skip("the server has no pg_trgm")
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'employee_name_trgm_idx'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition and "upper" in definition.lower()
