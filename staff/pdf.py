"""PDF renderers of the staff reports (design.md §3.9): DUK, composition recap, Daftar Riwayat Hidup.

Each renderer is a ``BasePDF`` (letterhead on page 1, "Halaman X dari Y" and the WITA print time on
every page) fed with plain data prepared by ``staff.exporters``: no queries happen here. Every value is
escaped before it reaches ReportLab's paragraph markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, LongTable, Paragraph, Spacer, Table, TableStyle

from situok import formats
from situok.exports.pdf import FONT, FONT_BOLD, BasePDF

GRID = colors.HexColor("#9AA5B1")
HEAD_FILL = colors.HexColor("#DCE6F1")
TOTAL_FILL = colors.HexColor("#F3F5F7")


def _text(value: Any) -> str:
    """Plain text of a value the Indonesian way (dates ``22 November 2026``, numbers ``1.250``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return formats.tanggal(value)
    if isinstance(value, bool):
        return _("Ya") if value else _("Tidak")
    if isinstance(value, int | Decimal):
        return formats.angka(value)
    return str(value)


@dataclass(frozen=True)
class Signer:
    """A signature block (domain.md §8.4): office title, then name, pangkat (golongan) and NIP.

    With ``placeholder`` an empty ``name`` or ``nip`` prints a dotted line to be filled in by hand;
    without it empty lines are left out (e.g. a non-ASN employee has no NIP).
    """

    title: str
    name: str = ""
    pangkat: str = ""
    nip: str = ""
    placeholder: bool = True


@dataclass(frozen=True)
class DukRow:
    """One line of the DUK, already in DUK order (see ``staff.rules.duk_sort_key``)."""

    number: int
    name: str
    nip: str
    golongan: str
    pangkat: str  # "Penata Muda Tingkat I (III/b)"
    tmt_golongan: dt.date | None
    position: str
    eselon: str
    tmt_jabatan: dt.date | None
    masa_kerja_years: int | None
    masa_kerja_months: int | None
    latihan_jabatan: str
    pendidikan: str
    age: int | None
    note: str


@dataclass(frozen=True)
class RecapTable:
    """One table of the composition recap: ``columns`` after the label column, rows of numbers."""

    key: str
    title: str
    sheet: str  # short worksheet name in the XLSX
    columns: tuple[str, ...]
    rows: list[tuple[str, tuple[int | Decimal, ...]]]
    total: tuple[int | Decimal, ...] | None = None


@dataclass
class DrhData:
    """Everything a Daftar Riwayat Hidup prints; personal values arrive already masked when needed."""

    identity: list[tuple[str, str]]
    name: str
    nip: str
    ranks: list[tuple[str, ...]] = field(default_factory=list)
    positions: list[tuple[str, ...]] = field(default_factory=list)
    education: list[tuple[str, ...]] = field(default_factory=list)
    kgb: list[tuple[str, ...]] = field(default_factory=list)


class StaffPDF(BasePDF):
    """Shared styles and helpers of the staff reports."""

    font_size = 7.5

    def __init__(self, *, title: str, generated_at: dt.datetime | None = None) -> None:
        super().__init__(generated_at=generated_at)
        self.title = str(title)
        leading = self.font_size + 1.5
        self.styles = {
            "title": ParagraphStyle(
                "title", fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER
            ),
            "subtitle": ParagraphStyle(
                "subtitle", fontName=FONT, fontSize=9, leading=11, alignment=TA_CENTER, spaceBefore=1
            ),
            "heading": ParagraphStyle(
                "heading", fontName=FONT_BOLD, fontSize=9, leading=11, spaceBefore=6, spaceAfter=3
            ),
            "head": ParagraphStyle(
                "head", fontName=FONT_BOLD, fontSize=self.font_size, leading=leading, alignment=TA_CENTER
            ),
            "cell": ParagraphStyle(
                "cell", fontName=FONT, fontSize=self.font_size, leading=leading, alignment=TA_LEFT
            ),
            "bold": ParagraphStyle(
                "bold", fontName=FONT_BOLD, fontSize=self.font_size, leading=leading, alignment=TA_LEFT
            ),
            "number": ParagraphStyle(
                "number", fontName=FONT, fontSize=self.font_size, leading=leading, alignment=TA_RIGHT
            ),
            "center": ParagraphStyle(
                "center", fontName=FONT, fontSize=self.font_size, leading=leading, alignment=TA_CENTER
            ),
            "sign": ParagraphStyle("sign", fontName=FONT, fontSize=9, leading=12, alignment=TA_LEFT),
            "sign_name": ParagraphStyle("sign_name", fontName=FONT_BOLD, fontSize=9, leading=12),
        }

    def p(self, value: Any, style: str = "cell") -> Paragraph:
        """An escaped paragraph; newlines become line breaks."""
        return Paragraph(escape(_text(value)).replace("\n", "<br/>"), self.styles[style])

    def _title_block(self, *subtitles: str) -> list[Flowable]:
        story: list[Flowable] = [Paragraph(escape(self.title), self.styles["title"])]
        story += [Paragraph(escape(line), self.styles["subtitle"]) for line in subtitles if line]
        story.append(Spacer(1, 4 * mm))
        return story

    def _grid_style(self, header_rows: int = 1) -> list[tuple]:
        return [
            ("GRID", (0, 0), (-1, -1), 0.25, GRID),
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), HEAD_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("VALIGN", (0, 0), (-1, header_rows - 1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]

    def _widths(self, shares: Sequence[float]) -> list[float]:
        width = self.pagesize[0] - self.margin_left - self.margin_right
        total = sum(shares)
        return [width * share / total for share in shares]

    def _signer_block(self, signer: Signer | None, *, date: dt.date, lead: str = "") -> list[Flowable]:
        """Place/date line, office title with comma, signature space, name, pangkat, NIP (§8.4), right half."""
        if signer is None:
            return []
        lines: list[Flowable] = [
            Paragraph(
                escape(formats.tanggal_surat(date, self.institution["city"] or "Denpasar")),
                self.styles["sign"],
            )
        ]
        if lead:
            lines.append(Paragraph(escape(lead), self.styles["sign"]))
        lines += [Paragraph(escape(f"{signer.title},"), self.styles["sign"]), Spacer(1, 18 * mm)]
        if signer.name:
            lines.append(Paragraph(f"<u>{escape(signer.name)}</u>", self.styles["sign_name"]))
        elif signer.placeholder:
            lines.append(Paragraph("(" + "." * 50 + ")", self.styles["sign"]))
        if signer.pangkat:
            lines.append(Paragraph(escape(signer.pangkat), self.styles["sign"]))
        if signer.nip or signer.placeholder:
            nip = formats.nip_display(signer.nip) if signer.nip else "." * 36
            lines.append(Paragraph(escape(f"NIP. {nip}"), self.styles["sign"]))
        width = self.pagesize[0] - self.margin_left - self.margin_right
        block_width = min(95 * mm, width / 2)
        table = Table([[lines]], colWidths=[block_width], hAlign="RIGHT")
        table.setStyle(
            TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("VALIGN", (0, 0), (-1, -1), "TOP")])
        )
        return [Spacer(1, 8 * mm), KeepTogether([table])]


# --- DUK ------------------------------------------------------------------------------------------


class DukPDF(StaffPDF):
    """*Daftar Urut Kepangkatan* (PP 15/1979) in the usual landscape form with a two-row header."""

    pagesize = landscape(A4)
    font_size = 7

    def __init__(
        self,
        rows: Sequence[DukRow],
        *,
        unit_name: str,
        on: dt.date,
        signer: Signer | None,
        generated_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(title=_("DAFTAR URUT KEPANGKATAN PEGAWAI NEGERI SIPIL"), generated_at=generated_at)
        self.rows = rows
        self.unit_name = unit_name
        self.on = on
        self.signer = signer

    def _table(self) -> LongTable:
        s = self.p
        head = [
            [
                s(_("No."), "head"),
                s(_("Nama / NIP"), "head"),
                s(_("Pangkat"), "head"),
                "",
                s(_("Jabatan"), "head"),
                "",
                "",
                s(_("Masa Kerja"), "head"),
                "",
                s(_("Latihan Jabatan"), "head"),
                s(_("Pendidikan"), "head"),
                s(_("Usia"), "head"),
                s(_("Keterangan"), "head"),
            ],
            [
                "",
                "",
                s(_("Gol. Ruang"), "head"),
                s(_("TMT"), "head"),
                s(_("Nama"), "head"),
                s(_("Eselon"), "head"),
                s(_("TMT"), "head"),
                s(_("Thn"), "head"),
                s(_("Bln"), "head"),
                "",
                "",
                "",
                "",
            ],
        ]
        data: list[list[Any]] = list(head)
        for row in self.rows:
            data.append(
                [
                    s(row.number, "center"),
                    Paragraph(
                        f"<b>{escape(row.name)}</b><br/>{escape(formats.nip_display(row.nip))}",
                        self.styles["cell"],
                    ),
                    s(row.pangkat),
                    s(row.tmt_golongan),
                    s(row.position),
                    s(row.eselon or "-", "center"),
                    s(row.tmt_jabatan),
                    s(row.masa_kerja_years, "center"),
                    s(row.masa_kerja_months, "center"),
                    s(row.latihan_jabatan or "-", "center"),
                    s(row.pendidikan),
                    s(row.age, "center"),
                    s(row.note),
                ]
            )
        if not self.rows:
            data.append([s(_("Tidak ada data."))] + [""] * 12)
        style = self._grid_style(header_rows=2)
        style += [
            ("SPAN", (0, 0), (0, 1)),
            ("SPAN", (1, 0), (1, 1)),
            ("SPAN", (2, 0), (3, 0)),
            ("SPAN", (4, 0), (6, 0)),
            ("SPAN", (7, 0), (8, 0)),
            *[("SPAN", (col, 0), (col, 1)) for col in range(9, 13)],
        ]
        if not self.rows:
            style.append(("SPAN", (0, 2), (-1, 2)))
        widths = self._widths((7, 44, 34, 17, 40, 11, 17, 8, 8, 17, 22, 8, 22))
        return LongTable(data, colWidths=widths, repeatRows=2, style=TableStyle(style), hAlign="LEFT")

    def _story(self) -> list[Flowable]:
        subtitle = _("Keadaan per %(date)s") % {"date": formats.tanggal(self.on)}
        return [*self._title_block(self.unit_name, subtitle), self._table()]

    def _signature_block(self) -> list[Flowable]:
        return self._signer_block(self.signer, date=self.on)


# --- Composition recap ----------------------------------------------------------------------------


class RecapPDF(StaffPDF):
    """Several small tables (by golongan, employee type, sex, education, unit), each with a total row."""

    font_size = 8

    def __init__(
        self,
        tables: Sequence[RecapTable],
        *,
        unit_name: str,
        on: dt.date,
        generated_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(title=_("REKAPITULASI KOMPOSISI PEGAWAI"), generated_at=generated_at)
        self.tables = tables
        self.unit_name = unit_name
        self.on = on

    def _recap_table(self, index: int, table: RecapTable) -> list[Flowable]:
        letter = chr(ord("A") + index) if index < 26 else str(index + 1)
        heading = Paragraph(escape(f"{letter}. {table.title}"), self.styles["heading"])
        head = [self.p(_("No."), "head"), self.p(_("Uraian"), "head")]
        head += [self.p(column, "head") for column in table.columns]
        data: list[list[Any]] = [head]
        for number, (label, values) in enumerate(table.rows, start=1):
            data.append([self.p(number, "center"), self.p(label), *[self.p(v, "number") for v in values]])
        style = self._grid_style()
        if table.total is not None:
            # The label goes in the first cell: a SPAN shows only the content of its top-left cell.
            data.append([self.p(_("Jumlah"), "bold"), "", *[self.p(v, "number") for v in table.total]])
            style += [("BACKGROUND", (0, -1), (-1, -1), TOTAL_FILL), ("SPAN", (0, -1), (1, -1))]
        widths = self._widths((8, 80, *[22] * len(table.columns)))
        grid = Table(data, colWidths=widths, repeatRows=1, style=TableStyle(style), hAlign="LEFT")
        # Short tables stay whole with their heading; long ones (many units) may break across pages.
        if len(data) <= 25:
            return [KeepTogether([heading, grid])]
        return [heading, grid]

    def _story(self) -> list[Flowable]:
        subtitle = _("Keadaan per %(date)s") % {"date": formats.tanggal(self.on)}
        story = self._title_block(self.unit_name, subtitle)
        for index, table in enumerate(self.tables):
            story += self._recap_table(index, table)
        return story


# --- Daftar Riwayat Hidup -------------------------------------------------------------------------


class DrhPDF(StaffPDF):
    """*Daftar Riwayat Hidup* of one employee: identity, then rank, position, education and KGB history."""

    font_size = 8

    def __init__(self, data: DrhData, *, on: dt.date, generated_at: dt.datetime | None = None) -> None:
        super().__init__(title=_("DAFTAR RIWAYAT HIDUP"), generated_at=generated_at)
        self.data = data
        self.on = on

    def _identity(self) -> Table:
        rows = [
            [self.p(number, "center"), self.p(label), self.p(":", "center"), self.p(value)]
            for number, (label, value) in enumerate(self.data.identity, start=1)
        ]
        style = [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 2),
            ("RIGHTPADDING", (0, 0), (-1, -1), 2),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ]
        return Table(rows, colWidths=self._widths((6, 50, 3, 120)), style=TableStyle(style), hAlign="LEFT")

    def _history(self, columns: Sequence[str], shares: Sequence[float], rows: list[tuple[str, ...]]) -> Table:
        data: list[list[Any]] = [[self.p(_("No."), "head"), *[self.p(c, "head") for c in columns]]]
        data += [
            [self.p(number, "center"), *[self.p(value) for value in row]]
            for number, row in enumerate(rows, 1)
        ]
        style = self._grid_style()
        if not rows:
            data.append([self.p(_("Belum ada data."))] + [""] * len(columns))
            style.append(("SPAN", (0, 1), (-1, 1)))
        return Table(
            data, colWidths=self._widths((10, *shares)), repeatRows=1, style=TableStyle(style), hAlign="LEFT"
        )

    def _story(self) -> list[Flowable]:
        h = self.styles["heading"]
        story = self._title_block()
        story += [Paragraph(escape(_("I. KETERANGAN PERORANGAN")), h), self._identity()]
        sections = (
            (
                _("II. RIWAYAT KEPANGKATAN"),
                (_("Pangkat/Golongan"), _("TMT"), _("Nomor SK"), _("Tanggal SK")),
                (60, 25, 55, 25),
                self.data.ranks,
            ),
            (
                _("III. RIWAYAT JABATAN"),
                (_("Jabatan"), _("Unit Kerja"), _("TMT"), _("Nomor SK")),
                (50, 50, 25, 40),
                self.data.positions,
            ),
            (
                _("IV. RIWAYAT PENDIDIKAN"),
                (_("Jenjang"), _("Jurusan"), _("Sekolah/Perguruan Tinggi"), _("Tahun Lulus")),
                (18, 45, 77, 25),
                self.data.education,
            ),
            (
                _("V. RIWAYAT KENAIKAN GAJI BERKALA"),
                (_("TMT"), _("Gaji Pokok"), _("Masa Kerja Golongan"), _("Nomor SK")),
                (25, 35, 35, 70),
                self.data.kgb,
            ),
        )
        for heading, columns, shares, rows in sections:
            story += [Paragraph(escape(heading), h), self._history(columns, shares, rows)]
        return story

    def _signature_block(self) -> list[Flowable]:
        signer = Signer(
            title=_("Yang bersangkutan"), name=self.data.name, nip=self.data.nip, placeholder=False
        )
        return self._signer_block(signer, date=self.on)
