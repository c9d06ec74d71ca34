"""The ground every travel PDF stands on: colours, fixed legal texts, plain values (names, NIP, pangkat,
dates, destinations), signature blocks and the TravelPDF base class."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import translation
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from situok import formats
from situok.exports.pdf import FONT, FONT_BOLD, BasePDF, NumberedCanvas, qr_image
from situok.signatures import Mandate, SignatureLines, Signer, infer_role_kind, signature_lines
from staff.rules import normalize_golongan, pangkat_for

from ..models import Trip, TripExpense, TripMember
from .layout import Text, TextStyle

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


@functools.lru_cache(maxsize=64)
def cached_qr_image(url: str) -> ImageReader:
    """The footer QR code of ``url``, built once per process (the same URL always gives the same
    image; encoding it costs more than laying out a whole page). Reprints of a document reuse it."""
    return qr_image(url)


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
        # The same styles for the canvas layout of ``.layout`` (font, size, leading).
        self.text_styles = {
            name: TextStyle(st.fontName, st.fontSize, st.leading) for name, st in self.styles.items()
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

    def sig_texts(self, lines: Sequence[str], head: Sequence[str] = ()) -> list[Text]:
        """One signature block as ``.layout`` texts, one per line (a long line wraps): the same
        lines as :meth:`sig_cell`, the name (``name_index``) bold and underlined."""
        name_at = getattr(lines, "name_index", None)
        sign, name = self.text_styles["sign"], self.text_styles["sign_name"]
        texts = [Text(text, sign) for text in head]
        for index, text in enumerate(lines):
            texts.append(Text(text, name, underline=True) if index == name_at else Text(text, sign))
        return texts

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
            self._qr_image = cached_qr_image(self.qr_url)
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
