"""PDF foundation shared by every printed document (design.md §3.9): letterhead, page numbers, QR stamp.

Document renderers in ``<app>/pdf.py`` subclass ``BasePDF`` and implement ``_story()``; list exports use
``ListPDF`` through ``write_pdf()``. Only the built-in Helvetica family is used: fresh servers have no TTF
fonts, and the standard fonts need no embedding.

The letterhead (*kop surat*) is drawn on the first page only (Permendagri 1/2023); every page carries
"Halaman X dari Y" and the print time in the footer.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO
from xml.sax.saxutils import escape

import qrcode
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    LongTable,
    PageTemplate,
    Paragraph,
    Spacer,
    TableStyle,
)

from situok import formats

from .base import Column, as_number

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"

# Long cells are cut: a single cell taller than a page cannot be laid out at all.
MAX_CELL_CHARS = 1000


def institution() -> dict[str, str]:
    """Letterhead values from ``settings.SITUOK_INSTITUTION`` (missing keys read as empty)."""
    data = getattr(settings, "SITUOK_INSTITUTION", {}) or {}
    keys = ("government", "office", "unit", "address", "contact", "city", "logo")
    return {key: str(data.get(key) or "") for key in keys}


def qr_flowable(url: str, size_mm: float = 22) -> Drawing:
    """A square QR code for ``url`` (e.g. a verification page), ``size_mm`` wide, usable as a flowable
    or drawn on a canvas with ``renderPDF.draw(drawing, canvas, x, y)``."""
    size = size_mm * mm
    widget = QrCodeWidget(url, barLevel="M", barWidth=size, barHeight=size)
    drawing = Drawing(size, size)
    drawing.add(widget)
    return drawing


def qr_image(data: str) -> ImageReader:
    """The QR code of ``data`` as a 1-bit image, one pixel per module plus the 4-module quiet zone.

    The same symbol ``situok.exports.pdf.qr_flowable`` encodes (error correction M), drawn as one
    small image instead of hundreds of vector squares, with a fixed mask pattern (any of the eight is
    valid; searching for the best one costs more than the rest of an SPPD). PDF viewers and printers
    scale it without interpolation, so the modules stay sharp.
    """
    qr = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4, mask_pattern=2)
    qr.add_data(data)
    qr.make(fit=True)
    matrix = qr.get_matrix()
    size = len(matrix)
    image = PILImage.new("1", (size, size), 1)
    image.putdata([0 if dark else 1 for row in matrix for dark in row])
    return ImageReader(image)


class NumberedCanvas(Canvas):
    """Canvas that holds pages back until the end so each footer can say "Halaman X dari Y".

    The classic ReportLab two-pass pattern: ``showPage`` only records the page state; ``save`` replays every
    page, calls ``footer(canvas, page, page_count)`` on it and then emits it.
    """

    def __init__(self, *args: Any, footer: Callable[[Canvas, int, int], None], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer_callback = footer
        self._saved_page_states: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._saved_page_states.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        page_count = len(self._saved_page_states)
        for number, state in enumerate(self._saved_page_states, start=1):
            self.__dict__.update(state)
            self._footer_callback(self, number, page_count)
            super().showPage()
        super().save()


class BasePDF:
    """Base class of PDF documents: A4, letterhead on page 1, numbered footer on every page.

    Subclasses implement ``_story()`` (the flowables of the body) and may override ``_signature_block()``
    (appended after the story), ``pagesize``, ``title`` and the margins. ``render()`` returns the PDF as
    bytes; ``render_to(fileobj)`` writes it to an open binary file instead (large documents).
    """

    pagesize: tuple[float, float] = A4
    title: str = ""
    margin_left: float = 20 * mm
    margin_right: float = 15 * mm
    margin_top: float = 15 * mm
    margin_bottom: float = 18 * mm
    letterhead_height: float = 31 * mm  # space the first page reserves for the letterhead

    def __init__(self, *, generated_at: dt.datetime | None = None) -> None:
        self.generated_at = generated_at or timezone.now()
        self.institution = institution()

    # --- hooks ---

    def _story(self) -> list[Flowable]:
        """The body of the document."""
        raise NotImplementedError

    def _signature_block(self) -> list[Flowable]:
        """Flowables of the signature block, after the story (none by default)."""
        return []

    def _header(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        """Draw the letterhead (*kop surat*): logo on the left, centred institution lines, double rule."""
        info = self.institution
        width, height = canvas._pagesize
        top = height - self.margin_top
        left, right = self.margin_left, width - self.margin_right
        logo_size = 24 * mm
        logo = Path(info["logo"]) if info["logo"] else None
        text_left = left
        if logo is not None and logo.is_file():
            try:
                canvas.drawImage(
                    str(logo),
                    left,
                    top - logo_size,
                    width=logo_size,
                    height=logo_size,
                    preserveAspectRatio=True,
                    anchor="c",
                    mask="auto",
                )
                text_left = left + logo_size + 2 * mm
            except OSError:
                pass  # an unreadable logo must not stop the print
        centre = (left + right) / 2
        max_width = 2 * min(centre - text_left, right - centre)
        lines = (
            (info["government"], FONT_BOLD, 12, 14),
            (info["office"], FONT_BOLD, 13, 15),
            (info["unit"], FONT_BOLD, 14, 16),
            (info["address"], FONT, 8, 11),
            (info["contact"], FONT, 8, 10),
        )
        y = top
        canvas.saveState()
        for text, font, size, advance in lines:
            if not text:
                continue
            y -= advance
            size = self._fit(text, font, size, max_width)
            canvas.setFont(font, size)
            canvas.drawCentredString(centre, y, text)
        y -= 6
        canvas.setLineWidth(2)
        canvas.line(left, y, right, y)
        canvas.setLineWidth(0.6)
        canvas.line(left, y - 2.5, right, y - 2.5)
        canvas.restoreState()

    def _footer(self, canvas: Canvas, page: int, page_count: int) -> None:
        """Print time on the left, "Halaman X dari Y" on the right, on every page."""
        local = timezone.localtime(self.generated_at, formats.WITA)
        printed = _("Dicetak pada %(date)s pukul %(time)s WITA") % {
            "date": formats.tanggal(local),
            "time": formats.jam(local),
        }
        numbering = _("Halaman %(page)s dari %(pages)s") % {"page": page, "pages": page_count}
        width, _height = canvas._pagesize
        y = self.margin_bottom / 2
        canvas.saveState()
        canvas.setFont(FONT, 7)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(self.margin_left, y, printed)
        canvas.drawRightString(width - self.margin_right, y, numbering)
        canvas.restoreState()

    # --- rendering ---

    @staticmethod
    def _fit(text: str, font: str, size: float, max_width: float) -> float:
        """Shrink ``size`` until ``text`` fits ``max_width`` (long unit names), but not below 7 pt."""
        while size > 7 and stringWidth(text, font, size) > max_width:
            size -= 0.5
        return size

    def _doc_template(self, fileobj: BinaryIO) -> BaseDocTemplate:
        width, height = self.pagesize
        frame_width = width - self.margin_left - self.margin_right
        full_height = height - self.margin_top - self.margin_bottom
        first = Frame(
            self.margin_left,
            self.margin_bottom,
            frame_width,
            full_height - self.letterhead_height,
            id="first",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        later = Frame(
            self.margin_left,
            self.margin_bottom,
            frame_width,
            full_height,
            id="later",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc = BaseDocTemplate(
            fileobj,
            pagesize=self.pagesize,
            leftMargin=self.margin_left,
            rightMargin=self.margin_right,
            topMargin=self.margin_top,
            bottomMargin=self.margin_bottom,
            title=str(self.title),
            author=self.institution["unit"] or self.institution["office"],
            creator="SITU OK",
            subject=str(self.title),
        )
        doc.addPageTemplates(
            [
                PageTemplate(id="first", frames=[first], onPage=self._header, autoNextPageTemplate="later"),
                PageTemplate(id="later", frames=[later]),
            ]
        )
        return doc

    def render_to(self, fileobj: BinaryIO) -> None:
        """Write the PDF into an open binary file."""
        doc = self._doc_template(fileobj)
        story = [*self._story(), *self._signature_block()]
        doc.build(story, canvasmaker=functools.partial(NumberedCanvas, footer=self._footer))

    def render(self) -> bytes:
        """The PDF as bytes."""
        with tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024) as buffer:
            self.render_to(buffer)
            buffer.seek(0)
            return buffer.read()


# --- List PDF -------------------------------------------------------------------------------------

_NUMERIC_KINDS = ("int", "decimal", "money")


class ListPDF(BasePDF):
    """A list export as a table: title, optional subtitle, header row repeated on every page, zebra rows.

    Portrait A4 up to six columns, landscape beyond. Values are formatted the Indonesian way
    (``22 November 2026``, ``Rp1.250.000``, ``1.250``) and escaped before they reach ReportLab's markup.
    """

    font_size = 7.5
    cell_padding = 2.5

    def __init__(
        self,
        title: str,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        subtitle: str | None = None,
        pagesize: tuple[float, float] | None = None,
        generated_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(generated_at=generated_at)
        self.title = str(title)
        self.subtitle = str(subtitle) if subtitle else None
        self.columns = list(columns)
        self.rows = rows
        self.pagesize = pagesize or (landscape(A4) if len(self.columns) > 6 else A4)
        leading = self.font_size + 1.5
        self.styles = {
            "title": ParagraphStyle(
                "title", fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER
            ),
            "subtitle": ParagraphStyle(
                "subtitle", fontName=FONT, fontSize=9, leading=11, alignment=TA_CENTER, spaceBefore=2
            ),
            "head": ParagraphStyle("head", fontName=FONT_BOLD, fontSize=self.font_size, leading=leading),
            "head_number": ParagraphStyle(
                "head_number",
                fontName=FONT_BOLD,
                fontSize=self.font_size,
                leading=leading,
                alignment=TA_RIGHT,
            ),
            "cell": ParagraphStyle(
                "cell", fontName=FONT, fontSize=self.font_size, leading=leading, alignment=TA_LEFT
            ),
            "number": ParagraphStyle(
                "number", fontName=FONT, fontSize=self.font_size, leading=leading, alignment=TA_RIGHT
            ),
        }
        self._yes, self._no = _("Ya"), _("Tidak")

    def format_value(self, column: Column, value: Any) -> str:
        """Plain text of one cell, formatted by the column kind."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return self._yes if value else self._no
        if isinstance(value, dt.datetime):
            if column.kind == "date":
                return formats.tanggal(value)
            return f"{formats.tanggal(value)} {formats.jam(value)}"
        if isinstance(value, dt.date):
            return formats.tanggal(value)
        number = as_number(value)
        if number is not None:
            # Floats go through their shortest repr, never through arithmetic.
            amount: int | Decimal | str = str(number) if isinstance(number, float) else number
            if column.kind == "money":
                return formats.rupiah(amount)
            return formats.angka(amount)
        return str(value)

    def _cell(self, column: Column, value: Any, inner_width: float) -> str | Paragraph:
        """A table cell: plain text when it fits on one line (cheap to lay out, and ReportLab draws it
        verbatim, so no markup is interpreted), otherwise an escaped, wrapping ``Paragraph``."""
        text = self.format_value(column, value)
        if len(text) > MAX_CELL_CHARS:
            text = text[: MAX_CELL_CHARS - 1] + "…"
        if "\n" not in text and stringWidth(text, FONT, self.font_size) <= inner_width:
            return text
        style = self.styles["number"] if column.kind in _NUMERIC_KINDS else self.styles["cell"]
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    def _table(self) -> LongTable:
        width = self.pagesize[0] - self.margin_left - self.margin_right
        total = sum(max(column.width, 1) for column in self.columns) or 1
        col_widths = [width * max(column.width, 1) / total for column in self.columns]
        inner = [w - 2 * self.cell_padding for w in col_widths]
        head = [
            Paragraph(
                escape(str(column.label)),
                self.styles["head_number" if column.kind in _NUMERIC_KINDS else "head"],
            )
            for column in self.columns
        ]
        data: list[list[str | Paragraph]] = [head]
        data.extend(
            [
                self._cell(column, value, inner_width)
                for column, value, inner_width in zip(self.columns, row, inner, strict=False)
            ]
            for row in self.rows
        )
        empty = len(data) == 1
        if empty:
            data.append(
                [Paragraph(escape(_("Tidak ada data.")), self.styles["cell"])] + [""] * (len(head) - 1)
            )
        style = [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#9AA5B1")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DCE6F1")),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F3F5F7")]),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            # Plain-text cells: the same font and leading as the paragraph styles.
            ("FONTNAME", (0, 1), (-1, -1), FONT),
            ("FONTSIZE", (0, 1), (-1, -1), self.font_size),
            ("LEADING", (0, 1), (-1, -1), self.font_size + 1.5),
            ("LEFTPADDING", (0, 0), (-1, -1), self.cell_padding),
            ("RIGHTPADDING", (0, 0), (-1, -1), self.cell_padding),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]
        style += [
            ("ALIGN", (index, 1), (index, -1), "RIGHT")
            for index, column in enumerate(self.columns)
            if column.kind in _NUMERIC_KINDS
        ]
        if empty:
            style.append(("SPAN", (0, 1), (-1, 1)))
        return LongTable(data, colWidths=col_widths, repeatRows=1, style=TableStyle(style), hAlign="LEFT")

    def _story(self) -> list[Flowable]:
        story: list[Flowable] = [Paragraph(escape(self.title), self.styles["title"])]
        if self.subtitle:
            story.append(Paragraph(escape(self.subtitle), self.styles["subtitle"]))
        story += [Spacer(1, 4 * mm), self._table()]
        return story


def write_pdf(
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    *,
    subtitle: str | None = None,
) -> BinaryIO:
    """Render a list export as PDF into a temporary file positioned at 0."""
    output = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the caller, who closes it
    try:
        ListPDF(title, columns, rows, subtitle=subtitle).render_to(output)
    except BaseException:
        output.close()
        raise
    output.seek(0)
    return output
