"""The SPPD (Surat Perintah Perjalanan Dinas), front page and visum back page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle

from situok import formats
from situok.exports.pdf import FONT_BOLD

from ..models import Sppd
from .base import (
    _PLAIN,
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
