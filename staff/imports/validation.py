"""Step 3: map the header, clean and check every row, and match rows to existing employees with a few
set-based queries."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils.translation import gettext as _

from situok.formats import tanggal

from .. import identifiers
from ..models import Employee, OrgUnit, Position
from ..resources import EXAMPLE_NIP, EmployeeResource, column_labels, name_key
from .checks import _blank, _read_sheet, check_xlsx_upload
from .results import ImportReport, Level, RowChange, RowError

_SPACES = re.compile(r"\s+")


# --- 3. Validation --------------------------------------------------------------------------------
# Headers also recognised (after case folding and collapsing spaces), for files from other systems.
HEADER_ALIASES = {
    "nip/ni pppk": "nip",
    "ni pppk": "nip",
    "nama lengkap": "name",
    "jenis kelamin": "sex",
    "tanggal lahir": "birth_date",
    "kode unit kerja": "unit",
    "unit kerja": "unit",
    "email": "email",
    "e-mail": "email",
    "no. hp": "phone",
    "nomor telepon": "phone",
    "nomor rekening": "bank_account",
    "nama bank": "bank_name",
}
# Field → model attribute compared and written (foreign keys by id).
ATTNAMES = {"unit": "unit_id", "position": "position_id"}
REQUIRED_FOR_NEW = ("name", "sex", "unit")
NON_ASN_TYPES = tuple(t for t in Employee.Type.values if t not in Employee.ASN_TYPES)


def _header_key(value: Any) -> str:
    return _SPACES.sub(" ", str(value)).strip().rstrip("*").strip().casefold()


def _header_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, label in column_labels().items():
        lookup[_header_key(label)] = name
        lookup.setdefault(_header_key(re.sub(r"\s*\(.*\)\s*$", "", label)), name)
    for alias, name in HEADER_ALIASES.items():
        lookup.setdefault(_header_key(alias), name)
    return lookup


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    size = max(100, (connection.features.max_query_params or 10_000) - 99)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass
class _Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)  # non-blank cleaned cells by field name
    failed: bool = False
    error_columns: set[str] = field(default_factory=set)
    key: tuple[str, str] | None = None  # ("nip", …) for ASN, ("nik", …) for non-ASN
    nip_info: identifiers.NipInfo | identifiers.PppkInfo | None = None
    nik_info: identifiers.NikInfo | None = None


@dataclass
class _Plan:
    """What a commit would write."""

    new: list[Employee] = field(default_factory=list)
    updates: dict[tuple[str, ...], list[Employee]] = field(default_factory=dict)


class _Validator:
    """One pass over a sheet: collects issues into ``report`` and what to write into ``plan``."""

    def __init__(self, report: ImportReport):
        self.report = report
        self.plan = _Plan()
        self.labels = column_labels()
        self.columns = [name for name, _field in EmployeeResource.columns()]
        self.widgets = {name: f.widget for name, f in EmployeeResource.columns()}
        self.defaults = {name: Employee._meta.get_field(name).get_default() for name in self.columns}
        self.units = {name_key(code): (pk, code) for pk, code in OrgUnit.objects.values_list("pk", "code")}
        self.unit_codes = dict(self.units.values())
        self.positions: dict[tuple[int, str], int] = {}
        self.position_info: dict[int, tuple[int, str]] = {}
        for pk, unit_id, name in Position.objects.values_list("pk", "unit_id", "name"):
            self.positions[(unit_id, name_key(name))] = pk
            self.position_info[pk] = (unit_id, name)

    # -- issues
    def issue(self, row: int, column: str, message: str, level: Level = "error") -> None:
        self.report.issues.append(RowError(row, self.labels.get(column, column), str(message), level))

    def error(self, row: _Row, column: str, message: str) -> None:
        row.failed = True
        row.error_columns.add(column)
        self.issue(row.number, column, message)

    def warn(self, row: _Row, column: str, message: str) -> None:
        self.issue(row.number, column, message, "warning")

    # -- header
    def map_header(self, header: Sequence[Any]) -> list[tuple[int, str]] | None:
        lookup = _header_lookup()
        mapping: list[tuple[int, str]] = []
        seen: set[str] = set()
        ok = True
        for index, cell in enumerate(header):
            if _blank(cell):
                continue
            name = lookup.get(_header_key(cell))
            if name is None:
                self.issue(
                    1,
                    str(cell),
                    _("Kolom %(column)s tidak dikenal dan diabaikan.") % {"column": cell},
                    "warning",
                )
            elif name in seen:
                self.issue(1, name, _("Kolom %(column)s muncul lebih dari sekali.") % {"column": cell})
                ok = False
            else:
                seen.add(name)
                mapping.append((index, name))
        if "employee_type" not in seen:
            label = self.labels["employee_type"]
            self.issue(1, "employee_type", _("Kolom wajib tidak ada: %(column)s.") % {"column": label})
            ok = False
        if "nip" not in seen and "nik" not in seen:
            self.issue(1, "nip", _("Kolom NIP atau NIK harus ada."))
            ok = False
        return mapping if ok else None

    # -- one row, on its own
    def clean_row(
        self,
        number: int,
        cells: Sequence[Any],
        mapping: list[tuple[int, str]],
        seen: dict[str, dict[str, int]],
    ) -> _Row:
        row = _Row(number)
        for index, name in mapping:
            raw = cells[index] if index < len(cells) else None
            if _blank(raw):
                continue
            widget = self.widgets[name]
            try:
                value = widget.clean(raw, units=self.units) if name == "unit" else widget.clean(raw)
            except ValueError as exc:
                self.error(row, name, str(exc))
                continue
            if value not in ("", None):
                row.values[name] = value
        self._check_identity(row, seen)
        return row

    def _check_identity(self, row: _Row, seen: dict[str, dict[str, int]]) -> None:
        values = row.values
        etype = values.get("employee_type")
        nip, nik = values.get("nip", ""), values.get("nik", "")
        if not etype:
            if "employee_type" not in row.error_columns:
                self.error(row, "employee_type", _("Jenis pegawai wajib diisi."))
            return
        if etype in Employee.ASN_TYPES:
            pns = etype in Employee.PNS_TYPES
            if not nip:
                self.error(
                    row,
                    "nip",
                    _("NIP wajib diisi untuk PNS/CPNS.") if pns else _("NI PPPK wajib diisi untuk PPPK."),
                )
            else:
                try:
                    row.nip_info = identifiers.parse_nip(nip) if pns else identifiers.parse_ni_pppk(nip)
                except ValidationError as exc:
                    for message in exc.messages:
                        self.error(row, "nip", message)
                else:
                    row.key = ("nip", nip)
        else:
            if nip:
                self.error(row, "nip", _("Pegawai non-ASN tidak memiliki NIP; kosongkan kolom ini."))
            if not nik and "nik" not in row.error_columns:
                self.error(row, "nik", _("NIK wajib diisi untuk pegawai non-ASN."))
        if nik:
            try:
                row.nik_info = identifiers.parse_nik(nik)
            except ValidationError as exc:
                for message in exc.messages:
                    self.error(row, "nik", message)
            else:
                if etype in NON_ASN_TYPES and not nip:
                    row.key = ("nik", nik)
        if values.get("golongan") and etype not in Employee.PNS_TYPES:
            self.error(row, "golongan", _("Golongan/ruang hanya untuk PNS/CPNS."))
        if values.get("pppk_golongan") and etype not in Employee.PPPK_TYPES:
            self.error(row, "pppk_golongan", _("Golongan PPPK hanya untuk pegawai PPPK."))
        # Duplicates within the file: the later row is the error, pointing at the first.
        if row.key is not None:
            kind, value = row.key
            first = seen[kind].setdefault(value, row.number)
            if first != row.number:
                message = (
                    _("NIP %(value)s sudah ada di baris %(row)s.")
                    if kind == "nip"
                    else _("NIK %(value)s sudah ada di baris %(row)s.")
                )
                self.error(row, kind, message % {"value": value, "row": first})
        internal = values.get("internal_number")
        if internal:
            first = seen["internal_number"].setdefault(internal, row.number)
            if first != row.number:
                self.error(
                    row,
                    "internal_number",
                    _("Nomor internal %(value)s sudah ada di baris %(row)s.")
                    % {"value": internal, "row": first},
                )

    # -- against the database
    def resolve(self, rows: list[_Row]) -> None:
        nips = sorted({r.key[1] for r in rows if r.key and r.key[0] == "nip"})
        niks = sorted({r.values["nik"] for r in rows if r.nik_info is not None})
        internals = sorted({r.values["internal_number"] for r in rows if r.values.get("internal_number")})
        by_nip: dict[str, Employee] = {}
        for chunk in _chunks(nips):
            by_nip.update((e.nip, e) for e in Employee.objects.filter(nip__in=chunk))
        by_nik: dict[str, list[Employee]] = {}
        for chunk in _chunks(niks):
            for e in Employee.objects.filter(nik__in=chunk).order_by("pk"):
                by_nik.setdefault(e.nik, []).append(e)
        internal_owner: dict[str, int] = {}
        for chunk in _chunks(internals):
            internal_owner.update(
                Employee.objects.filter(internal_number__in=chunk).values_list("internal_number", "pk")
            )
        for row in rows:
            if row.key is None:
                continue
            self._resolve_row(row, by_nip, by_nik, internal_owner)

    def _resolve_row(
        self,
        row: _Row,
        by_nip: dict[str, Employee],
        by_nik: dict[str, list[Employee]],
        internal_owner: dict[str, int],
    ) -> None:
        values = row.values
        kind, key = row.key  # type: ignore[misc]
        nik = values.get("nik", "")
        existing: Employee | None
        if kind == "nip":
            existing = by_nip.get(key)
        else:
            candidates = [e for e in by_nik.get(key, []) if e.nip is None]
            if len(candidates) > 1:
                self.error(
                    row,
                    "nik",
                    _(
                        "NIK %(value)s dipakai oleh lebih dari satu pegawai non-ASN; perbarui datanya satu per satu."
                    )
                    % {"value": key},
                )
                return
            existing = candidates[0] if candidates else None
        if existing is None and nik and by_nik.get(nik):
            other = by_nik[nik][0]
            self.warn(
                row,
                "nik",
                _("NIK %(value)s juga tercatat pada pegawai lain: %(name)s. Pastikan bukan orang yang sama.")
                % {"value": nik, "name": other.name},
            )
        internal = values.get("internal_number")
        owner = internal_owner.get(internal) if internal else None
        if owner is not None and (existing is None or owner != existing.pk):
            self.error(
                row,
                "internal_number",
                _("Nomor internal %(value)s sudah dipakai pegawai lain.") % {"value": internal},
            )
        final = self._merge(row, existing)
        self._warnings(row, final)
        if final is not None and not row.failed:
            self._plan(row, existing, final)

    def _merge(self, row: _Row, existing: Employee | None) -> dict[str, Any] | None:
        """Field values after the import (attnames as keys), or ``None`` when the row cannot be completed."""
        values = row.values
        etype = values["employee_type"]
        final: dict[str, Any] = {}
        for name in self.columns:
            attname = ATTNAMES.get(name, name)
            if name in values and name != "position":
                final[attname] = values[name]
            elif existing is not None:
                final[attname] = getattr(existing, attname)
            else:
                final[attname] = self.defaults[name]
        final["nip"] = values.get("nip") if etype in Employee.ASN_TYPES else None
        if etype not in Employee.PNS_TYPES:
            final["golongan"] = ""  # a type change drops the rank of the old type
        if etype not in Employee.PPPK_TYPES:
            final["pppk_golongan"] = ""
        final["internal_number"] = final["internal_number"] or None
        if existing is None:
            missing = [
                n for n in REQUIRED_FOR_NEW if not final[ATTNAMES.get(n, n)] and n not in row.error_columns
            ]
            for name in missing:
                self.error(
                    row, name, _("%(column)s wajib diisi untuk pegawai baru.") % {"column": self.labels[name]}
                )
            if missing:
                return None
        if "unit" in row.error_columns:
            return None
        unit_id = final["unit_id"]
        if "position" in values:
            position_id = self.positions.get((unit_id, name_key(values["position"])))
            if position_id is None:
                self.error(
                    row,
                    "position",
                    _(
                        'Jabatan "%(name)s" tidak ditemukan di unit %(unit)s. Daftarkan jabatannya lebih dahulu.'
                    )
                    % {"name": values["position"], "unit": self.unit_codes.get(unit_id, "")},
                )
                return None
            final["position_id"] = position_id
        elif existing is not None and unit_id != existing.unit_id and final["position_id"]:
            # Moving to another unit without naming the new post: the old post stays behind.
            old_unit, old_name = self.position_info.get(final["position_id"], (unit_id, ""))
            if old_unit != unit_id:
                self.error(
                    row,
                    "position",
                    _("Jabatan lama (%(name)s) bukan milik unit %(unit)s; isi kolom Jabatan.")
                    % {"name": old_name, "unit": self.unit_codes.get(unit_id, "")},
                )
                return None
        return final

    def _warnings(self, row: _Row, final: dict[str, Any] | None) -> None:
        birth = final["birth_date"] if final else row.values.get("birth_date")
        sex = final["sex"] if final else row.values.get("sex")
        info = row.nip_info
        if isinstance(info, identifiers.NipInfo):
            for message in identifiers.nip_warnings(info, birth_date=birth, sex=sex):
                self.warn(row, "nip", message)
            tmt_cpns = final["tmt_cpns"] if final else row.values.get("tmt_cpns")
            if tmt_cpns and (tmt_cpns.year, tmt_cpns.month) != (info.tmt_cpns.year, info.tmt_cpns.month):
                self.warn(
                    row,
                    "tmt_cpns",
                    _("TMT CPNS (%(recorded)s) berbeda dengan TMT CPNS pada NIP (%(encoded)s).")
                    % {"recorded": tanggal(tmt_cpns), "encoded": tanggal(info.tmt_cpns)},
                )
        elif isinstance(info, identifiers.PppkInfo):
            for message in identifiers.ni_pppk_warnings(info, birth_date=birth, sex=sex):
                self.warn(row, "nip", message)
        if row.nik_info is not None:
            for message in identifiers.nik_warnings(row.nik_info, birth_date=birth, sex=sex):
                self.warn(row, "nik", message)
        if row.values.get("nip") == EXAMPLE_NIP:
            self.warn(
                row, "nip", _("Baris ini masih berisi contoh dari templat. Hapus bila tidak dimaksudkan.")
            )

    def _plan(self, row: _Row, existing: Employee | None, final: dict[str, Any]) -> None:
        if existing is None:
            self.plan.new.append(Employee(**final))
            self.report.new += 1
            return
        changed = tuple(a for a, v in final.items() if getattr(existing, a) != v)
        if not changed:
            self.report.unchanged += 1
            return
        for attname in changed:
            setattr(existing, attname, final[attname])
        fields = tuple(a.removesuffix("_id") if a in ATTNAMES.values() else a for a in changed)
        self.plan.updates.setdefault(fields, []).append(existing)
        self.report.updated += 1
        self.report.changes.append(
            RowChange(
                row=row.number,
                identifier=existing.nip or existing.nik,
                name=existing.name,
                columns=tuple(self.labels[f] for f in fields),
            )
        )


def _validate(upload: Any) -> tuple[ImportReport, _Plan]:
    checked = check_xlsx_upload(upload)
    report = ImportReport(filename=checked.filename)
    header, rows = _read_sheet(checked.data)
    validator = _Validator(report)
    if not header:
        validator.issue(1, "", _("Baris judul kolom tidak ditemukan di baris 1."))
        return report, validator.plan
    mapping = validator.map_header(header)
    report.total = len(rows)
    if mapping is None:
        return report, validator.plan
    if not rows:
        validator.issue(0, "", _("Berkas tidak berisi data pegawai."))
        return report, validator.plan
    seen: dict[str, dict[str, int]] = {"nip": {}, "nik": {}, "internal_number": {}}
    parsed = [validator.clean_row(number, cells, mapping, seen) for number, cells in rows]
    validator.resolve(parsed)
    return report, validator.plan
