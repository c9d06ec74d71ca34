"""The SPPD (Surat Perintah Perjalanan Dinas), front page and visum back page.

The form is a fixed grid of many small cells, laid out and drawn with ``.layout`` (text measured with
the font metrics and painted straight on the canvas) rather than ReportLab tables and paragraphs: the
same geometry — column widths, paddings, rules, fonts, wrapping of long values, splitting between rows
across pages — at a fraction of the cost (issue 5: SPPD generation ≥ 0.5× a raw ReportLab document).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer

from situok import formats

from ..models import Sppd
from .base import (
    GRID,
    LIGHT,
    SPPD_LIABILITY_NOTICE,
    SPPD_RETURN_STATEMENT,
    TravelPDF,
    days_text,
    destination_text,
    destinations_text,
    employee_nip,
    employee_pangkat,
    employee_position,
    members_of,
    origin_text,
    ppk_lines,
    stop_block_count,
)
from .layout import CENTER, JUSTIFY, Gap, Grid, Text, span

# Paddings (left, right, top, bottom) as the shared kit's tables: ruled grids and plain field lists.
GRID_PADDING = (3, 3, 2, 3)
FIELD_PADDING = (0, 1, 1, 1)
SIGN_PADDING = (0, 2, 2, 2)
VISUM_LABEL_W = 31 * mm
COLON_W = 4 * mm


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

    def _grid(self, rows: list[list[Any]], widths: Sequence[float], **kwargs: Any) -> Grid:
        """A ruled grid as ``grid_table`` (rules, paddings, top-aligned), in the body font."""
        kwargs.setdefault("style", self.text_styles["body"])
        return Grid(rows, widths, padding=GRID_PADDING, rule=GRID, **kwargs)

    def _followers(self, width: float) -> Grid:
        followers = (
            [m for m in members_of(self.trip) if m.pk != self.member.pk] if self.member.is_lead else []
        )
        rows: list[list[Any]] = [["Nama", "Tanggal Lahir", "Keterangan"]]
        for m in followers:
            e = m.employee
            rows.append([e.name_with_titles, formats.tanggal(e.birth_date) or "-", employee_position(e)])
        if not followers:
            rows.append(["-", "-", "-"])
        return self._grid(
            rows,
            [width * 0.45, width * 0.25, width * 0.30],
            style=self.text_styles["small"],
            header_rows=1,
            header_style=self.text_styles["small_bold"],
            shade=LIGHT,
        )

    def _front(self) -> list[Flowable]:
        trip, e, sppd = self.trip, self.employee, self.sppd
        small = self.text_styles["small"]
        header = Grid(
            [["Lembar ke", ":", ""], ["Kode No.", ":", ""], ["Nomor", ":", sppd.number]],
            [18 * mm, 3 * mm, 55 * mm],
            style=small,
            padding=FIELD_PADDING,
            hAlign="RIGHT",
        )
        title_style = self.text_styles["title"]
        title_text = Text("SURAT PERINTAH PERJALANAN DINAS (SPPD)", title_style, align=CENTER, underline=True)
        title = Grid([[title_text]], [self.width], style=title_style)
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
            [no, "\n".join(label), self._followers(value_w - 6) if value is None else "\n".join(value)]
            for no, label, value in items
        ]
        table = self._grid(data, [8 * mm, label_w, value_w])
        foot_head = [
            f"Dikeluarkan di : {trip.issued_place}",
            f"Tanggal : {formats.tanggal(trip.spt_date)}",
            "",
        ]
        half = self.width * 0.5
        signature = Grid(
            [["", self.sig_texts(ppk_lines(trip), foot_head)]],
            [half, half],
            style=self.text_styles["body"],
            padding=SIGN_PADDING,
            space_before=4 * mm,
        )
        return [header, Spacer(1, 3 * mm), title, Spacer(1, 5 * mm), table, signature]

    def _visum(self, rows: Sequence[tuple[str, str]], officer: str | None = None) -> Grid:
        """One half of a visum block: ``label : value`` lines, then (for a stop) the certifying
        official with room for the stamp and signature."""
        width = self.width / 2 - 7
        data: list[list[Any]] = [[label, ":", value] for label, value in rows]
        heights: list[float | None] = [None] * len(data)
        if officer is not None:
            data += [
                [span("Kepala/Pejabat yang mengesahkan,", 3)],
                [span(Gap(0), 3)],
                [span(f"({officer})" if officer else "(..................................)", 3)],
            ]
            heights += [None, 11 * mm, None]
        return Grid(
            data,
            [VISUM_LABEL_W, COLON_W, width - VISUM_LABEL_W - COLON_W],
            style=self.text_styles["small"],
            padding=FIELD_PADDING,
            heights=heights,
        )

    def _back(self) -> list[Flowable]:
        trip, sppd = self.trip, self.sppd
        stops = list(sppd.stops.all())
        blocks = max(stop_block_count(), len(stops))
        origin = origin_text(trip)
        first_dest = next((destination_text(d) for d in trip.destinations.all()), "-")
        half = self.width / 2
        ppk = ppk_lines(trip)
        rows: list[list[Any]] = []
        block_i = [
            self._visum(
                [
                    ("I. Berangkat dari", f"{origin} (tempat kedudukan)"),
                    ("Ke", first_dest),
                    ("Pada tanggal", formats.tanggal(trip.depart_date)),
                ]
            ),
            *self.sig_texts(ppk),
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
        body = self.text_styles["body"]
        returned = [
            self._visum(
                [
                    (f"{back_no}. Tiba kembali di", f"{origin} (tempat kedudukan)"),
                    ("Pada tanggal", formats.tanggal(sppd.actual_return_date)),
                ]
            ),
            *self.sig_texts(ppk),
        ]
        checked = [Text(SPPD_RETURN_STATEMENT, body), *self.sig_texts(ppk)]
        rows.append([returned, checked])
        notes_no, notice_no = formats.romawi(blocks + 3), formats.romawi(blocks + 4)
        rows.append([span(f"{notes_no}. Catatan Lain-lain: {trip.notes or ''}".rstrip(), 2)])
        notice = [
            Text(f"{notice_no}. PERHATIAN:", self.text_styles["bold"]),
            Text(SPPD_LIABILITY_NOTICE, body, align=JUSTIFY),
        ]
        rows.append([span(notice, 2)])
        return [self._grid(rows, [half, half])]

    def _story(self) -> list[Flowable]:
        return [*self._front(), PageBreak(), *self._back()]
