"""The HTTP scenarios, declared as data. To add one, append a ``Scenario`` (see ``bench/README.md``).

``path`` may use ``{placeholders}`` filled from :func:`path_context` (facts about the loaded data, e.g.
``{popular_actor}``, ``{mid_from}``), so scenarios stay valid whatever day the data was generated.
``deep_cursor`` is the share of requests that append ``cursor=<random id>`` somewhere in the oldest 90 %
of the table, i.e. a user paging far back (keyset pagination must cost the same at any depth).
``headers`` are sent with every request of the scenario (e.g. ``HX-Request`` for an htmx partial).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from .dataset import POPULAR_ACTOR, RARE_ACTOR, DatasetFacts, StaffFacts


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    needs_login: bool = False
    deep_cursor: float = 0.0
    description: str = ""
    headers: tuple[tuple[str, str], ...] = ()

    def url(self, context: dict[str, str], rng: random.Random, cursor_range: tuple[int, int]) -> str:
        """The request path for one request (a fresh random cursor where the scenario asks for one)."""
        path = self.path.format(**context)
        if self.deep_cursor and rng.random() < self.deep_cursor:
            separator = "&" if "?" in path else "?"
            path = f"{path}{separator}{urlencode({'cursor': rng.randint(*cursor_range)})}"
        return path


REFERENCE_BARE = "ref.bare"
REFERENCE_LIST = "ref.list"
HTMX = (("HX-Request", "true"),)

SCENARIOS: list[Scenario] = [
    Scenario(REFERENCE_BARE, "/bench/bare/", description="ceiling: tiny response, no database"),
    Scenario(
        REFERENCE_LIST,
        "/bench/reference-list/",
        deep_cursor=0.5,
        description="minimal keyset list, 50 rows of values_list, no count (half of the requests deep)",
    ),
    Scenario(
        "ref.bare.signed_in",
        "/bench/bare/",
        needs_login=True,
        description="ceiling of signed-in pages: session and user loaded, session saved, no view work",
    ),
    Scenario("login.page", "/masuk/", description="sign-in form, anonymous"),
    Scenario("home", "/", needs_login=True, description="home page of the administrator"),
    Scenario("audit.list", "/audit/", needs_login=True, description="audit trail, first page"),
    Scenario(
        "audit.list.deep", "/audit/", needs_login=True, deep_cursor=1.0, description="audit, deep cursor"
    ),
    Scenario(
        "audit.list.action", "/audit/?action=travel.", needs_login=True, description="filter: action prefix"
    ),
    Scenario(
        "audit.list.user",
        "/audit/?user={popular_actor}",
        needs_login=True,
        description="filter: a busy user (about 8 % of the events)",
    ),
    Scenario(
        "audit.list.user.rare",
        "/audit/?user={rare_actor}",
        needs_login=True,
        description="filter: a quiet user (about 1.4 % of the events)",
    ),
    Scenario(
        "audit.list.user.none",
        "/audit/?user=tidak-ada",
        needs_login=True,
        description="filter: a user without events (a typo): no row matches",
    ),
    Scenario(
        "audit.list.date",
        "/audit/?date_from={mid_from}&date_to={mid_to}",
        needs_login=True,
        description="filter: one week six months back",
    ),
    # Staff records (issue 3): 50,000 generated employees, page-number pagination with a count.
    Scenario("staff.list", "/pegawai/", needs_login=True, description="staff list, first page (25)"),
    Scenario(
        "staff.list.100", "/pegawai/?per_page=100", needs_login=True, description="staff list, 100 per page"
    ),
    Scenario(
        "staff.list.unit",
        "/pegawai/?unit={staff_unit}",
        needs_login=True,
        description="filter: a Bagian with its Subbagian (about 29 % of the employees)",
    ),
    Scenario(
        "staff.list.type",
        "/pegawai/?employee_type=PPPK&golongan=",
        needs_login=True,
        description="filter: PPPK (about 18 %), empty golongan as the form submits it",
    ),
    Scenario(
        "staff.search.name",
        "/pegawai/?q={staff_name}",
        needs_login=True,
        description="search: a common name part (about 6 %)",
    ),
    Scenario(
        "staff.search.nip",
        "/pegawai/?q={staff_nip}",
        needs_login=True,
        description="search: the first 8 digits of a NIP (a birth date: a handful of rows)",
    ),
    Scenario(
        "staff.list.page.deep",
        "/pegawai/?page={staff_deep_page}",
        needs_login=True,
        description="page number at 90 % of the unfiltered list",
    ),
    Scenario(
        "staff.list.htmx",
        "/pegawai/?q={staff_name}",
        needs_login=True,
        headers=HTMX,
        description="the name search as htmx partial (HX-Request: table rows only)",
    ),
    # Official travel (issue 5): 200,000 SPTs with 400,000 travellers, keyset pages (newest departure first).
    Scenario(
        "travel.register", "/perjalanan-dinas/register/", needs_login=True, description="SPT register (25)"
    ),
    Scenario(
        "travel.register.100",
        "/perjalanan-dinas/register/?per_page=100",
        needs_login=True,
        description="SPT register, 100 per page",
    ),
    Scenario(
        "travel.register.deep",
        "/perjalanan-dinas/register/?cursor={travel_deep_cursor}",
        needs_login=True,
        description="SPT register, a page a year back (keyset cursor)",
    ),
    Scenario(
        "travel.register.unit",
        "/perjalanan-dinas/register/?unit={travel_unit}",
        needs_login=True,
        description="filter: the unit with the most SPTs (with its sub-units)",
    ),
    Scenario(
        "travel.register.period",
        "/perjalanan-dinas/register/?status=settled&depart_from={travel_year}-03-01&depart_to={travel_year}-03-31",
        needs_login=True,
        description="filter: settled SPTs of one month",
    ),
    Scenario(
        "travel.register.province",
        "/perjalanan-dinas/register/?province={travel_province}",
        needs_login=True,
        description="filter: destination province outside Bali",
    ),
    Scenario(
        "travel.register.budget",
        "/perjalanan-dinas/register/?budget_line={travel_budget_line}",
        needs_login=True,
        description="filter: one budget line (a tenth of a year's SPTs)",
    ),
    Scenario(
        "travel.register.employee",
        "/perjalanan-dinas/register/?pegawai={staff_name}",
        needs_login=True,
        description="filter: travellers whose name contains a common part",
    ),
    # Bookings (issue 6): 200,000 bookings over 60 bench rooms and vehicles.
    Scenario(
        "bookings.calendar.month",
        "/peminjaman/kalender/?sumber={booking_room}&tampilan=bulan&tanggal={booking_day}",
        needs_login=True,
        description="month view of one room (about 240 bookings)",
    ),
    Scenario(
        "bookings.calendar.month.sparse",
        "/peminjaman/kalender/?sumber={booking_sparse_room}&tampilan=bulan&tanggal={booking_day}",
        needs_login=True,
        description="month view of a demo room (a few bookings): same page, other volume",
    ),
    Scenario(
        "bookings.calendar.month.rooms",
        "/peminjaman/kalender/?jenis=room&tampilan=bulan&tanggal={booking_day}",
        needs_login=True,
        description="month view of all rooms",
    ),
    Scenario(
        "bookings.calendar.week",
        "/peminjaman/kalender/?sumber={booking_room}&tampilan=minggu&tanggal={booking_day}",
        needs_login=True,
        description="week view of one room",
    ),
    Scenario(
        "bookings.calendar.day.vehicles",
        "/peminjaman/kalender/?jenis=vehicle&tampilan=hari&tanggal={booking_day}",
        needs_login=True,
        description="day view of all vehicles",
    ),
    Scenario(
        "bookings.calendar.htmx",
        "/peminjaman/kalender/?sumber={booking_room}&tampilan=bulan&tanggal={booking_day}",
        needs_login=True,
        headers=HTMX,
        description="month view of one room as htmx partial (prev/next navigation)",
    ),
]


def path_context(
    facts: DatasetFacts, staff: StaffFacts, more: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Values for the ``{placeholders}`` of scenario paths (``more``: those of the travel and booking data)."""
    first = dt.date.fromisoformat(facts.first_day)
    last = dt.date.fromisoformat(facts.last_day)
    mid = first + (last - first) / 2
    mid -= dt.timedelta(days=mid.weekday())  # that week's Monday
    return {
        "popular_actor": POPULAR_ACTOR,
        "rare_actor": RARE_ACTOR,
        "mid_from": mid.isoformat(),
        "mid_to": (mid + dt.timedelta(days=6)).isoformat(),
        "staff_unit": str(staff.unit_id),
        "staff_name": staff.name_part,
        "staff_nip": staff.nip_prefix,
        "staff_deep_page": str(staff.deep_page),
        **(more or {}),
    }


def cursor_range(facts: DatasetFacts) -> tuple[int, int]:
    """Cursors "deep in the table": anywhere in the oldest 90 % of the generated events."""
    low = facts.first_id + 1000
    high = facts.first_id + int((facts.last_id - facts.first_id) * 0.9)
    return low, max(low, high)
