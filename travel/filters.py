"""Filters of the SPT register — shared by the page and by its Excel/PDF export."""

from __future__ import annotations

import re

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.db.models.lookups import Contains, IContains, Lookup
from django.urls import reverse_lazy
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from situok import derived
from situok.filters import CachedModelChoiceFilter, LeanFilterSet
from situok.forms import CachedModelChoiceField, CachedModelChoiceIterator
from situok.regions import Region
from staff.models import Employee, OrgUnit

from .models import BudgetLine, TravelType, Trip, TripMember
from .selectors import trip_column

# A NIP prefix matching more people than this is narrowed to the first ones (by id): type more.
EMPLOYEE_MATCH_LIMIT = 5000
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class IsoFirst:
    """Date input formats: ISO first — what ``<input type="date">`` (and so every link of the register)
    sends — then the language's own. Django tries the Indonesian formats first, failing eight ``strptime``
    calls on every ISO date of a request."""

    def __iter__(self):
        yield "%Y-%m-%d"
        yield from get_format("DATE_INPUT_FORMATS")


class ILike(IContains):
    """``icontains`` that PostgreSQL runs as ``column ILIKE pattern`` rather than Django's
    ``UPPER(column) LIKE UPPER(pattern)``: the planner then estimates the match from the column's own
    statistics, and the trigram index on the column serves it (travel/migrations/0004)."""

    def as_postgresql(self, compiler, connection):
        lhs_sql, lhs_params = Lookup.process_lhs(self, compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} ILIKE {rhs_sql}", [*lhs_params, *rhs_params]


class RegionChoiceFilter(CachedModelChoiceFilter):
    """A destination region: trips with a destination in it or in one of its sub-regions."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("depends_on", ("regions",))
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        # The region itself or one below it (``51`` → ``51``, ``51.04``), tested on the trip row's
        # destination codes, each followed by a dot (`` 51.04. 31.71. ``, kept by database triggers), while
        # the register walks its index: probing the destinations of every trip passed cost ~10 µs a trip.
        return qs.filter(Contains(trip_column("destination_regions"), f" {value.code}."))


# The empty option of the regency select while no province is chosen.
PICK_PROVINCE_FIRST = _("— pilih provinsi dulu —")


class RegencyChoiceIterator(CachedModelChoiceIterator):
    """The empty choice, then the regencies of the field's province only."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.shown_objects():
            yield self.choice(obj)

    def __len__(self):
        return (self.field.empty_label is not None) + len(self.field.shown_objects())

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.shown_objects())


class RegencyChoiceField(CachedModelChoiceField):
    """The regency filter as a dependent select: its options are the regencies of one province (none
    without a province: the empty option asks to pick one first), while validation accepts any regency.

    Like every field of a :class:`~situok.filters.LeanFilterSet` it is shared between requests, so the
    province is not set on it per request: each province has its own field, made once per process by
    :meth:`for_province` (each keeps its rendered options per language and regions version, see
    situok_ui), and the form puts the right one in its own ``fields`` (:class:`TripFilterForm`)."""

    iterator = RegencyChoiceIterator

    def __init__(self, *args, province: str | None = None, **kwargs):
        self.province = province
        self._init_args = (args, kwargs)
        self._base: RegencyChoiceField | None = None
        self._siblings: dict[str, RegencyChoiceField] = {}
        super().__init__(*args, **kwargs)
        if province is None and self.empty_label is not None:
            self.empty_label = PICK_PROVINCE_FIRST

    def for_province(self, code: str | None) -> RegencyChoiceField:
        """The field showing the regencies of province ``code`` (an existing province's code: one field is
        kept per code), or the one asking for a province when ``code`` is empty."""
        base = self._base or self
        if not code:
            return base
        field = base._siblings.get(code)
        if field is None:
            args, kwargs = base._init_args
            field = type(base)(*args, province=code, **kwargs)
            field._base = base
            base._siblings[code] = field
        return field

    def bound_data(self, data, initial):
        # A regency outside the province shown is dropped (the province wins): the empty option is selected.
        if self.province and data and not str(data).startswith(f"{self.province}."):
            return ""
        return super().bound_data(data, initial)

    def shown_objects(self) -> list:
        if not self.province:
            return []
        prefix = f"{self.province}."
        return [region for region in self.cached_objects() if region.code.startswith(prefix)]


class RegencyChoiceFilter(RegionChoiceFilter):
    field_class = RegencyChoiceField


class TripFilterForm(forms.Form):
    """The register's filter form: the destination province wins over a regency outside it (the regency is
    dropped, so the rows, the PDF subtitle and the selects agree), and the regency select lists the regencies
    of the province — the chosen one, else the chosen regency's (old links with a regency only)."""

    def clean(self):
        data = super().clean()
        province, regency = data.get("province"), data.get("regency")
        if province and regency and regency.province_code != province.code:
            data["regency"] = None
        shown = province.code if province else (regency.province_code if regency else None)
        field = self.fields["regency"]
        if isinstance(field, RegencyChoiceField) and field.province != shown:
            self.fields["regency"] = field.for_province(shown)  # this form's own fields dict
            self._bound_fields_cache.pop("regency", None)
        return data


class TripFilter(LeanFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Cari nomor SPT atau maksud"))
    depart_from = django_filters.DateFilter(
        field_name="depart_date",
        lookup_expr="gte",
        label=_("Berangkat dari tanggal"),
        widget=DATE,
        input_formats=IsoFirst(),
    )
    depart_to = django_filters.DateFilter(
        field_name="depart_date",
        lookup_expr="lte",
        label=_("Berangkat sampai tanggal"),
        widget=DATE,
        input_formats=IsoFirst(),
    )
    unit = CachedModelChoiceFilter(
        queryset=OrgUnit.objects.order_by("path"),
        depends_on=("staff",),
        method="in_unit",
        label=_("Unit (termasuk sub-unit)"),
    )
    pegawai = django_filters.CharFilter(method="with_employee", label=_("Pelaksana (nama atau NIP)"))
    status = django_filters.ChoiceFilter(choices=Trip.Status.choices, label=_("Status"))
    travel_type = django_filters.ChoiceFilter(choices=TravelType.choices, label=_("Jenis perjalanan"))
    province = RegionChoiceFilter(
        queryset=Region.objects.filter(level=Region.Level.PROVINCE).order_by("name"),
        label=_("Provinsi tujuan"),
        # htmx: a new province fills the regency select with its regencies (travel.views.regency_options);
        # the form's own request (the rows) goes too. Not pushed into the history as the form's is.
        widget=forms.Select(
            attrs={
                "hx-get": reverse_lazy("travel:regency_options"),
                "hx-target": "#id_regency",
                "hx-swap": "innerHTML",
                "hx-include": "#id_regency",
                "hx-push-url": "false",
            }
        ),
    )
    regency = RegencyChoiceFilter(
        queryset=Region.objects.filter(level=Region.Level.REGENCY).order_by("code"),
        label=_("Kabupaten/kota tujuan"),
    )
    budget_line = CachedModelChoiceFilter(
        queryset=BudgetLine.objects.order_by("-year", "sub_activity_code", "kode_rekening"),
        depends_on=("travel_budget",),
        method="with_budget_line",
        label=_("Mata anggaran"),
    )

    class Meta:
        model = Trip
        form = TripFilterForm
        fields = [
            "q", "depart_from", "depart_to", "unit", "pegawai", "status", "travel_type",
            "province", "regency", "budget_line",
        ]  # fmt: skip

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(spt_number__icontains=value) | Q(purpose__icontains=value))

    def in_unit(self, queryset, name, value):
        # The unit and its sub-units as ids (a dozen units, read once per version of the staff tables):
        # the register tests the trip's own unit_id instead of joining the unit of every trip it passes.
        units = derived.cached(
            "travel.register.unit_paths",
            depends_on=("staff",),
            compute=lambda: list(OrgUnit.objects.values_list("pk", "path")),
        )
        return queryset.filter(unit_id__in=[pk for pk, path in units if path.startswith(value.path)])

    def with_budget_line(self, queryset, name, value):
        return queryset.filter(budget_line_id=value.pk)  # the id: no related-object lookup to resolve

    def with_employee(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        digits = re.sub(r"\s+", "", value)
        if digits.isdigit() and len(digits) >= 4:
            # The matching employees first, as a list (a NIP prefix: an indexed range): with it PostgreSQL
            # knows how many travellers match and walks the register by departure date.
            ids = list(
                Employee.objects.filter(nip__startswith=digits)
                .order_by()
                .values_list("pk", flat=True)[:EMPLOYEE_MATCH_LIMIT]
            )
            return queryset.filter(
                Exists(TripMember.objects.filter(trip=OuterRef("pk"), employee_id__in=ids))
            )
        if "\n" in value:  # a name is one line: nothing matches (and the names column is line-separated)
            return queryset.none()
        # A name part, tested on the trip row's traveller names (one per line, kept by database triggers)
        # while the register walks its index — a common part like "Wayan" is found in a few hundred
        # rows; a rare one through the trigram index (PostgreSQL).
        return queryset.filter(ILike(trip_column("traveller_names"), value))

    # Filters that keep a small share of the register, tested on columns of the covering index: the
    # register then finds its page's ids in that index first (travel.selectors.register_page(narrow=)).
    NARROW = ("province", "regency")

    @property
    def narrow(self) -> bool:
        data = getattr(self.form, "cleaned_data", None) or {}
        return any(data.get(name) for name in self.NARROW)

    def describe(self) -> str:
        """The active filters as one line (the PDF subtitle), e.g. ``Status: Bernomor · Unit: Biro Umum``."""
        form = self.form
        if not form.is_valid():
            pass  # invalid fields are left out, as the list ignores them
        parts = []
        for key, value in (getattr(form, "cleaned_data", None) or {}).items():
            if value in (None, ""):
                continue
            field = form.fields[key]
            choices = dict(getattr(field, "choices", ()) or ())
            if hasattr(value, "pk"):
                shown = getattr(value, "name", None) or str(value)
            elif hasattr(value, "isoformat"):
                from situok.formats import tanggal

                shown = tanggal(value)
            else:
                shown = choices.get(value, value)
            parts.append(f"{field.label}: {shown}")
        return " · ".join(parts)
