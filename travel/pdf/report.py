"""The trip report (laporan perjalanan dinas)."""

from __future__ import annotations

import io
from typing import Any

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Flowable, Image, Spacer, Table

from situok import formats

from ..models import Trip, TripReport, TripReportFile
from .base import (
    TravelPDF,
    _person_lines,
    _plain_style,
    date_range,
    days_text,
    destinations_text,
    employee_nip,
    employee_position,
    members_of,
    traveller_lines,
)


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
