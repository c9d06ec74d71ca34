"""The register page's markup, built in Python (travel.views): the same rows, links, ids and labels as the
template it replaced, in both languages, and the htmx partial with the table only."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from matrix_travel import setup_travel

from travel.models import BudgetLine, Trip, TripDestination, TripMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def travel(personas):
    setup_travel()
    return personas


def _trip(employee, day, **fields) -> Trip:
    trip = Trip.objects.create(
        unit=employee.unit, purpose="Koordinasi", travel_type="luar_kota", depart_date=day,
        return_date=fields.pop("return_date", day + dt.timedelta(days=2)), dasar=["Undangan"], **fields,
    )  # fmt: skip
    TripMember.objects.create(trip=trip, employee=employee, order=0, is_lead=True)
    TripDestination.objects.create(trip=trip, order=0, region_id="51.04", place="Kantor <Bupati> & Co")
    return trip


def _body(response) -> str:
    return response.content.decode()


def test_a_row_shows_number_unit_dates_travellers_destination_budget_and_status(travel, client_as):
    pegawai = travel["pegawai"].employee
    line = BudgetLine.objects.create(year=2026, kode_rekening="5.1.02.04.01.0001", name="Belanja perjadin")
    numbered = _trip(
        pegawai, dt.date(2026, 3, 2), status=Trip.Status.NUMBERED, spt_number="800.1.11.1/7/B.Um/2026",
        spt_date=dt.date(2026, 2, 27), budget_line=line,
    )  # fmt: skip
    draft = _trip(pegawai, dt.date(2026, 3, 1), return_date=dt.date(2026, 3, 1))
    html = _body(client_as("perjalanan").get(reverse("travel:register")))
    unit = pegawai.unit.abbreviation or pegawai.unit.name
    # One line per row, bare cells: .spt-register (static/css/app.css) styles the columns.
    assert (
        f'<tr><td><a href="/perjalanan-dinas/spt/{numbered.pk}/">800.1.11.1/7/B.Um/2026</a><div>{unit}</div></td>'
        f"<td>27 Februari 2026</td><td>{pegawai.name_with_titles}</td>"
        "<td>Kantor &lt;Bupati&gt; &amp; Co (KABUPATEN GIANYAR)</td>"
        "<td>2 Maret 2026<br>4 Maret 2026<div>3 hari</div></td><td>5.1.02.04.01.0001</td>"
        '<td><span class="badge text-bg-success" data-testid="trip-status">Bernomor</span></td></tr>\n'
    ) in html
    # A draft: its id, no SPT date nor budget line, a one-day trip shows one date.
    assert f'<a href="/perjalanan-dinas/spt/{draft.pk}/">SPT draf #{draft.pk}</a>' in html
    assert (
        "<td>1 Maret 2026<div>1 hari</div></td><td>—</td>"
        '<td><span class="badge text-bg-secondary" data-testid="trip-status">Draf</span></td></tr>'
    ) in html
    assert html.index(f"/spt/{numbered.pk}/") < html.index(f"/spt/{draft.pk}/")  # newest departure first


def test_the_page_keeps_its_form_export_links_table_head_and_pages(travel, client_as):
    for i in range(3):
        _trip(travel["pegawai"].employee, dt.date(2026, 1, 5) + dt.timedelta(days=i))
    client = client_as("perjalanan")
    html = _body(client.get(reverse("travel:register"), {"province": "51", "per_page": 25}))
    assert '<h1 class="h4 mb-0">Buku Register SPT</h1>' in html
    assert (
        'href="/ekspor/travel-register/xlsx/?province=51&amp;per_page=25" data-testid="export-xlsx"' in html
    )
    assert 'href="/ekspor/travel-register/pdf/?province=51&amp;per_page=25" data-testid="export-pdf"' in html
    assert 'hx-get="/perjalanan-dinas/register/" hx-target="#register-rows" hx-push-url="true"' in html
    assert html.count('<div class="col-12 col-sm-6 col-md-4 col-lg-3">\n<div class="mb-3">') == 10
    assert 'hx-get="/perjalanan-dinas/cari/kabupaten/" hx-target="#id_regency"' in html
    assert '<option value="51" selected>' in html
    assert '<option value="25" selected>25</option><option value="50">50</option>' in html
    assert '<div id="register-rows">\n<div class="table-responsive">' in html
    assert (
        '<table class="table table-sm table-hover align-middle spt-register" data-testid="register-table">'
        in html
    )
    assert (
        '<thead><tr><th scope="col">Nomor SPT</th><th scope="col">Tanggal SPT</th><th scope="col">Pelaksana</th>'
        '<th scope="col">Tujuan</th><th scope="col">Berangkat – kembali</th><th scope="col">Mata anggaran</th>'
        '<th scope="col">Status</th></tr></thead>'
    ) in html
    assert "Menampilkan SPT unit" not in html  # sees every SPT
    assert 'data-testid="next-page"' not in html and "Halaman pertama" not in html
    # Pages: the first link drops the cursor, the next one adds it to the filters.
    for i in range(30):
        _trip(travel["pegawai"].employee, dt.date(2026, 2, 1) + dt.timedelta(days=i))
    first = client.get(reverse("travel:register"), {"province": "51"})
    cursor = first.context["page"].next_cursor
    assert f'href="?province=51&amp;cursor={cursor}" data-testid="next-page">Berikutnya</a>' in _body(first)
    second = _body(client.get(reverse("travel:register"), {"province": "51", "cursor": cursor}))
    assert '<a class="page-link" href="?province=51">Halaman pertama</a>' in second
    unfiltered = client.get(reverse("travel:register"))
    assert f'href="?cursor={unfiltered.context["page"].next_cursor}" data-testid="next-page"' in _body(
        unfiltered
    )


def test_the_htmx_partial_is_the_table_and_pages_only(travel, client_as):
    _trip(travel["pegawai"].employee, dt.date(2026, 1, 5))
    response = client_as("perjalanan").get(
        reverse("travel:register"), {"status": "draft"}, HTTP_HX_REQUEST="true"
    )
    html = _body(response)
    assert html.startswith('\n<div class="table-responsive">') and html.rstrip().endswith("</ul></nav>")
    assert "<form" not in html and "<html" not in html and html.count("<tr>") == 2
    empty = _body(
        client_as("perjalanan").get(reverse("travel:register"), {"status": "settled"}, HTTP_HX_REQUEST="true")
    )
    assert (
        '<tr><td colspan="7" class="text-body-secondary">Tidak ada SPT yang cocok dengan filter.</td></tr>'
        in empty
    )


def test_unit_heads_see_the_scoped_note(travel, client_as):
    html = _body(client_as("atasan").get(reverse("travel:register")))
    assert (
        '<p class="small text-body-secondary">Menampilkan SPT unit yang Anda pimpin dan SPT Anda sendiri.</p>'
        in html
    )


def test_the_page_speaks_english_too_and_each_language_keeps_its_labels(travel, client_as):
    _trip(travel["pegawai"].employee, dt.date(2026, 1, 5))
    indonesian = _body(client_as("perjalanan").get(reverse("travel:register")))
    client = client_as("perjalanan")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = _body(client.get(reverse("travel:register")))
    with translation.override("en"):
        expected = [gettext(text) for text in ("Buku Register SPT", "Nomor SPT", "Terapkan", "Draf")]
    assert all(text in english for text in expected), expected
    assert expected[0] != "Buku Register SPT" and "Buku Register SPT" not in english
    # Each language's markup is built once per process: the other language's labels do not stick.
    assert _body(client_as("perjalanan").get(reverse("travel:register"))).count("Buku Register SPT") == (
        indonesian.count("Buku Register SPT")
    )


def test_the_stylesheet_gives_the_bare_cells_their_columns_layout():
    """What the per-cell classes did, as rules on .spt-register: SPT date and budget line from lg,
    destinations from md (as d-none d-*-table-cell), the secondary lines under the number and the dates."""
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    section = css[css.index("/* --- SPT register") : css.index("/* --- end of SPT register --- */")]
    hidden = ".spt-register > :is(thead, tbody) > tr > :is(:nth-child(2), :nth-child(4), :nth-child(6)) { display: none; }"
    md, lg = section.index("@media (min-width: 768px)"), section.index("@media (min-width: 992px)")
    assert section.index(hidden) < md < lg
    assert ":nth-child(4) { display: table-cell; }" in section[md:lg]
    assert ":is(:nth-child(2), :nth-child(6)) { display: table-cell; }" in section[lg:]
    assert ".spt-register > tbody > tr > td > div { color: var(--bs-secondary-color); }" in section
    assert ":is(:nth-child(1), :nth-child(2), :nth-child(5)) { white-space: nowrap; }" in section
