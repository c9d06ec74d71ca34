"""The SPT (Surat Perintah Tugas)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from situok import formats

from ..models import Trip
from .base import (
    SPT_CLOSING,
    TravelPDF,
    date_range,
    days_text,
    destinations_text,
    employee_nip,
    employee_pangkat,
    employee_position,
    members_of,
    spt_signer_lines,
)


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
