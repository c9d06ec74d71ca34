"""The register's destination selects: the regency select is dependent on the province (only its regencies,
none without a province), validation still takes any regency, the province wins over a regency outside it,
and the htmx view travel:regency_options refills the select when the province changes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from matrix_travel import setup_travel

from situok.regions import Region
from travel.filters import TripFilter
from travel.models import Trip, TripDestination, TripMember

pytestmark = pytest.mark.django_db

PLACEHOLDER = '<option value="" selected>— pilih provinsi dulu —</option>'


@pytest.fixture
def travel(personas):
    setup_travel()
    return personas


def _trip(employee, region: str, day: dt.date) -> Trip:
    trip = Trip.objects.create(
        unit=employee.unit, purpose="Koordinasi", travel_type="luar_kota", depart_date=day,
        return_date=day, status=Trip.Status.NUMBERED, spt_number=f"800.1.11.1/{day.day}/B.Um/2026",
        spt_date=day, dasar=["Undangan"],
    )  # fmt: skip
    TripMember.objects.create(trip=trip, employee=employee, order=0, is_lead=True)
    TripDestination.objects.create(trip=trip, order=0, region_id=region, place="Kantor")
    return trip


def _select(html: str, name: str) -> str:
    """The options of the page's ``name`` select, whitespace between tags dropped."""
    found = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert found, name
    return re.sub(r">\s+<", "><", found.group(1).strip())


def _values(options: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"', options)


def _page(client, **params):
    response = client.get(reverse("travel:register"), params)
    assert response.status_code == 200
    return response, response.content.decode()


def _rows(html: str) -> set[str]:
    return set(re.findall(r'href="/perjalanan-dinas/spt/(\d+)/"', html))


@pytest.fixture
def trips(travel):
    pegawai = travel["pegawai"].employee
    return {
        "gianyar": _trip(pegawai, "51.04", dt.date(2026, 3, 2)),
        "denpasar": _trip(pegawai, "51.71", dt.date(2026, 3, 3)),
        "jakarta": _trip(pegawai, "31.71", dt.date(2026, 3, 4)),
    }


def test_without_a_province_the_regency_select_only_asks_for_one(client_as, trips):
    _, html = _page(client_as("perjalanan"))
    assert _select(html, "regency") == PLACEHOLDER
    assert "51.04" not in _select(html, "regency")
    # The province select refills it through htmx (its own request, not pushed into the history).
    assert (
        '<select name="province" hx-get="/perjalanan-dinas/cari/kabupaten/" hx-target="#id_regency" '
        'hx-swap="innerHTML" hx-include="#id_regency" hx-push-url="false" class="form-select" id="id_province">'
    ) in html


def test_a_province_lists_its_regencies_only_without_javascript_too(client_as, trips):
    _, html = _page(client_as("perjalanan"), province="51")
    options = _select(html, "regency")
    assert _values(options) == ["", "51.03", "51.04", "51.71"]  # by code, after the empty option
    assert options.startswith('<option value="" selected>---------</option>')
    assert '<option value="51.04">KABUPATEN GIANYAR (51.04)</option>' in options
    assert '<option value="51" selected>' in _select(html, "province")
    assert _rows(html) == {str(trips["gianyar"].pk), str(trips["denpasar"].pk)}
    _, jakarta = _page(client_as("perjalanan"), province="31")
    assert _values(_select(jakarta, "regency")) == ["", "31.71"]


def test_an_old_link_with_a_regency_only_keeps_it_selected_among_its_provinces_regencies(client_as, trips):
    _, html = _page(client_as("perjalanan"), regency="51.04")
    options = _select(html, "regency")
    assert _values(options) == ["", "51.03", "51.04", "51.71"]
    assert '<option value="51.04" selected>KABUPATEN GIANYAR (51.04)</option>' in options
    assert " selected" not in _select(html, "province").replace('<option value="" selected>', "")
    assert _rows(html) == {str(trips["gianyar"].pk)}


def test_any_regency_is_valid_and_a_regency_inside_the_province_narrows_it(client_as, trips):
    response, html = _page(client_as("perjalanan"), province="51", regency="51.71")
    assert response.context["filter"].form.cleaned_data["regency"].code == "51.71"
    assert '<option value="51.71" selected>' in _select(html, "regency")
    assert _rows(html) == {str(trips["denpasar"].pk)}
    _, jakarta = _page(client_as("perjalanan"), regency="31.71")
    assert _rows(jakarta) == {str(trips["jakarta"].pk)}
    # Not a regency (a province code, a district code, nothing): an error, the filter is left out.
    for wrong in ("51", "51.04.01", "99.99"):
        response, html = _page(client_as("perjalanan"), regency=wrong)
        assert "regency" in response.context["filter"].form.errors, wrong
        assert 'id="id_regency_error"' in html and len(_rows(html)) == 3


def test_the_province_wins_over_a_regency_outside_it(client_as, trips):
    response, html = _page(client_as("perjalanan"), province="31", regency="51.04")
    filterset = response.context["filter"]
    assert filterset.form.cleaned_data["regency"] is None and not filterset.form.errors
    assert _rows(html) == {str(trips["jakarta"].pk)}  # the province's trips, the regency ignored
    assert (
        _select(html, "regency")
        == '<option value="" selected>---------</option><option value="31.71">KOTA ADM. JAKARTA PUSAT (31.71)</option>'
    )
    # The exports' subtitle agrees with the table.
    described = TripFilter({"province": "31", "regency": "51.04"}, queryset=Trip.objects.none()).describe()
    assert "Provinsi tujuan" in described and "Kabupaten/kota tujuan" not in described


def _options(client, **params) -> str:
    response = client.get(reverse("travel:regency_options"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_options_view_returns_the_regencies_of_the_province(client_as, travel):
    client = client_as("pegawai")  # any signed-in user: region names are not restricted
    bali = _options(client, province="51")
    assert bali == (
        '<option value="">---------</option><option value="51.03">KABUPATEN BADUNG (51.03)</option>'
        '<option value="51.04">KABUPATEN GIANYAR (51.04)</option>'
        '<option value="51.71">KOTA DENPASAR (51.71)</option>'
    )
    assert "<select" not in bali and "31.71" not in bali
    # The chosen regency stays selected when it lies in the province; outside it the province wins.
    assert '<option value="51.04" selected>KABUPATEN GIANYAR (51.04)</option>' in _options(
        client, province="51", regency="51.04"
    )
    jakarta = _options(client, province="31", regency="51.04")
    assert " selected" not in jakarta and _values(jakarta) == ["", "31.71"]
    # No province, or an unknown one: only the empty option, asking for a province.
    assert _options(client) == '<option value="">— pilih provinsi dulu —</option>'
    assert _options(client, province="99") == '<option value="">— pilih provinsi dulu —</option>'
    assert _options(client, province="51.04") == '<option value="">— pilih provinsi dulu —</option>'
    # An old regency alone: its province's regencies, with it selected.
    assert '<option value="51.71" selected>' in _options(client, regency="51.71")


def test_the_options_are_escaped_and_follow_region_writes(client_as, travel):
    client = client_as("perjalanan")
    assert "KABUPATEN BADUNG" in _options(client, province="51")  # cached for this version
    assert "KABUPATEN BADUNG" in _select(_page(client, province="51")[1], "regency")  # so is the page's form
    Region.objects.filter(pk="51.03").update(name="Badung <b>\"&'")
    Region.objects.create(code="51.02", name="KABUPATEN TABANAN", level=Region.Level.REGENCY, parent_id="51")
    options = _options(client, province="51")
    assert '<option value="51.03">Badung &lt;b&gt;&quot;&amp;&#x27; (51.03)</option>' in options
    assert "<b>" not in options and _values(options) == ["", "51.02", "51.03", "51.04", "51.71"]
    _, html = _page(client, province="51")
    assert "Badung &lt;b&gt;&quot;&amp;&#x27; (51.03)" in _select(html, "regency")
    assert "51.02" in _select(html, "regency")


def test_the_options_view_is_get_only_and_needs_a_sign_in(client, client_as, travel):
    url = reverse("travel:regency_options")
    assert client.get(url, {"province": "51"}).status_code == 302
    assert client_as("pegawai").post(url, {"province": "51"}).status_code == 405
