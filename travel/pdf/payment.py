"""The payment documents of an SPPD: rincian biaya, kuitansi and DPR (with the cost summary they print)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer, Table

from situok import formats
from staff.models import Employee

from ..costs import LUMP_SUM, ZERO, balance, money
from ..models import Sppd, TripExpense
from .base import (
    COST_LINE_LABELS,
    DPR_CLOSING,
    DPR_STATEMENT_1,
    DPR_STATEMENT_2,
    EXPENSE_LABELS,
    LIGHT,
    METERAI_NOTE,
    METERAI_THRESHOLD,
    TravelPDF,
    _person_lines,
    _plain_style,
    date_range,
    days_text,
    destinations_text,
    employee_nip,
    employee_position,
    ppk_lines,
    traveller_lines,
)


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
