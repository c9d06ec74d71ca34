"""Reads of travel/ reused by views, exports, services and other apps (querysets, no writes)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Exists, Expression, F, OuterRef, Prefetch, Q, QuerySet, TextField
from django.utils.translation import gettext as _

from situok import derived
from situok.permissions import get_for_user, has_perm
from staff.models import OrgUnit, name_with_titles
from staff.selectors import employee_for_user, supervised_unit_paths

from .models import BudgetLine, DailyAllowanceRate, LodgingCeiling, Sppd, Trip, TripDestination, TripMember
from .rates import valid_on

# Statuses in which the SPT is still the requester's to edit.
EDITABLE_STATUSES = (Trip.Status.DRAFT, Trip.Status.RETURNED_FOR_REVISION)
# Statuses in which a trip holds its travellers: another trip of theirs may not overlap it.
BLOCKING_STATUSES = (
    Trip.Status.SUBMITTED,
    Trip.Status.APPROVED,
    Trip.Status.NUMBERED,
    Trip.Status.TRAVELLING,
)
# The trip really happens (or happened): the SPT carries a number and was not cancelled.
ON_TRAVEL_STATUSES = (
    Trip.Status.NUMBERED,
    Trip.Status.TRAVELLING,
    Trip.Status.RETURNED,
    Trip.Status.REPORTED,
    Trip.Status.SETTLED,
)
# "Under way" from the traveller's point of view (the home page counter).
ACTIVE_STATUSES = (
    Trip.Status.DRAFT,
    Trip.Status.SUBMITTED,
    Trip.Status.RETURNED_FOR_REVISION,
    Trip.Status.APPROVED,
    Trip.Status.NUMBERED,
    Trip.Status.TRAVELLING,
)
CANCELLABLE_STATUSES = (
    Trip.Status.DRAFT,
    Trip.Status.SUBMITTED,
    Trip.Status.RETURNED_FOR_REVISION,
    Trip.Status.APPROVED,
    Trip.Status.NUMBERED,
)


def trips_visible_to(user, qs: QuerySet[Trip] | None = None) -> QuerySet[Trip]:
    """Trips ``user`` may open: everyone with ``travel.view_trip``/``travel.manage_trip``; otherwise the trips
    they travel on or created, and — for a unit head — every trip of their unit and its sub-units (members or
    owning unit). Everyone else gets 404."""
    qs = Trip.objects.all() if qs is None else qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if has_perm(user, "travel.view_trip") or has_perm(user, "travel.manage_trip"):
        return qs
    me = employee_for_user(user)
    cond = Q(created_by=user)
    if me is not None:
        cond |= Q(Exists(TripMember.objects.filter(trip=OuterRef("pk"), employee=me)))
    for path in supervised_unit_paths(user):
        cond |= Q(unit__path__startswith=path) | Q(
            Exists(TripMember.objects.filter(trip=OuterRef("pk"), employee__unit__path__startswith=path))
        )
    return qs.filter(cond)


def trip_can_change(user, trip: Trip) -> bool:
    """Edit the SPT itself: the operator any time before it is numbered; the creator while it is theirs."""
    if trip.status not in EDITABLE_STATUSES:
        return False
    return has_perm(user, "travel.manage_trip") or trip.created_by_id == user.pk


def trip_can_cancel(user, trip: Trip) -> bool:
    """Cancel: before approval the creator (or the operator); once numbered only the operator, since the
    SPT is then an official letter signed by the leader. A trip under way or over cannot be cancelled."""
    if trip.status not in CANCELLABLE_STATUSES:
        return False
    if has_perm(user, "travel.manage_trip"):
        return True
    return trip.status not in (Trip.Status.APPROVED, Trip.Status.NUMBERED) and trip.created_by_id == user.pk


def trip_is_requester(user, trip: Trip) -> bool:
    """Whether ``user`` stands behind the SPT's approval request — its creator or its lead traveller
    (the approval engine lets only them withdraw it)."""
    if trip.created_by_id == user.pk:
        return True
    me = employee_for_user(user)
    return me is not None and trip.members.filter(employee=me, is_lead=True).exists()


def trip_can_withdraw(user, trip: Trip) -> bool:
    """Withdraw a submitted (or returned) SPT back to draft: only its requester."""
    return trip.status in (Trip.Status.SUBMITTED, Trip.Status.RETURNED_FOR_REVISION) and trip_is_requester(
        user, trip
    )


def trip_get_for_user(user, pk, *, write: bool = False) -> Trip:
    """The trip, 404 when ``user`` may not see it, 403 when ``write`` and they may not change it."""
    return get_for_user(
        user,
        Trip.objects.select_related("unit", "budget_line", "origin", "signer", "ppk", "created_by"),
        pk,
        visible=trips_visible_to,
        can_change=trip_can_change,
        write=write,
    )


def can_see_register(user) -> bool:
    """The SPT register: those who may see every SPT, and unit heads (for their units)."""
    return bool(
        has_perm(user, "travel.view_trip")
        or has_perm(user, "travel.manage_trip")
        or supervised_unit_paths(user)
    )


def my_trips(user) -> QuerySet[Trip]:
    """ "Perjalanan Dinas Saya": trips the user travels on or created, newest departure first."""
    if not getattr(user, "is_authenticated", False):
        return Trip.objects.none()
    return Trip.objects.filter(pk__in=_my_trip_ids(user)).order_by("-depart_date", "-id")


def _my_trip_ids(user, statuses=None) -> list[int]:
    """Ids of the trips ``user`` created or travels on: two small indexed queries (created_by, member's
    employee). One query with ``created_by = … OR EXISTS (member …)`` scans every trip instead."""
    created = Trip.objects.filter(created_by=user)
    if statuses is not None:
        created = created.filter(status__in=statuses)
    ids = set(created.values_list("pk", flat=True))
    me = employee_for_user(user)
    if me is not None:
        member = TripMember.objects.filter(employee=me)
        if statuses is not None:
            member = member.filter(trip__status__in=statuses)
        ids.update(member.values_list("trip_id", flat=True))
    return sorted(ids)


def my_active_trip_count(user) -> int:
    """The home-page counter: two indexed queries, whatever the size of the register."""
    return len(_my_trip_ids(user, ACTIVE_STATUSES))


def with_list_relations(qs: QuerySet[Trip]) -> QuerySet[Trip]:
    """What a list row shows (members with names, destinations with regions): three queries per page."""
    return qs.select_related("unit", "budget_line").prefetch_related(
        Prefetch(
            "members",
            queryset=TripMember.objects.select_related("employee").order_by("order", "id"),
        ),
        Prefetch(
            "destinations",
            queryset=TripDestination.objects.select_related("region").order_by("order", "id"),
        ),
    )


def trip_register(
    *,
    status: str | None = None,
    unit_id: int | None = None,
    budget_line_id: int | None = None,
    depart_from: dt.date | None = None,
    depart_to: dt.date | None = None,
) -> QuerySet[Trip]:
    """The SPT register, newest first, with what a list row shows (query count independent of rows)."""
    qs = with_list_relations(Trip.objects.all())
    if status:
        qs = qs.filter(status=status)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if budget_line_id:
        qs = qs.filter(budget_line_id=budget_line_id)
    if depart_from:
        qs = qs.filter(depart_date__gte=depart_from)
    if depart_to:
        qs = qs.filter(depart_date__lte=depart_to)
    return qs.order_by("-depart_date", "-id")


# --- Keyset pages over (depart_date, id) -----------------------------------------------------------
# Columns of travel_trip kept by database triggers for the register, outside the model on purpose
# (travel/migrations/0004_register_search_columns.py): the ORM never writes them.
TRIP_COLUMNS = frozenset({"traveller_names", "destination_regions", "traveller_list", "destination_list"})


class TripColumn(Expression):
    """One of :data:`TRIP_COLUMNS` of the trip row of the query it is used in (its table alias follows
    the query when it is relabelled, e.g. used as a subquery — unlike ``RawSQL``)."""

    output_field = TextField()

    def __init__(self, name: str):
        if name not in TRIP_COLUMNS:
            raise ValueError(f"not a register column of travel_trip: {name!r}")
        super().__init__()
        self.name = name
        self.trip = F("pk")

    def get_source_expressions(self):
        return [self.trip]

    def set_source_expressions(self, exprs):
        (self.trip,) = exprs

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.trip.alias)}.{self.name}", []


def trip_column(name: str) -> TripColumn:
    """``traveller_names`` (one name per line), ``destination_regions`` (region codes, each followed by a
    dot, between spaces),
    ``traveller_list`` (JSON [[front title, name, back title], …]) or ``destination_list`` (JSON
    [[place, region name], …])."""
    return TripColumn(name)


@dataclass(slots=True)
class RegisterRow:
    """What a register row shows, read as plain values (no model instances)."""

    pk: int
    spt_number: str
    spt_date: dt.date | None
    depart_date: dt.date
    return_date: dt.date
    status: str
    unit: str  # abbreviation, else name
    kode_rekening: str | None
    members: list[str] = field(default_factory=list)  # names with titles, in member order
    destinations: list[tuple[str, str | None]] = field(default_factory=list)  # (place, region name)

    def __str__(self) -> str:  # as Trip.__str__
        return self.spt_number or _("SPT draf #%(id)s") % {"id": self.pk}


# What a register row reads: travel_trip columns, in RegisterRow order.
_REGISTER_COLUMNS = (
    "id", "spt_number", "spt_date", "depart_date", "return_date", "status", "unit_id", "budget_line_id",
    "traveller_list", "destination_list",
)  # fmt: skip
_REGISTER_SQL: dict[str, tuple[str, str, str, str]] = {}


def _register_sql(connection) -> tuple[str, str, str, str]:
    """The fixed SQL around the compiled query of a page's ids, per database vendor (identifiers only —
    values stay that query's parameters):

    * the start of that query (``SELECT "travel_trip"."id" … FROM "travel_trip"``, as the ORM writes it),
      and the same start selecting a row's columns instead — the id first, as the ids query may order by
      position;
    * the head and tail of a query reading the rows of ``id IN (<ids query>)``."""
    sql = _REGISTER_SQL.get(connection.vendor)
    if sql is None:
        qn = connection.ops.quote_name
        table = qn(Trip._meta.db_table)
        columns = [qn(column) for column in _REGISTER_COLUMNS]
        select_id = Trip.objects.order_by().values_list("id").query.get_compiler(connection=connection)
        sql = _REGISTER_SQL[connection.vendor] = (  # identifiers only
            f"{select_id.as_sql()[0]} ",
            f"SELECT {', '.join(f'{table}.{column}' for column in columns)} FROM {table} ",  # noqa: S608
            f"SELECT {', '.join(f'r.{column}' for column in columns)} FROM {table} r WHERE r.{qn('id')} IN (",  # noqa: S608
            f") ORDER BY r.{qn('depart_date')} DESC, r.{qn('id')} DESC",
        )
    return sql


def _unit_labels() -> dict[int, str]:
    """Unit id → what the register shows (abbreviation, else name): a dozen rows, read once per version of
    the staff tables instead of joined into every page."""
    return derived.cached(
        "travel.register.units",
        depends_on=("staff",),
        compute=lambda: {
            pk: abbr or name for pk, abbr, name in OrgUnit.objects.values_list("pk", "abbreviation", "name")
        },
    )


def _budget_codes() -> dict[int, str]:
    """Budget line id → kode rekening, read once per version of the budget lines."""
    return derived.cached(
        "travel.register.budget_codes",
        depends_on=("travel_budget",),
        compute=lambda: dict(BudgetLine.objects.values_list("pk", "kode_rekening")),
    )


def register_row(raw: tuple, units: dict[int, str], codes: dict[int, str]) -> RegisterRow:
    """A register row from its columns (``_REGISTER_COLUMNS``); ``units`` and ``codes``: unit labels and
    budget codes by id (:func:`register_labels`)."""
    pk, number, spt_date, depart, back, status, unit_id, budget_line_id, members, places = raw
    return RegisterRow(
        pk,
        number,
        spt_date,
        depart,
        back,
        status,
        units.get(unit_id, ""),
        codes.get(budget_line_id),
        [name_with_titles(*titled) for titled in json.loads(members)] if members else [],
        [(place, region) for place, region in json.loads(places)] if places else [],
    )


def register_labels() -> tuple[dict[int, str], dict[int, str]]:
    """Unit labels and budget codes by id (kept under the ``staff`` and ``travel_budget`` versions)."""
    return _unit_labels(), _budget_codes()


@dataclass
class RegisterPage:
    rows: list[
        tuple
    ]  # the columns of each row (``_REGISTER_COLUMNS``): what the page shows depends on them alone
    next_cursor: str | None
    cursor: str | None
    per_page: int

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None

    @functools.cached_property
    def items(self) -> list[RegisterRow]:
        units, codes = register_labels()
        return [register_row(raw, units, codes) for raw in self.rows]


def _parse_cursor(cursor: str | None) -> tuple[dt.date, int] | None:
    if not cursor:
        return None
    try:
        day, pk = str(cursor).split("_", 1)
        return dt.date.fromisoformat(day), int(pk)
    except ValueError:
        return None


def register_page(
    qs: QuerySet[Trip], cursor: str | None, *, per_page: int = 50, narrow: bool = False
) -> RegisterPage:
    """Newest departure first, ``cursor`` = ``<depart_date>_<id>`` of the last row shown. One query at any
    depth and page size, over ``travel_trip`` alone — its travellers and destinations come from the
    columns kept by triggers — walking the ``(depart_date, id)`` index (``LIMIT n+1`` says whether a next
    page exists); plain values, no model instances.

    The ORM builds and compiles only the query of the page's ids (the filters, the cursor, the order and
    the limit); the columns a row shows are fixed SQL (:func:`_register_sql`): compiling them with the
    ORM cost more than the database spent on a page. That query reads the rows itself (its select list
    widened to the row's columns), or — ``narrow``: the filters keep a small share of the trips (a
    destination) — it becomes a subquery the covering index answers alone (travel/migrations/0004) and
    only the rows of its ids are read, instead of every trip the walk passes. A queryset whose ids query
    has another shape (DISTINCT) is read through the ORM."""
    key = _parse_cursor(cursor)
    if key is not None:
        day, pk = key
        # depart_date <= day, redundant with the OR, lets the index start at the cursor instead of
        # filtering every newer trip (a page a year back: 300 ms → a few ms on 200,000 trips).
        qs = qs.filter(Q(depart_date__lt=day) | Q(depart_date=day, pk__lt=pk), depart_date__lte=day)
    qs = qs.order_by("-depart_date", "-id")
    ids = qs.values_list("id")[: per_page + 1]
    try:
        ids_sql, params = ids.query.sql_with_params()
    except EmptyResultSet:  # e.g. .none(): no rows whatever the data
        rows = []
    else:
        connection = connections[ids.db]
        select_id, select_row, head, tail = _register_sql(connection)
        if ids_sql.startswith(select_id):  # it selects the id alone, from travel_trip
            sql = head + ids_sql + tail if narrow else select_row + ids_sql[len(select_id) :]
            with connection.cursor() as db:
                db.execute(sql, params)
                rows = db.fetchall()
        else:  # a query of another shape (e.g. DISTINCT selects the ordering too): the ORM adds the columns
            rows = list(
                qs.annotate(
                    traveller_list=TripColumn("traveller_list"),
                    destination_list=TripColumn("destination_list"),
                ).values_list(*_REGISTER_COLUMNS)[: per_page + 1]
            )
    next_cursor = None
    if len(rows) > per_page:
        rows = rows[:per_page]
        next_cursor = f"{rows[-1][3].isoformat()}_{rows[-1][0]}"
    return RegisterPage(rows, next_cursor, cursor if key else None, per_page)


# --- For other apps --------------------------------------------------------------------------------
def employee_on_official_travel(employee, date: dt.date) -> Trip | None:
    """The numbered (or later) SPT whose dates contain ``date`` for ``employee``, or ``None``.

    Attendance calls this to mark *Dinas Luar*. One indexed query (member's employee, then the trip's
    status and dates)."""
    member = (
        TripMember.objects.filter(
            employee=employee,
            trip__status__in=ON_TRAVEL_STATUSES,
            trip__depart_date__lte=date,
            trip__return_date__gte=date,
        )
        .select_related("trip")
        .order_by("-trip__depart_date", "-trip_id")
        .first()
    )
    return member.trip if member is not None else None


def trips_for_employee(employee) -> QuerySet[Trip]:
    """Every trip ``employee`` is a member of, newest departure first."""
    return Trip.objects.filter(
        Exists(TripMember.objects.filter(trip=OuterRef("pk"), employee=employee))
    ).order_by("-depart_date", "-id")


def trip_for_vehicle_booking_choices(user, *, today: dt.date | None = None) -> QuerySet[Trip]:
    """SPTs a vehicle booking may link to: approved or numbered, visible to ``user``, not yet ended."""
    from django.utils import timezone

    today = today or timezone.localdate()
    return (
        trips_visible_to(user)
        .filter(status__in=(Trip.Status.APPROVED, Trip.Status.NUMBERED), return_date__gte=today)
        .select_related("unit")
        .order_by("depart_date", "id")
    )


def trip_sppds(trip: Trip) -> list[Sppd]:
    """The trip's SPPDs in member order, with the traveller (for the detail page and its panels)."""
    return list(
        Sppd.objects.filter(member__trip=trip)
        .select_related("member__employee__position", "member__employee__unit")
        .order_by("member__order", "member__id")
    )


def budget_lines_for_year(year: int) -> QuerySet[BudgetLine]:
    return BudgetLine.objects.filter(year=year).order_by("sub_activity_code", "kode_rekening")


def daily_rates_in_force(on: dt.date) -> QuerySet[DailyAllowanceRate]:
    """Every daily-allowance row valid on ``on`` (several per key only if periods overlap)."""
    return (
        DailyAllowanceRate.objects.filter(valid_on(on))
        .select_related("province")
        .order_by("province", "travel_type", "-berlaku_mulai")
    )


def lodging_ceilings_in_force(on: dt.date) -> QuerySet[LodgingCeiling]:
    return (
        LodgingCeiling.objects.filter(valid_on(on))
        .select_related("province")
        .order_by("province", "cost_tier", "-berlaku_mulai")
    )
