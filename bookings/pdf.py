"""The printable daily schedule of a building for the front desk (design.md §3.9).

A ``BasePDF`` (letterhead on page 1, numbered footer) fed with the day's bookings already loaded by the
view: no queries happen here beyond the attributes ``building_day`` selected. Every value is escaped
before it reaches ReportLab's paragraph markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, TableStyle

from situok import formats
from situok.exports.pdf import FONT, FONT_BOLD, BasePDF

from .models import Booking, Building
from .queries import day_bounds

GRID = colors.HexColor("#9AA5B1")
HEAD_FILL = colors.HexColor("#DCE6F1")


class DailySchedulePDF(BasePDF):
    """``Jadwal Penggunaan <gedung>`` for one day: time, room, event, unit/requester, status."""

    def __init__(self, *, building: Building, day: dt.date, bookings: Sequence[Booking], **kwargs):
        super().__init__(**kwargs)
        self.building = building
        self.day = day
        self.bookings = list(bookings)
        self.title = _("Jadwal Penggunaan %(building)s") % {"building": building.name}
        self.styles = {
            "title": ParagraphStyle(
                "title", fontName=FONT_BOLD, fontSize=12, leading=15, alignment=TA_CENTER
            ),
            "subtitle": ParagraphStyle(
                "subtitle", fontName=FONT, fontSize=10, leading=12, alignment=TA_CENTER
            ),
            "head": ParagraphStyle("head", fontName=FONT_BOLD, fontSize=8.5, leading=10.5),
            "cell": ParagraphStyle("cell", fontName=FONT, fontSize=8.5, leading=10.5),
        }

    def _p(self, text: str, style: str = "cell") -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), self.styles[style])

    def _time(self, booking: Booking) -> str:
        start, end = day_bounds(self.day)
        first = formats.jam(booking.start) if booking.start >= start else _("sebelumnya")
        last = formats.jam(booking.end) if booking.end <= end else _("berlanjut")
        return f"{first}–{last}"

    def _story(self) -> list[Flowable]:
        story: list[Flowable] = [
            self._p(self.title, "title"),
            self._p(formats.tanggal_hari(self.day), "subtitle"),
            Spacer(1, 4 * mm),
        ]
        head = [_("Pukul (WITA)"), _("Ruang"), _("Kegiatan"), _("Pemohon / unit"), _("Peserta"), _("Status")]
        data = [[self._p(str(h), "head") for h in head]]
        for b in self.bookings:
            who = b.outside_party or b.unit.name
            data.append(
                [
                    self._p(self._time(b)),
                    self._p(b.resource.name + (f"\n{b.resource.floor}" if b.resource.floor else "")),
                    self._p(b.purpose),
                    self._p(f"{b.requester.name_with_titles}\n{who}"),
                    self._p(formats.angka(b.participants)),
                    self._p(str(b.get_status_display())),
                ]
            )
        if len(data) == 1:
            data.append([self._p(_("Tidak ada kegiatan terjadwal.")), "", "", "", "", ""])
        width = self.pagesize[0] - self.margin_left - self.margin_right
        shares = (14, 20, 28, 24, 9, 14)
        col_widths = [width * s / sum(shares) for s in shares]
        style = [
            ("GRID", (0, 0), (-1, -1), 0.25, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        if not self.bookings:
            style.append(("SPAN", (0, 1), (-1, 1)))
        story.append(LongTable(data, colWidths=col_widths, repeatRows=1, style=TableStyle(style)))
        return story
