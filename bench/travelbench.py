"""Travel PDF budgets (issue 5), each step in a fresh interpreter (``python -m bench.travelbench <step>``):

- ``sppd``: the SPPD (front and back, 2 pages) of one generated traveller rendered by
  ``travel.pdf.sppd_pdf_bytes`` again and again for ``--seconds``, interleaved with the baseline — a raw
  reportlab platypus document of the same page count and a similar amount of content (a title, a 10-item
  two-column table with the SPPD labels and values, a signature block; a second page of six visum blocks).
  Budget: SPPD rate ≥ 0.5 × the raw rate measured in the same process.
- ``register-pdf``: the SPT register exporter (``travel-register``, what ``/ekspor/travel-register/pdf/``
  runs) over exactly 500 SPTs of the generated data. Budget: ≤ 20 s.

Prints one JSON line.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import time


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "situok.settings")
    import django

    django.setup()


def _raw_two_pages() -> bytes:
    """The baseline: plain reportlab, two A4 pages of SPPD-like content, no project code."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, invariant=1)
    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")])
    items = [
        ("1.", "Pejabat Pembuat Komitmen", "Kepala Biro Umum dan Protokol"),
        (
            "2.",
            "Nama/NIP pegawai yang melaksanakan perjalanan dinas",
            "I Wayan Contoh / 19800101 200501 1 001",
        ),
        ("3.", "a. Pangkat dan golongan b. Jabatan c. Tingkat biaya", "Penata (III/c) / Analis / E"),
        ("4.", "Maksud perjalanan dinas", "Koordinasi penyelenggaraan rapat kerja daerah"),
        ("5.", "Alat angkutan yang dipergunakan", "Pesawat udara"),
        ("6.", "a. Tempat berangkat b. Tempat tujuan", "Kota Denpasar / Kota Surabaya"),
        ("7.", "a. Lamanya b. Tanggal berangkat c. Tanggal harus kembali", "3 hari / 1 Maret / 3 Maret 2026"),
        ("8.", "Pengikut: nama, tanggal lahir, keterangan", "Ni Made Contoh, 2 Februari 1990"),
        ("9.", "Pembebanan anggaran: a. Instansi b. Akun", "Sekretariat Daerah / 5.1.02.04.01.0001"),
        ("10.", "Keterangan lain-lain", "-"),
    ]
    story = [
        Paragraph("PEMERINTAH PROVINSI BALI — SEKRETARIAT DAERAH", styles["Title"]),
        Paragraph("SURAT PERINTAH PERJALANAN DINAS (SPPD)", styles["Heading2"]),
        Paragraph(
            "Lembar ke: 1 &nbsp; Kode No.: 000.1.2.3 &nbsp; Nomor: 000.1.2.3/123/B.Um/2026", styles["Normal"]
        ),
        Spacer(1, 4 * mm),
        Table(
            [
                [no, Paragraph(label, styles["Normal"]), Paragraph(value, styles["Normal"])]
                for no, label, value in items
            ],
            colWidths=[10 * mm, 75 * mm, 85 * mm],
            style=grid,
        ),
        Spacer(1, 8 * mm),
        Paragraph("Dikeluarkan di Denpasar pada tanggal 25 Februari 2026", styles["Normal"]),
        Paragraph(
            "a.n. SEKRETARIS DAERAH PROVINSI BALI<br/>KEPALA BIRO UMUM DAN PROTOKOL,", styles["Normal"]
        ),
        Spacer(1, 18 * mm),
        Paragraph(
            "<b>Dr. I NYOMAN CONTOH, S.H., M.Si.</b><br/>Pembina (IV/a)<br/>NIP. 19700101 199503 1 001",
            styles["Normal"],
        ),
        PageBreak(),
    ]
    block = "Tiba di: ........ Pada tanggal: ........ Kepala: ........ Berangkat dari: ........ Ke: ........"
    rows = [
        [f"{roman}.", Paragraph(block, styles["Normal"])] for roman in ("I", "II", "III", "IV", "V", "VI")
    ]
    story += [
        Table(rows, colWidths=[12 * mm, 158 * mm], rowHeights=[38 * mm] * 6, style=grid),
        Paragraph("PERHATIAN: pejabat yang berwenang menerbitkan SPPD, pegawai yang melakukan perjalanan dinas, "
                  "para pejabat yang mengesahkan tanggal berangkat/tiba, serta bendahara pengeluaran bertanggung "
                  "jawab berdasarkan peraturan keuangan negara.", styles["Normal"]),
    ]  # fmt: skip
    doc.build(story)
    return buf.getvalue()


def _pages(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def step_sppd(seconds: float) -> dict:
    _setup()
    from travel.models import Sppd
    from travel.pdf import sppd_for_documents, sppd_pdf_bytes

    pk = Sppd.objects.exclude(number="").order_by("-id").values_list("pk", flat=True).first()
    sppd = sppd_for_documents(pk)
    ours_pdf, raw_pdf = sppd_pdf_bytes(sppd), _raw_two_pages()  # warm-up (fonts, imports)
    timings = {"ours": [0, 0.0], "raw": [0, 0.0]}
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:  # interleaved, so foreign load hits both alike
        for name, fn in (("ours", lambda: sppd_pdf_bytes(sppd)), ("raw", _raw_two_pages)):
            started = time.perf_counter()
            fn()
            timings[name][0] += 1
            timings[name][1] += time.perf_counter() - started
    rates = {name: count / spent for name, (count, spent) in timings.items()}
    return {
        "step": "sppd",
        "sppd_id": pk,
        "pages": {"ours": _pages(ours_pdf), "raw": _pages(raw_pdf)},
        "bytes": {"ours": len(ours_pdf), "raw": len(raw_pdf)},
        "docs": {name: count for name, (count, _spent) in timings.items()},
        "docs_per_s": {name: round(rate, 1) for name, rate in rates.items()},
        "ratio": round(rates["ours"] / rates["raw"], 3),
    }


def step_register_pdf(rows: int) -> dict:
    _setup()
    from django.contrib.auth import get_user_model

    from travel.exporters import TripRegisterExporter

    class FirstRows(TripRegisterExporter):
        def rows(self, form_data, *, user):
            return itertools.islice(super().rows(form_data, user=user), rows)

    admin = get_user_model().objects.get(username="admin")
    started = time.perf_counter()
    result = FirstRows().render({}, user=admin, fmt="pdf")
    data = result.content if hasattr(result, "content") else result.file.read()
    seconds = time.perf_counter() - started
    return {
        "step": "register-pdf",
        "rows": rows,
        "seconds": round(seconds, 2),
        "bytes": len(data),
        "pages": _pages(data),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.travelbench")
    parser.add_argument("step", choices=["sppd", "register-pdf"])
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--rows", type=int, default=500)
    args = parser.parse_args()
    result = step_sppd(args.seconds) if args.step == "sppd" else step_register_pdf(args.rows)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
