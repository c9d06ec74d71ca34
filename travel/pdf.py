"""Official travel documents as PDF (issue #5 items 6 and 8; domain.md §2.1, §8.3–8.5).

SPT, SPPD (front and back), *rincian biaya*, *kuitansi*, *daftar pengeluaran riil* (DPR) and the trip
report, each a ``TravelPDF`` on the shared kit (letterhead on page 1, signature lines from
``situok.signatures``, Indonesian dates and Rupiah from ``situok.formats``).

Every document carries a QR code and the verification URL and token in the footer of each page
(``situok.verification``). The output is deterministic — ReportLab ``invariant`` mode and no print time
on the page — so the SHA-256 on the verification page matches every download of the current version.
A cancelled trip prints with a large *BATAL* mark on every page.

Official document text is Indonesian whatever the UI language (like ``situok.signatures``): the text
here is plain strings, and rendering runs under ``translation.override("id")`` so choice labels
(transport, travel type) come out in Indonesian too.

Entry points: :func:`document_print` (seal + render + hash + audit, used by the download views),
:func:`document_available`, the renderers ``spt_pdf`` … ``report_pdf`` and the bench hook
:func:`sppd_pdf_bytes`.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.db.models import Prefetch
from django.utils import translation
from django.utils.text import slugify
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from situok import formats
from situok.exports.pdf import FONT, FONT_BOLD, BasePDF, NumberedCanvas, qr_image
from situok.signatures import Mandate, SignatureLines, Signer, infer_role_kind, signature_lines
from situok.verification import DocumentSeal, seal_for, seal_record_pdf, verification_url
from staff.models import Employee
from staff.rules import normalize_golongan, pangkat_for

from .costs import LUMP_SUM, ZERO, balance, money
from .models import Sppd, Trip, TripExpense, TripMember, TripReport, TripReportFile

GRID = colors.HexColor("#444444")
LIGHT = colors.HexColor("#EEF1F4")

# Stamp duty (UU 10/2020): documents stating an amount above Rp5.000.000 carry a Rp10.000 meterai.
METERAI_THRESHOLD = Decimal("5000000")
METERAI_NOTE = "Bea meterai Rp10.000 (UU Nomor 10 Tahun 2020) karena jumlah lebih dari Rp5.000.000"

# Principals printed above the signer when the SPT snapshot has a prefix but only one title line.
DEFAULT_AN_PRINCIPAL = "SEKRETARIS DAERAH PROVINSI BALI"
DEFAULT_UB_PRINCIPAL = "GUBERNUR BALI"
DEFAULT_UB_INTERMEDIATE = "SEKRETARIS DAERAH PROVINSI BALI"

SPPD_RETURN_STATEMENT = (
    "Telah diperiksa dengan keterangan bahwa perjalanan tersebut atas perintahnya dan semata-mata "
    "untuk kepentingan jabatan dalam waktu yang sesingkat-singkatnya."
)
SPPD_LIABILITY_NOTICE = (
    "Pejabat yang berwenang menerbitkan SPPD, pegawai yang melakukan perjalanan dinas, para pejabat "
    "yang mengesahkan tanggal berangkat/tiba, serta bendahara pengeluaran bertanggung jawab "
    "berdasarkan peraturan-peraturan keuangan negara/daerah apabila negara/daerah menderita rugi "
    "akibat kesalahan, kelalaian, dan kealpaannya."
)
DPR_STATEMENT_1 = (
    "Biaya transport pegawai dan/atau biaya penginapan di bawah ini yang tidak dapat diperoleh "
    "bukti-bukti pengeluarannya, meliputi:"
)
DPR_STATEMENT_2 = (
    "Jumlah uang tersebut pada angka 1 di atas benar-benar dikeluarkan untuk pelaksanaan perjalanan "
    "dinas dimaksud dan apabila di kemudian hari terdapat kelebihan atas pembayaran, kami bersedia "
    "untuk menyetorkan kelebihan tersebut ke Kas Daerah."
)
DPR_CLOSING = "Demikian pernyataan ini kami buat dengan sebenarnya, untuk dipergunakan sebagaimana mestinya."
SPT_CLOSING = "Demikian Surat Perintah Tugas ini dibuat untuk dilaksanakan dengan penuh tanggung jawab."

# Labels of the cost lines by kind: the snapshot's own label may be in the UI language of the day.
COST_LINE_LABELS = {
    "uang_harian": "Uang harian",
    "representasi": "Uang representasi",
    "penginapan": "Biaya penginapan",
    "penginapan_30": "Biaya penginapan (30% tanpa hotel)",
    "transport": "Biaya transport",
}
EXPENSE_LABELS = {
    TripExpense.Kind.TRANSPORT: "Biaya transportasi",
    TripExpense.Kind.LODGING: "Biaya penginapan",
    TripExpense.Kind.VEHICLE_RENTAL: "Sewa kendaraan dalam kota",
    TripExpense.Kind.OTHER: "Biaya lain-lain",
}


def stop_block_count() -> int:
    """Visum blocks for stops on the SPPD back page (II, III, IV …): ``TRAVEL_SPPD_STOP_BLOCKS``, ≥ 3."""
    return max(3, int(getattr(settings, "TRAVEL_SPPD_STOP_BLOCKS", 3)))


# --- Plain values ---------------------------------------------------------------------------------


def employee_nip(employee) -> str:
    """NIP as printed; non-ASN staff have none (never a NIK instead)."""
    if employee.is_asn and employee.nip:
        return formats.nip_display(employee.nip)
    return "-"


def employee_pangkat(employee) -> str:
    """``Penata Muda Tingkat I (III/b)``; a PPPK prints ``Golongan IX``; non-ASN ``-``."""
    if employee.golongan:
        try:
            code = normalize_golongan(employee.golongan)
        except ValueError:
            return employee.golongan
        return f"{pangkat_for(code)} ({code})"
    if employee.pppk_golongan:
        return f"Golongan {employee.pppk_golongan}"
    return "-"


def employee_position(employee) -> str:
    return employee.position.name if employee.position_id else "-"


def days_text(days: int) -> str:
    return f"{days} ({formats.terbilang(days)}) hari"


def date_range(start: dt.date, end: dt.date) -> str:
    if start == end:
        return formats.tanggal(start)
    return f"{formats.tanggal(start)} s.d. {formats.tanggal(end)}"


def destination_text(destination) -> str:
    region = destination.region.name if destination.region_id else ""
    if destination.place and region:
        return f"{destination.place}, {region}"
    return destination.place or region


def destinations_text(trip: Trip) -> str:
    return "; ".join(destination_text(d) for d in trip.destinations.all()) or "-"


def origin_text(trip: Trip) -> str:
    return trip.origin.name if trip.origin_id else (trip.issued_place or "Denpasar")


def members_of(trip: Trip) -> list[TripMember]:
    return sorted(trip.members.all(), key=lambda m: (not m.is_lead, m.order, m.pk))


def _person_lines(title: str, name: str, nip: str = "", pangkat: str = "") -> SignatureLines:
    """A simple signature block: ``title,`` / space / **name** / pangkat / ``NIP. …``."""
    lines = SignatureLines([f"{title}," if title else "", "", "", ""])
    lines.name_index = len(lines)
    lines.append(name or "(..................................)")
    if pangkat and pangkat != "-":
        lines.append(pangkat)
    if nip and nip != "-":
        lines.append(f"NIP. {nip}")
    return lines


def ppk_lines(trip: Trip, title: str | None = None) -> SignatureLines:
    """The PPK (or, without a PPK snapshot, the SPT signer) as a signature block."""
    if trip.ppk_name:
        return _person_lines(
            title or "Pejabat Pembuat Komitmen",
            trip.ppk_name,
            formats.nip_display(trip.ppk_nip) if trip.ppk_nip else "",
        )
    return _person_lines(
        title or (trip.signer_role or "Pejabat Pembuat Komitmen"),
        trip.signer_name,
        formats.nip_display(trip.signer_nip) if trip.signer_nip else "",
        trip.signer_pangkat,
    )


def traveller_lines(employee, title: str) -> SignatureLines:
    return _person_lines(title, employee.name_with_titles, employee_nip(employee))


def spt_signer_lines(trip: Trip) -> SignatureLines:
    """The SPT signer with the a.n./u.b./Plt./Plh. prefix of the snapshot (domain.md §8.4).

    ``signer_role`` may hold several lines — principal, (intermediate,) own title — for a.n./u.b.;
    with one line the principals default to the Sekda (a.n.) or the Governor and the Sekda (u.b.).
    """
    roles = [line.strip() for line in (trip.signer_role or "").splitlines() if line.strip()]
    own = roles[-1] if roles else "KEPALA BIRO UMUM DAN PROTOKOL"
    prefix = trip.signer_prefix
    if prefix == Trip.SignerPrefix.AN:
        mandate = Mandate("an", principal_title=roles[0] if len(roles) >= 2 else DEFAULT_AN_PRINCIPAL)
    elif prefix == Trip.SignerPrefix.UB:
        if len(roles) >= 3:
            mandate = Mandate("ub", principal_title=roles[0], intermediate_title=roles[1])
        else:
            mandate = Mandate(
                "ub", principal_title=DEFAULT_UB_PRINCIPAL, intermediate_title=DEFAULT_UB_INTERMEDIATE
            )
    elif prefix == Trip.SignerPrefix.PLT:
        mandate = Mandate("plt")
    elif prefix == Trip.SignerPrefix.PLH:
        mandate = Mandate("plh")
    else:
        mandate = Mandate()
    signer = Signer(
        trip.signer_name or "(..................................)",
        title=own.upper(),
        nip=trip.signer_nip,
        pangkat=trip.signer_pangkat,
        role_kind=infer_role_kind(own),
    )
    return signature_lines(signer, mandate=mandate)


# --- Base document ----------------------------------------------------------------------------------


class TravelPDF(BasePDF):
    """Shared layout of the travel documents: styles, QR footer, BATAL mark, deterministic bytes."""

    margin_bottom = 27 * mm
    font_size = 10.0
    qr_size = 17 * mm

    def __init__(self, *, qr_url: str, token: str, cancelled: bool = False) -> None:
        # A fixed time: nothing on the page depends on when it is printed.
        super().__init__(generated_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
        self.qr_url = qr_url
        self.token = token
        self.cancelled = cancelled
        self._qr_image: ImageReader | None = None
        size, leading = self.font_size, self.font_size * 1.25
        base = ParagraphStyle("body", fontName=FONT, fontSize=size, leading=leading, alignment=TA_LEFT)
        self.styles = {
            "body": base,
            "justify": ParagraphStyle("justify", parent=base, alignment=TA_JUSTIFY),
            "bold": ParagraphStyle("bold", parent=base, fontName=FONT_BOLD),
            "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER),
            "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
            "right_bold": ParagraphStyle("right_bold", parent=base, alignment=TA_RIGHT, fontName=FONT_BOLD),
            "title": ParagraphStyle(
                "title", parent=base, fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER
            ),
            "small": ParagraphStyle("small", parent=base, fontSize=size - 1.5, leading=(size - 1.5) * 1.25),
            "small_bold": ParagraphStyle(
                "small_bold",
                parent=base,
                fontName=FONT_BOLD,
                fontSize=size - 1.5,
                leading=(size - 1.5) * 1.25,
            ),
            "sign": ParagraphStyle("sign", parent=base),
            "sign_name": ParagraphStyle("sign_name", parent=base, fontName=FONT_BOLD),
        }

    # --- text helpers ---

    def p(self, value: Any, style: str = "body") -> Paragraph:
        """An escaped paragraph; newlines become line breaks."""
        text = "" if value is None else str(value)
        return Paragraph(escape(text).replace("\n", "<br/>"), self.styles[style])

    def markup(self, markup: str, style: str = "body") -> Paragraph:
        """A paragraph from trusted markup (values already escaped by the caller)."""
        return Paragraph(markup, self.styles[style])

    def cell(self, value: Any, width: float, style: str = "body") -> str | Paragraph:
        """A table cell: plain text when every line fits ``width`` (ReportLab draws it verbatim and
        cheaply; the table style sets the font), else a wrapping paragraph."""
        text = "" if value is None else str(value)
        st = self.styles[style]
        if all(stringWidth(line, st.fontName, st.fontSize) <= width for line in text.split("\n")):
            return text
        return self.p(text, style)

    @property
    def width(self) -> float:
        return self.pagesize[0] - self.margin_left - self.margin_right

    def title_block(self, title: str, number: str | None = None) -> list[Flowable]:
        story: list[Flowable] = [self.markup(f"<u>{escape(title)}</u>", "title")]
        if number is not None:
            story.append(self.p(f"Nomor : {number or '-'}", "center"))
        story.append(Spacer(1, 5 * mm))
        return story

    def text_style(self, style: str = "body") -> list[tuple]:
        """Table commands giving plain-text cells the font of ``style``."""
        st = self.styles[style]
        return [
            ("FONTNAME", (0, 0), (-1, -1), st.fontName),
            ("FONTSIZE", (0, 0), (-1, -1), st.fontSize),
            ("LEADING", (0, 0), (-1, -1), st.leading),
        ]

    def field_table(
        self,
        rows: Sequence[tuple[str, Any]],
        label_width: float = 45 * mm,
        style: str = "body",
        width: float | None = None,
    ) -> Table:
        """``label : value`` rows (values may be flowables), ``width`` wide (the frame by default)."""
        width = self.width if width is None else width
        value_width = width - label_width - 4 * mm
        data = [
            [
                self.cell(label, label_width - 1, style),
                ":",
                value if isinstance(value, Flowable) else self.cell(value, value_width - 1, style),
            ]
            for label, value in rows
        ]
        table = Table(data, colWidths=[label_width, 4 * mm, value_width], hAlign="LEFT")
        table.setStyle(TableStyle([*_PLAIN, *self.text_style(style)]))
        return table

    def numbered(self, items: Sequence[str], style: str = "justify") -> Flowable:
        """A numbered list as a two-column table (one item: no number)."""
        items = [str(item) for item in items if str(item).strip()]
        if not items:
            return self.p("-", style)
        if len(items) == 1:
            return self.p(items[0], style)
        data = [[f"{i}.", self.p(item, style)] for i, item in enumerate(items, start=1)]
        table = Table(data, colWidths=[7 * mm, None], hAlign="LEFT")
        table.setStyle(TableStyle([*_PLAIN, *self.text_style(style)]))
        return table

    def sig_cell(self, lines: Sequence[str], head: Sequence[str] = ()) -> list[Flowable]:
        """One signature block as a single paragraph; the name (``name_index``) bold and underlined."""
        name_at = getattr(lines, "name_index", None)
        parts = [escape(text) for text in head]
        for index, text in enumerate(lines):
            parts.append(f"<b><u>{escape(text)}</u></b>" if index == name_at else escape(text))
        # An empty line still takes its height: a non-breaking space keeps it.
        return [self.markup("<br/>".join(part or "\u00a0" for part in parts), "sign")]

    def sig_row(
        self, cells: Sequence[list[Flowable] | str], widths: Sequence[float] | None = None
    ) -> Flowable:
        """Signature blocks side by side, kept on one page."""
        widths = list(widths or [self.width / len(cells)] * len(cells))
        table = Table([list(cells)], colWidths=widths, hAlign="LEFT")
        table.setStyle(_plain_style(padding=2))
        return KeepTogether([Spacer(1, 4 * mm), table])

    def sig_blocks(self, blocks: Sequence[tuple[Sequence[str], Sequence[str]]]) -> Flowable:
        """Signature blocks ``(lines, head)`` side by side in equal columns, heads padded to one
        height so the names line up."""
        rows = max(len(head) for _lines, head in blocks)
        cells = [self.sig_cell(lines, [*head, *[""] * (rows - len(head))]) for lines, head in blocks]
        return self.sig_row(cells)

    def grid_table(
        self,
        data: list[list[Any]],
        widths: Sequence[float],
        *,
        header_rows: int = 1,
        extra: Sequence[tuple] = (),
    ) -> Table:
        table = Table(data, colWidths=list(widths), repeatRows=header_rows, hAlign="LEFT")
        style = [
            ("GRID", (0, 0), (-1, -1), 0.5, GRID),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ]
        if header_rows:
            style.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), LIGHT))
        table.setStyle(TableStyle(style + list(extra)))
        return table

    # --- page furniture ---

    def _footer(self, canvas: Canvas, page: int, page_count: int) -> None:
        """QR code, verification URL and token on the left; "Halaman X dari Y" on the right; BATAL."""
        if self.cancelled:
            self._cancel_mark(canvas)
        width, _height = canvas._pagesize
        y = 6 * mm
        if self._qr_image is None:
            self._qr_image = qr_image(self.qr_url)
        # The same image on every page: ReportLab embeds it once.
        canvas.drawImage(self._qr_image, self.margin_left, y, self.qr_size, self.qr_size)
        canvas.saveState()
        canvas.setFillColor(colors.HexColor("#333333"))
        x = self.margin_left + self.qr_size + 3 * mm
        canvas.setFont(FONT, 7)
        canvas.drawString(
            x, y + 11 * mm, "Keaslian dokumen ini dapat diperiksa dengan memindai kode QR atau membuka:"
        )
        canvas.setFont(FONT_BOLD, 7)
        canvas.drawString(x, y + 7.5 * mm, self.qr_url)
        canvas.setFont(FONT, 7)
        canvas.drawString(x, y + 4 * mm, f"Token verifikasi: {self.token}")
        canvas.drawRightString(width - self.margin_right, y, f"Halaman {page} dari {page_count}")
        canvas.restoreState()

    def _cancel_mark(self, canvas: Canvas) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.8, 0, 0, alpha=0.25))
        canvas.setStrokeColor(colors.Color(0.8, 0, 0, alpha=0.25))
        canvas.translate(width / 2, height / 2)
        canvas.rotate(40)
        canvas.setFont(FONT_BOLD, 120)
        canvas.drawCentredString(0, -40, "BATAL")
        canvas.restoreState()

    # --- rendering ---

    def _doc_template(self, fileobj: BinaryIO) -> BaseDocTemplate:
        doc = super()._doc_template(fileobj)
        doc.invariant = 1  # fixed document id and dates: the same document gives the same bytes
        return doc

    def render_to(self, fileobj: BinaryIO) -> None:
        with translation.override("id"):
            doc = self._doc_template(fileobj)
            story = [*self._story(), *self._signature_block()]
            doc.build(story, canvasmaker=functools.partial(NumberedCanvas, footer=self._footer))


_PLAIN = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 1),
    ("TOPPADDING", (0, 0), (-1, -1), 1),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
]


def _plain_style(padding: float = 1) -> TableStyle:
    return TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), padding),
            ("TOPPADDING", (0, 0), (-1, -1), padding),
            ("BOTTOMPADDING", (0, 0), (-1, -1), padding),
        ]
    )


# --- SPT ------------------------------------------------------------------------------------------


class SptPDF(TravelPDF):
    """*Surat Perintah Tugas*: Dasar, MEMERINTAHKAN, Kepada (table), Untuk, signer with prefix."""

    title = "Surat Perintah Tugas"

    def __init__(self, trip: Trip, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.trip = trip

    def _members_table(self) -> Table:
        head = [self.p(t, "small_bold") for t in ("No.", "Nama", "NIP", "Pangkat/Gol.", "Jabatan")]
        rows = [head]
        for i, member in enumerate(members_of(self.trip), start=1):
            e = member.employee
            rows.append(
                [
                    self.p(f"{i}.", "small"),
                    self.p(e.name_with_titles, "small"),
                    self.p(employee_nip(e), "small"),
                    self.p(employee_pangkat(e), "small"),
                    self.p(employee_position(e), "small"),
                ]
            )
        w = self.width - 49 * mm
        return self.grid_table(rows, [8 * mm, w * 0.32, 35 * mm, w * 0.26, w * 0.42 - 8 * mm + 14 * mm])

    def _story(self) -> list[Flowable]:
        trip = self.trip
        budget = trip.budget_line
        untuk = [
            trip.purpose,
            f"Tempat tujuan: {destinations_text(trip)}.",
            f"Lamanya perjalanan dinas {days_text(trip.days)}, tanggal {date_range(trip.depart_date, trip.return_date)}.",
            f"Alat angkutan: {trip.get_transport_display()}.",
        ]
        if budget is not None:
            untuk.append(
                f"Biaya dibebankan pada DPA {budget.sub_activity_code} {budget.sub_activity_name}, "
                f"kode rekening {budget.kode_rekening} ({budget.name}) Tahun Anggaran {budget.year}."
            )
        untuk.append("Melaporkan hasil pelaksanaan tugas kepada pemberi tugas.")
        story = self.title_block("SURAT PERINTAH TUGAS", trip.spt_number)
        story += [
            self.field_table([("Dasar", self.numbered(trip.dasar or ["-"]))], label_width=22 * mm),
            Spacer(1, 4 * mm),
            self.p("MEMERINTAHKAN:", "title"),
            Spacer(1, 3 * mm),
            self.field_table([("Kepada", "")], label_width=22 * mm),
            self._members_table(),
            Spacer(1, 3 * mm),
            self.field_table([("Untuk", self.numbered(untuk))], label_width=22 * mm),
            Spacer(1, 3 * mm),
            self.p(SPT_CLOSING, "justify"),
        ]
        return story

    def _signature_block(self) -> list[Flowable]:
        trip = self.trip
        head = [
            f"Dikeluarkan di : {trip.issued_place}",
            f"Pada tanggal : {formats.tanggal(trip.spt_date)}",
            "",
        ]
        return [
            self.sig_row(
                ["", self.sig_cell(spt_signer_lines(trip), head)], [self.width * 0.45, self.width * 0.55]
            )
        ]


# --- SPPD (front and back) ------------------------------------------------------------------------


class SppdPDF(TravelPDF):
    """*Surat Perintah Perjalanan Dinas*: front items 1–10, back page with visum blocks I–VII."""

    title = "Surat Perintah Perjalanan Dinas"
    font_size = 9.0

    def __init__(self, sppd: Sppd, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sppd = sppd
        self.member = sppd.member
        self.trip = sppd.member.trip
        self.employee = sppd.member.employee

    def _followers(self, width: float) -> Flowable:
        followers = (
            [m for m in members_of(self.trip) if m.pk != self.member.pk] if self.member.is_lead else []
        )
        widths = [width * 0.45, width * 0.25, width * 0.30]
        rows: list[list[Any]] = [["Nama", "Tanggal Lahir", "Keterangan"]]
        for m in followers:
            e = m.employee
            values = (e.name_with_titles, formats.tanggal(e.birth_date) or "-", employee_position(e))
            rows.append([self.cell(v, w - 6, "small") for v, w in zip(values, widths, strict=True)])
        if not followers:
            rows.append(["-", "-", "-"])
        return self.grid_table(
            rows,
            widths,
            extra=[*self.text_style("small"), ("FONTNAME", (0, 0), (-1, 0), FONT_BOLD)],
        )

    def _front(self) -> list[Flowable]:
        trip, e, sppd = self.trip, self.employee, self.sppd
        header = Table(
            [
                ["Lembar ke", ":", ""],
                ["Kode No.", ":", ""],
                ["Nomor", ":", self.cell(sppd.number, 54 * mm, "small")],
            ],
            colWidths=[18 * mm, 3 * mm, 55 * mm],
            hAlign="RIGHT",
        )
        header.setStyle(TableStyle([*_PLAIN, *self.text_style("small")]))
        budget = trip.budget_line
        instansi = self.institution["office"].title() + " Provinsi Bali"
        if self.institution["unit"]:
            instansi = f"{self.institution['unit'].title()}, {instansi}"
        if budget is not None and budget.sub_activity_code:
            instansi += f" — DPA sub kegiatan {budget.sub_activity_code} {budget.sub_activity_name}"
        akun = f"{budget.kode_rekening} {budget.name}" if budget is not None else "-"
        ppk = trip.ppk_role or "Pejabat Pembuat Komitmen"
        if trip.ppk_name:
            ppk = f"{ppk} ({trip.ppk_name})"
        label_w, value_w = self.width * 0.45 - 8 * mm, self.width * 0.55
        items = [
            ("1.", ["Pejabat Pembuat Komitmen"], [ppk]),
            (
                "2.",
                ["Nama/NIP Pegawai yang melaksanakan", "perjalanan dinas"],
                [e.name_with_titles, f"NIP. {employee_nip(e)}"],
            ),
            (
                "3.",
                ["a. Pangkat dan Golongan", "b. Jabatan/Instansi", "c. Tingkat Biaya Perjalanan Dinas"],
                [
                    f"a. {employee_pangkat(e)}",
                    f"b. {employee_position(e)} / {trip.unit.name}",
                    f"c. Tingkat {sppd.cost_tier}",
                ],
            ),
            ("4.", ["Maksud Perjalanan Dinas"], [trip.purpose]),
            ("5.", ["Alat angkutan yang dipergunakan"], [str(trip.get_transport_display())]),
            (
                "6.",
                ["a. Tempat berangkat", "b. Tempat tujuan"],
                [f"a. {origin_text(trip)}", f"b. {destinations_text(trip)}"],
            ),
            (
                "7.",
                [
                    "a. Lamanya Perjalanan Dinas",
                    "b. Tanggal berangkat",
                    "c. Tanggal harus kembali/tiba di tempat baru",
                ],
                [
                    f"a. {days_text(trip.days)}",
                    f"b. {formats.tanggal(trip.depart_date)}",
                    f"c. {formats.tanggal(trip.return_date)}",
                ],
            ),
            ("8.", ["Pengikut:"], None),
            ("9.", ["Pembebanan Anggaran", "a. Instansi", "b. Akun"], ["", f"a. {instansi}", f"b. {akun}"]),
            ("10.", ["Keterangan lain-lain"], [trip.notes or "-"]),
        ]
        data = [
            [
                no,
                self.cell("\n".join(label), label_w - 6),
                self._followers(value_w - 6) if value is None else self.cell("\n".join(value), value_w - 6),
            ]
            for no, label, value in items
        ]
        table = self.grid_table(data, [8 * mm, label_w, value_w], header_rows=0, extra=self.text_style())
        foot_head = [
            f"Dikeluarkan di : {trip.issued_place}",
            f"Tanggal : {formats.tanggal(trip.spt_date)}",
            "",
        ]
        return [
            header,
            Spacer(1, 3 * mm),
            *self.title_block("SURAT PERINTAH PERJALANAN DINAS (SPPD)"),
            table,
            self.sig_row(
                ["", self.sig_cell(ppk_lines(trip), foot_head)], [self.width * 0.5, self.width * 0.5]
            ),
        ]

    def _visum(self, rows: Sequence[tuple[str, str]], officer: str | None = None) -> Table:
        """One half of a visum block: ``label : value`` lines, then (for a stop) the certifying
        official with room for the stamp and signature."""
        width = self.width / 2 - 7
        label_w = 31 * mm
        data: list[list[Any]] = [
            [label, ":", self.cell(value, width - label_w - 4 * mm - 1, "small")] for label, value in rows
        ]
        heights: list[float | None] = [None] * len(data)
        style = [*_PLAIN, *self.text_style("small")]
        if officer is not None:
            first = len(data)
            data += [
                ["Kepala/Pejabat yang mengesahkan,", "", ""],
                ["", "", ""],
                [f"({officer})" if officer else "(..................................)", "", ""],
            ]
            heights += [None, 11 * mm, None]
            style += [("SPAN", (0, r), (-1, r)) for r in range(first, first + 3)]
        table = Table(
            data, colWidths=[label_w, 4 * mm, width - label_w - 4 * mm], rowHeights=heights, hAlign="LEFT"
        )
        table.setStyle(TableStyle(style))
        return table

    def _back(self) -> list[Flowable]:
        trip, sppd = self.trip, self.sppd
        stops = list(sppd.stops.all())
        blocks = max(stop_block_count(), len(stops))
        origin = origin_text(trip)
        first_dest = next((destination_text(d) for d in trip.destinations.all()), "-")
        half = self.width / 2
        ppk = self.sig_cell(ppk_lines(trip))
        rows: list[list[Any]] = []
        block_i = [
            self._visum(
                [
                    ("I. Berangkat dari", f"{origin} (tempat kedudukan)"),
                    ("Ke", first_dest),
                    ("Pada tanggal", formats.tanggal(trip.depart_date)),
                ]
            ),
            *ppk,
        ]
        rows.append(["", block_i])
        for index in range(blocks):
            number = formats.romawi(index + 2)
            stop = stops[index] if index < len(stops) else None
            officer = stop.officer_name if stop else ""
            arrive = self._visum(
                [
                    (f"{number}. Tiba di", stop.place if stop else ""),
                    ("Pada tanggal", formats.tanggal(stop.arrived_on) if stop else ""),
                ],
                officer,
            )
            depart = self._visum(
                [
                    ("Berangkat dari", stop.place if stop else ""),
                    ("Ke", stop.departed_to if stop else ""),
                    ("Pada tanggal", formats.tanggal(stop.departed_on) if stop else ""),
                ],
                officer,
            )
            rows.append([arrive, depart])
        back_no = formats.romawi(blocks + 2)
        returned = [
            self._visum(
                [
                    (f"{back_no}. Tiba kembali di", f"{origin} (tempat kedudukan)"),
                    ("Pada tanggal", formats.tanggal(sppd.actual_return_date)),
                ]
            ),
            *ppk,
        ]
        checked = [self.p(SPPD_RETURN_STATEMENT), *ppk]
        rows.append([returned, checked])
        notes_no, notice_no = formats.romawi(blocks + 3), formats.romawi(blocks + 4)
        notes = f"{notes_no}. Catatan Lain-lain: {trip.notes or ''}".rstrip()
        rows.append([self.cell(notes, self.width - 6), ""])
        rows.append(
            [
                self.markup(f"<b>{notice_no}. PERHATIAN:</b><br/>{escape(SPPD_LIABILITY_NOTICE)}", "justify"),
                "",
            ]
        )
        last = len(rows) - 1
        table = self.grid_table(
            rows,
            [half, half],
            header_rows=0,
            extra=[
                *self.text_style(),
                ("SPAN", (0, last - 1), (1, last - 1)),
                ("SPAN", (0, last), (1, last)),
            ],
        )
        return [table]

    def _story(self) -> list[Flowable]:
        return [*self._front(), PageBreak(), *self._back()]


# --- Rincian biaya, kuitansi, DPR -----------------------------------------------------------------


@dataclass(frozen=True)
class CostItem:
    label: str
    detail: str
    amount: Decimal
    note: str = ""


@dataclass(frozen=True)
class CostSummary:
    """What the rincian biaya and the kuitansi print: lump-sum and at-cost items kept apart."""

    lump_sum: tuple[CostItem, ...]
    at_cost: tuple[CostItem, ...]
    lump_sum_total: Decimal
    at_cost_total: Decimal
    total: Decimal
    advance: Decimal
    to_pay: Decimal
    to_return: Decimal


def _decimal(value: Any) -> Decimal:
    return money(Decimal(str(value))) if value not in (None, "") else ZERO


def cost_summary(sppd: Sppd) -> CostSummary:
    """Lump-sum lines from the SPPD snapshot; at-cost lines from the recorded expenses once there are
    any (lodging capped at the ceiling per night), else the at-cost lines of the snapshot."""
    lump: list[CostItem] = []
    snapshot_at_cost: list[CostItem] = []
    for line in sppd.cost_lines or []:
        label = COST_LINE_LABELS.get(line.get("kind", ""), str(line.get("label", "")))
        quantity = int(line.get("quantity") or 1)
        unit = _decimal(line.get("unit_amount"))
        item = CostItem(label, f"{quantity} × {formats.rupiah(unit)}", _decimal(line.get("amount")))
        (lump if line.get("basis") == LUMP_SUM else snapshot_at_cost).append(item)
    expenses = list(sppd.expenses.all())
    at_cost = snapshot_at_cost
    if expenses:
        at_cost = []
        ceiling = money(sppd.lodging_ceiling or 0)
        for x in expenses:
            amount = money(x.amount)
            note = "kuitansi" if x.has_receipt else "DPR"
            if x.kind == TripExpense.Kind.LODGING and ceiling > 0 and amount > ceiling * x.quantity:
                amount = money(ceiling * x.quantity)
                note += f"; maks. {formats.rupiah(ceiling)}/malam"
            detail = x.description if x.quantity == 1 else f"{x.description} ({x.quantity} ×)"
            at_cost.append(CostItem(EXPENSE_LABELS.get(x.kind, x.get_kind_display()), detail, amount, note))
    lump_total = money(sum((i.amount for i in lump), ZERO))
    at_cost_total = money(sum((i.amount for i in at_cost), ZERO))
    total = money(lump_total + at_cost_total)
    advance = money(sppd.advance or 0)
    to_pay, to_return = balance(total, advance)
    return CostSummary(
        tuple(lump), tuple(at_cost), lump_total, at_cost_total, total, advance, to_pay, to_return
    )


def bendahara_name(sppd: Sppd) -> tuple[str, str]:
    """``(name, nip)`` of the treasurer: who paid this SPPD, else the first active *bendahara*."""
    employee = None
    if sppd.paid_by_id:
        employee = Employee.objects.filter(user_id=sppd.paid_by_id).first()
    if employee is None:
        employee = (
            Employee.objects.filter(user__groups__name="bendahara", status=Employee.Status.AKTIF)
            .order_by("id")
            .first()
        )
    if employee is None:
        return "", ""
    return employee.name_with_titles, employee_nip(employee)


class SppdDocumentPDF(TravelPDF):
    """Base of the per-traveller payment documents."""

    def __init__(self, sppd: Sppd, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.sppd = sppd
        self.trip = sppd.member.trip
        self.employee = sppd.member.employee
        self.summary = cost_summary(sppd)

    def sppd_ref(self) -> str:
        return f"SPPD Nomor {self.sppd.number or '-'} tanggal {formats.tanggal(self.trip.spt_date)}"

    def traveller_table(self) -> Table:
        e = self.employee
        return self.field_table(
            [
                ("Nama", e.name_with_titles),
                ("NIP", employee_nip(e)),
                ("Jabatan", employee_position(e)),
            ],
            label_width=30 * mm,
        )


class CostSheetPDF(SppdDocumentPDF):
    title = "Rincian Biaya Perjalanan Dinas"

    def _story(self) -> list[Flowable]:
        trip = self.trip
        s = self.summary
        story = self.title_block("RINCIAN BIAYA PERJALANAN DINAS")
        story += [
            self.field_table(
                [
                    ("Lampiran", self.sppd_ref()),
                    ("Nama", self.employee.name_with_titles),
                    ("Tujuan", destinations_text(trip)),
                    (
                        "Lama perjalanan",
                        f"{days_text(trip.days)} ({date_range(trip.depart_date, trip.return_date)})",
                    ),
                    ("Tingkat biaya", f"Tingkat {self.sppd.cost_tier}"),
                ],
                label_width=35 * mm,
            ),
            Spacer(1, 4 * mm),
        ]
        head = [self.p(t, "bold") for t in ("No.", "Perincian Biaya", "Jumlah", "Keterangan")]
        rows: list[list[Any]] = [head]
        spans: list[tuple] = []

        def section(title: str, items: Sequence[CostItem], subtotal_label: str, subtotal: Decimal) -> None:
            spans.append(("SPAN", (0, len(rows)), (-1, len(rows))))
            spans.append(("BACKGROUND", (0, len(rows)), (-1, len(rows)), LIGHT))
            rows.append([self.p(title, "bold"), "", "", ""])
            for n, item in enumerate(items, start=1):
                rows.append(
                    [
                        self.p(f"{n}."),
                        self.p(f"{item.label}: {item.detail}" if item.detail else item.label),
                        self.p(formats.rupiah(item.amount), "right"),
                        self.p(item.note),
                    ]
                )
            if not items:
                rows.append([self.p("-"), self.p("Nihil"), self.p(formats.rupiah(ZERO), "right"), ""])
            rows.append(
                ["", self.p(subtotal_label, "bold"), self.p(formats.rupiah(subtotal), "right_bold"), ""]
            )

        section("A. Biaya lumsum (lump sum)", s.lump_sum, "Jumlah lumsum", s.lump_sum_total)
        section(
            "B. Biaya sesuai pengeluaran riil (at cost)",
            s.at_cost,
            "Jumlah sesuai pengeluaran riil",
            s.at_cost_total,
        )
        for label, amount in (
            ("JUMLAH (A + B)", s.total),
            ("Uang muka yang telah diterima", s.advance),
            ("Sisa kurang yang harus dibayar", s.to_pay),
            ("Sisa lebih yang harus dikembalikan", s.to_return),
        ):
            rows.append(["", self.p(label, "bold"), self.p(formats.rupiah(amount), "right_bold"), ""])
        story.append(self.grid_table(rows, [10 * mm, self.width - 85 * mm, 40 * mm, 35 * mm], extra=spans))
        story.append(Spacer(1, 2 * mm))
        story.append(self.p(f"Terbilang: {formats.terbilang_title(s.total)}", "bold"))
        return story

    def _signature_block(self) -> list[Flowable]:
        trip = self.trip
        name, nip = bendahara_name(self.sppd)
        amount = formats.rupiah(self.summary.total)
        return [
            self.sig_blocks(
                [
                    (
                        _person_lines("Bendahara Pengeluaran", name, nip),
                        ["", "Telah dibayar sejumlah", amount],
                    ),
                    (
                        traveller_lines(self.employee, "Yang menerima"),
                        [
                            formats.tanggal_surat(trip.spt_date, trip.issued_place),
                            "Telah menerima jumlah uang sebesar",
                            amount,
                        ],
                    ),
                    (ppk_lines(trip), ["", "Mengetahui/Menyetujui,"]),
                ]
            )
        ]


class ReceiptPDF(SppdDocumentPDF):
    """*Kuitansi*: received from the treasurer, the amount in figures and in words, what it pays."""

    title = "Kuitansi"

    def _story(self) -> list[Flowable]:
        trip, sppd = self.trip, self.sppd
        total = self.summary.total
        story = self.title_block("KUITANSI / BUKTI PEMBAYARAN", sppd.number)
        payment = (
            f"Biaya perjalanan dinas {trip.get_travel_type_display().lower()} ke {destinations_text(trip)} "
            f"selama {days_text(trip.days)} ({date_range(trip.depart_date, trip.return_date)}) dalam rangka "
            f"{trip.purpose.rstrip('.')}, sesuai {self.sppd_ref()} dan SPT Nomor {trip.spt_number or '-'}."
        )
        office = f"Bendahara Pengeluaran {self.institution['office'].title()} Provinsi Bali".strip()
        story += [
            self.field_table(
                [
                    (
                        "Tahun Anggaran",
                        str(trip.budget_line.year) if trip.budget_line_id else str(trip.depart_date.year),
                    ),
                    ("Kode Rekening", trip.budget_line.kode_rekening if trip.budget_line_id else "-"),
                    ("Sudah terima dari", office),
                    ("Uang sebesar", self.markup(f"<b>{escape(formats.rupiah(total, cents=True))}</b>")),
                    ("Terbilang", self.markup(f"<i>{escape(formats.terbilang_title(total))}</i>")),
                    ("Untuk pembayaran", payment),
                ],
                label_width=38 * mm,
            ),
        ]
        if total > METERAI_THRESHOLD:
            story += [Spacer(1, 3 * mm), self.p(METERAI_NOTE, "small_bold")]
        return story

    def _signature_block(self) -> list[Flowable]:
        trip = self.trip
        name, nip = bendahara_name(self.sppd)
        receiver = traveller_lines(self.employee, "Yang menerima")
        if self.summary.total > METERAI_THRESHOLD:
            receiver[2] = "Meterai Rp10.000"  # in the signature space, where the stamp goes
        return [
            self.sig_blocks(
                [
                    (ppk_lines(trip), ["", "Setuju dibayar,"]),
                    (_person_lines("Bendahara Pengeluaran", name, nip), ["", "Lunas dibayar,"]),
                    (receiver, [formats.tanggal_surat(trip.spt_date, trip.issued_place)]),
                ]
            )
        ]


class DprPDF(SppdDocumentPDF):
    """*Daftar Pengeluaran Riil*: at-cost expenses without receipts, with the statement of the form."""

    title = "Daftar Pengeluaran Riil"

    def _story(self) -> list[Flowable]:
        items = [x for x in self.sppd.expenses.all() if not x.has_receipt]
        story = self.title_block("DAFTAR PENGELUARAN RIIL")
        story += [
            self.p("Yang bertanda tangan di bawah ini:"),
            Spacer(1, 2 * mm),
            self.traveller_table(),
            Spacer(1, 2 * mm),
            self.p(
                f"berdasarkan {self.sppd_ref()}, dengan ini kami menyatakan dengan sesungguhnya bahwa:",
                "justify",
            ),
            Spacer(1, 2 * mm),
        ]
        rows: list[list[Any]] = [[self.p(t, "bold") for t in ("No.", "Uraian", "Jumlah")]]
        total = ZERO
        for n, x in enumerate(items, start=1):
            amount = money(x.amount)
            total += amount
            when = f" ({formats.tanggal(x.spent_on)})" if x.spent_on else ""
            detail = f"{EXPENSE_LABELS.get(x.kind, '')}: {x.description}{when}"
            rows.append([self.p(f"{n}."), self.p(detail), self.p(formats.rupiah(amount), "right")])
        if not items:
            rows.append([self.p("-"), self.p("Nihil"), self.p(formats.rupiah(ZERO), "right")])
        rows.append(["", self.p("JUMLAH", "bold"), self.p(formats.rupiah(total), "right_bold")])
        table = self.grid_table(rows, [10 * mm, self.width - 57 * mm - 6, 40 * mm])
        statement = Table(
            [
                [
                    self.p("1."),
                    [
                        self.p(DPR_STATEMENT_1, "justify"),
                        Spacer(1, 2 * mm),
                        table,
                        self.p(f"Terbilang: {formats.terbilang_title(total)}", "small"),
                    ],
                ],
                [self.p("2."), self.p(DPR_STATEMENT_2, "justify")],
            ],
            colWidths=[7 * mm, self.width - 7 * mm],
            hAlign="LEFT",
        )
        statement.setStyle(_plain_style(padding=2))
        story += [statement, Spacer(1, 3 * mm), self.p(DPR_CLOSING, "justify")]
        return story

    def _signature_block(self) -> list[Flowable]:
        trip = self.trip
        return [
            self.sig_blocks(
                [
                    (ppk_lines(trip), ["", "Mengetahui/Menyetujui,"]),
                    (
                        traveller_lines(self.employee, "Pelaksana SPPD"),
                        [formats.tanggal_surat(trip.return_date, trip.issued_place)],
                    ),
                ]
            )
        ]


# --- Trip report ----------------------------------------------------------------------------------


class ReportPDF(TravelPDF):
    """*Laporan perjalanan dinas*: header fields, four sections, photos, lead's signature, acknowledgement."""

    title = "Laporan Perjalanan Dinas"
    photo_width = 80 * mm
    photo_max_height = 60 * mm

    def __init__(self, trip: Trip, report: TripReport, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.trip = trip
        self.report = report

    def _photo(self, item: TripReportFile) -> list[Flowable]:
        try:
            with item.file.open("rb") as fh:
                data = fh.read()
            reader = ImageReader(io.BytesIO(data))
            w, h = reader.getSize()
        except (OSError, ValueError):
            return [self.p(f"(foto tidak dapat dibaca: {item.caption})", "small")]
        scale = min(self.photo_width / w, self.photo_max_height / h)
        return [Image(io.BytesIO(data), width=w * scale, height=h * scale), self.p(item.caption, "small")]

    def _story(self) -> list[Flowable]:
        trip, report = self.trip, self.report
        members = members_of(trip)
        story = self.title_block("LAPORAN PERJALANAN DINAS")
        story += [
            self.field_table(
                [
                    (
                        "Dasar",
                        f"Surat Perintah Tugas Nomor {trip.spt_number or '-'} tanggal {formats.tanggal(trip.spt_date)}",
                    ),
                    ("Maksud perjalanan", trip.purpose),
                    ("Tempat tujuan", destinations_text(trip)),
                    ("Tanggal", f"{date_range(trip.depart_date, trip.return_date)} ({days_text(trip.days)})"),
                    ("Pelaksana", self.numbered([m.employee.name_with_titles for m in members], "body")),
                ],
                label_width=38 * mm,
            ),
            Spacer(1, 4 * mm),
        ]
        for heading, text in (
            ("I. Latar Belakang", report.background),
            ("II. Kegiatan yang Dilaksanakan", report.activities),
            ("III. Hasil yang Dicapai", report.results),
            ("IV. Saran dan Tindak Lanjut", report.follow_up or "-"),
        ):
            story += [self.p(heading, "bold"), self.p(text, "justify"), Spacer(1, 3 * mm)]
        photos = [f for f in report.files.all() if f.kind == TripReportFile.Kind.PHOTO]
        if photos:
            story.append(self.p("V. Dokumentasi", "bold"))
            cells = [self._photo(f) for f in photos]
            pairs = [
                cells[i : i + 2] + ([""] if len(cells[i : i + 2]) == 1 else [])
                for i in range(0, len(cells), 2)
            ]
            grid = Table(pairs, colWidths=[self.width / 2] * 2, hAlign="LEFT")
            grid.setStyle(_plain_style(padding=3))
            story.append(grid)
        attachments = [f for f in report.files.all() if f.kind == TripReportFile.Kind.ATTACHMENT]
        if attachments:
            story += [Spacer(1, 2 * mm), self.p("Lampiran:", "bold")]
            story.append(
                self.numbered([a.caption or a.file.name.rsplit("/", 1)[-1] for a in attachments], "body")
            )
        story += [
            Spacer(1, 3 * mm),
            self.p(
                "Demikian laporan perjalanan dinas ini dibuat untuk dipergunakan sebagaimana mestinya.",
                "justify",
            ),
        ]
        return story

    def _signature_block(self) -> list[Flowable]:
        trip, report = self.trip, self.report
        members = members_of(trip)
        lead = members[0].employee if members else None
        filed_on = formats.to_local(report.filed_at).date() if report.filed_at else trip.return_date
        lead_lines = (
            traveller_lines(lead, "Yang melaporkan") if lead else _person_lines("Yang melaporkan", "")
        )
        ack = getattr(report.acknowledged_by, "employee", None) if report.acknowledged_by_id else None
        if report.acknowledged_at:
            acknowledged = formats.tanggal(formats.to_local(report.acknowledged_at))
            head = ["Mengetahui/Diterima,", f"pada tanggal {acknowledged}"]
            ack_lines = _person_lines(
                employee_position(ack) if ack else "Atasan langsung",
                ack.name_with_titles if ack else "",
                employee_nip(ack) if ack else "",
            )
        else:
            head = ["Mengetahui,", "(belum diterima atasan)"]
            ack_lines = _person_lines("Atasan langsung", "")
        story = [
            self.sig_blocks(
                [(ack_lines, head), (lead_lines, ["", formats.tanggal_surat(filed_on, trip.issued_place)])]
            )
        ]
        if report.acknowledged_at and report.acknowledgement_note:
            story += [Spacer(1, 3 * mm), self.p(f"Catatan atasan: {report.acknowledgement_note}", "small")]
        return story


# --- Queries --------------------------------------------------------------------------------------


def trip_for_documents(pk: int) -> Trip:
    """The trip with everything the SPT and the report print (a fixed number of queries)."""
    return (
        Trip.objects.select_related("unit", "origin", "budget_line")
        .prefetch_related(
            Prefetch("members", queryset=TripMember.objects.select_related("employee__position")),
            "destinations__region",
        )
        .get(pk=pk)
    )


def sppd_for_documents(pk: int) -> Sppd:
    """The SPPD with its traveller, trip, fellow members, destinations, stops and expenses."""
    return (
        Sppd.objects.select_related(
            "member__employee__position",
            "member__trip__unit",
            "member__trip__origin",
            "member__trip__budget_line",
        )
        .prefetch_related(
            Prefetch(
                "member__trip__members", queryset=TripMember.objects.select_related("employee__position")
            ),
            "member__trip__destinations__region",
            "stops",
            "expenses",
        )
        .get(pk=pk)
    )


# --- Documents, availability and printing ---------------------------------------------------------


@dataclass(frozen=True)
class TravelDocument:
    key: str  # URL-facing key: spt, sppd, cost_sheet, receipt, dpr, report
    kind: str  # seal kind, also the audit action prefix ("travel.spt.printed")
    title: str  # official title (verification page)
    per_sppd: bool  # the document belongs to one traveller's SPPD (else to the trip)
    file_prefix: str


DOCUMENTS: dict[str, TravelDocument] = {
    d.key: d
    for d in (
        TravelDocument("spt", "travel.spt", "Surat Perintah Tugas", False, "spt"),
        TravelDocument("sppd", "travel.sppd", "Surat Perintah Perjalanan Dinas", True, "sppd"),
        TravelDocument(
            "cost_sheet", "travel.cost_sheet", "Rincian Biaya Perjalanan Dinas", True, "rincian-biaya"
        ),
        TravelDocument("receipt", "travel.receipt", "Kuitansi Perjalanan Dinas", True, "kuitansi"),
        TravelDocument("dpr", "travel.dpr", "Daftar Pengeluaran Riil", True, "dpr"),
        TravelDocument("report", "travel.report", "Laporan Perjalanan Dinas", False, "laporan-perjalanan"),
    )
}


def _trip_of(obj: Trip | Sppd) -> Trip:
    return obj.member.trip if isinstance(obj, Sppd) else obj


def _report_of(trip: Trip) -> TripReport | None:
    try:
        return trip.report
    except TripReport.DoesNotExist:
        return None


def document_available(key: str, obj: Trip | Sppd) -> bool:
    """Whether document ``key`` exists yet: SPT and SPPD papers once numbered (a cancelled numbered
    trip still prints, marked BATAL); the report once filed."""
    doc = DOCUMENTS[key]
    trip = _trip_of(obj)
    if doc.per_sppd:
        return isinstance(obj, Sppd) and bool(obj.number) and bool(trip.spt_number)
    if key == "report":
        return _report_of(trip) is not None
    return bool(trip.spt_number)


def _placeholder_url() -> str:
    return str(getattr(settings, "SITUOK_BASE_URL", "") or "").rstrip("/") + "/verifikasi/" + "x" * 32 + "/"


def _seal_args(seal: DocumentSeal | None, trip: Trip) -> dict[str, Any]:
    cancelled = trip.status == Trip.Status.CANCELLED or (
        seal is not None and seal.status == DocumentSeal.Status.CANCELLED
    )
    if seal is None:
        return {"qr_url": _placeholder_url(), "token": "-", "cancelled": cancelled}
    return {"qr_url": verification_url(seal), "token": seal.token, "cancelled": cancelled}


def spt_pdf(trip: Trip, *, seal: DocumentSeal | None = None) -> bytes:
    return SptPDF(trip, **_seal_args(seal, trip)).render()


def sppd_pdf(sppd: Sppd, *, seal: DocumentSeal | None = None) -> bytes:
    """SPPD front (items 1–10) and back (visum blocks) in one PDF."""
    return SppdPDF(sppd, **_seal_args(seal, sppd.member.trip)).render()


def cost_sheet_pdf(sppd: Sppd, *, seal: DocumentSeal | None = None) -> bytes:
    return CostSheetPDF(sppd, **_seal_args(seal, sppd.member.trip)).render()


def receipt_pdf(sppd: Sppd, *, seal: DocumentSeal | None = None) -> bytes:
    return ReceiptPDF(sppd, **_seal_args(seal, sppd.member.trip)).render()


def dpr_pdf(sppd: Sppd, *, seal: DocumentSeal | None = None) -> bytes:
    return DprPDF(sppd, **_seal_args(seal, sppd.member.trip)).render()


def report_pdf(trip: Trip, *, seal: DocumentSeal | None = None) -> bytes:
    report = TripReport.objects.prefetch_related("files").get(trip=trip)
    return ReportPDF(trip, report, **_seal_args(seal, trip)).render()


RENDERERS: dict[str, Callable[..., bytes]] = {
    "spt": spt_pdf,
    "sppd": sppd_pdf,
    "cost_sheet": cost_sheet_pdf,
    "receipt": receipt_pdf,
    "dpr": dpr_pdf,
    "report": report_pdf,
}


def sppd_pdf_bytes(sppd: Sppd) -> bytes:
    """Bench hook: the SPPD (front + back) as bytes, with a placeholder QR and no seal written."""
    return sppd_pdf(sppd)


def _facts(key: str, obj: Trip | Sppd) -> dict[str, Any]:
    """What the verification page shows: number, date, signer, names (never a NIK)."""
    trip = _trip_of(obj)
    names = [m.employee.name_with_titles for m in members_of(trip)]
    if key == "spt":
        return {
            "number": trip.spt_number,
            "issued_on": trip.spt_date,
            "signer_name": trip.signer_name,
            "persons": names,
        }
    if key == "report":
        report = _report_of(trip)
        filed = formats.to_local(report.filed_at).date() if report and report.filed_at else None
        return {
            "number": trip.spt_number,
            "issued_on": filed,
            "signer_name": names[0] if names else "",
            "persons": names,
        }
    traveller = obj.member.employee.name_with_titles
    persons = [traveller]
    if key == "sppd" and obj.member.is_lead:
        persons += [n for n in names if n != traveller]
    return {
        "number": obj.number,
        "issued_on": trip.spt_date,
        "signer_name": trip.ppk_name or trip.signer_name,
        "persons": persons,
    }


def document_filename(key: str, obj: Trip | Sppd) -> str:
    doc = DOCUMENTS[key]
    trip = _trip_of(obj)
    number = obj.number if doc.per_sppd else trip.spt_number
    slug = slugify(number.replace("/", "-").replace(".", "-")) if number else str(obj.pk)
    return f"{doc.file_prefix}-{slug or obj.pk}.pdf"


def document_print(key: str, obj: Trip | Sppd, *, by, request=None) -> tuple[str, bytes]:
    """Issue one print of document ``key`` of ``obj`` (a trip, or an SPPD for per-traveller papers):
    seal (created on first print), render, record the SHA-256 and the print in the audit log.

    Returns ``(filename, pdf_bytes)``. The caller checks access and :func:`document_available` first.
    """
    doc = DOCUMENTS[key]
    obj = sppd_for_documents(obj.pk) if doc.per_sppd else trip_for_documents(obj.pk)
    trip = _trip_of(obj)
    status = DocumentSeal.Status.CANCELLED if trip.status == Trip.Status.CANCELLED else None
    seal = seal_for(obj, doc.kind, title=doc.title, status=status, by=by, **_facts(key, obj))
    content = RENDERERS[key](obj, seal=seal)
    seal_record_pdf(seal, content, by=by, request=request)
    return document_filename(key, obj), content
