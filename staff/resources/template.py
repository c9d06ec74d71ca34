"""The blank template workbook: the sheet names, the column help of the Petunjuk sheet, the example row
and ``build_template``."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import xlsxwriter
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from .. import rules
from ..models import Employee
from .cells import DATE_DISPLAY_FORMAT
from .columns import EmployeeResource

DATA_SHEET = "Pegawai"
HELP_SHEET = "Petunjuk"
REFERENCE_SHEET = "Referensi"


# --- Column help (the Petunjuk sheet) -------------------------------------------------------------
@dataclass(frozen=True)
class ColumnHelp:
    required: Promise
    text: Promise
    values: Promise | str = ""


ALWAYS = gettext_lazy("Ya")
NEW_ONLY = gettext_lazy("Untuk pegawai baru")
ASN_ONLY = gettext_lazy("ASN")
NON_ASN_ONLY = gettext_lazy("Non-ASN")
OPTIONAL = gettext_lazy("Tidak")
SEE_REFERENCE = gettext_lazy("Lihat lembar Referensi")

COLUMN_HELP: dict[str, ColumnHelp] = {
    "nip": ColumnHelp(
        ASN_ONLY,
        gettext_lazy(
            "NIP (PNS/CPNS) atau NI PPPK, 18 digit, ditulis sebagai teks. Kunci pencocokan ASN: bila NIP sudah ada, data pegawai itu diperbarui. Kosongkan untuk non-ASN."
        ),
    ),
    "nik": ColumnHelp(
        NON_ASN_ONLY,
        gettext_lazy(
            "NIK sesuai KTP, 16 digit, ditulis sebagai teks. Kunci pencocokan pegawai non-ASN (yang tidak memiliki NIP)."
        ),
    ),
    "name": ColumnHelp(NEW_ONLY, gettext_lazy("Nama lengkap tanpa gelar.")),
    "front_title": ColumnHelp(OPTIONAL, gettext_lazy("Gelar di depan nama, misalnya Dr. atau Ir.")),
    "back_title": ColumnHelp(OPTIONAL, gettext_lazy("Gelar di belakang nama, misalnya S.H., M.Si.")),
    "sex": ColumnHelp(NEW_ONLY, gettext_lazy("L untuk laki-laki, P untuk perempuan."), "L, P"),
    "birth_place": ColumnHelp(OPTIONAL, gettext_lazy("Kota atau kabupaten tempat lahir.")),
    "birth_date": ColumnHelp(
        OPTIONAL,
        gettext_lazy(
            "Tanggal lahir: sel tanggal Excel atau teks DD-MM-YYYY, DD/MM/YYYY, YYYY-MM-DD. Perbedaan dengan NIP/NIK hanya menjadi peringatan."
        ),
    ),
    "religion": ColumnHelp(OPTIONAL, gettext_lazy("Agama."), SEE_REFERENCE),
    "employee_type": ColumnHelp(
        ALWAYS, gettext_lazy("Jenis pegawai; menentukan kunci pencocokan."), SEE_REFERENCE
    ),
    "golongan": ColumnHelp(
        OPTIONAL, gettext_lazy("Golongan ruang, hanya untuk PNS/CPNS."), gettext_lazy("I/a sampai IV/e")
    ),
    "pppk_golongan": ColumnHelp(
        OPTIONAL,
        gettext_lazy("Golongan PPPK, hanya untuk PPPK dan PPPK paruh waktu."),
        gettext_lazy("I sampai XVII"),
    ),
    "tmt_golongan": ColumnHelp(OPTIONAL, gettext_lazy("TMT pangkat/golongan terakhir (tanggal).")),
    "unit": ColumnHelp(
        NEW_ONLY, gettext_lazy("Kode unit kerja, persis seperti di lembar Referensi."), SEE_REFERENCE
    ),
    "position": ColumnHelp(
        OPTIONAL,
        gettext_lazy(
            "Nama jabatan yang sudah terdaftar di unit tersebut (lembar Referensi). Jabatan baru didaftarkan dahulu oleh Operator Kepegawaian."
        ),
        SEE_REFERENCE,
    ),
    "tmt_jabatan": ColumnHelp(OPTIONAL, gettext_lazy("TMT jabatan (tanggal).")),
    "tmt_cpns": ColumnHelp(
        OPTIONAL, gettext_lazy("TMT CPNS (tanggal); sebaiknya sama dengan bulan dan tahun pada NIP.")
    ),
    "education_level": ColumnHelp(OPTIONAL, gettext_lazy("Pendidikan terakhir."), SEE_REFERENCE),
    "education_major": ColumnHelp(OPTIONAL, gettext_lazy("Jurusan atau program studi.")),
    "phone": ColumnHelp(OPTIONAL, gettext_lazy("Nomor telepon seluler, ditulis sebagai teks.")),
    "email": ColumnHelp(OPTIONAL, gettext_lazy("Alamat surel.")),
    "address": ColumnHelp(OPTIONAL, gettext_lazy("Alamat tempat tinggal.")),
    "npwp": ColumnHelp(OPTIONAL, gettext_lazy("NPWP, ditulis sebagai teks.")),
    "bank_name": ColumnHelp(OPTIONAL, gettext_lazy("Nama bank rekening gaji.")),
    "bank_account": ColumnHelp(OPTIONAL, gettext_lazy("Nomor rekening, ditulis sebagai teks.")),
    "status": ColumnHelp(
        OPTIONAL, gettext_lazy("Status kepegawaian; kosong berarti Aktif untuk pegawai baru."), SEE_REFERENCE
    ),
    "internal_number": ColumnHelp(
        OPTIONAL, gettext_lazy("Nomor pegawai internal (misalnya untuk tenaga kontrak); harus unik.")
    ),
}

# Columns whose cells are formatted as text in the template (long digit strings).
TEXT_COLUMNS = ("nip", "nik", "phone", "npwp", "bank_account", "internal_number")
DATE_COLUMNS = ("birth_date", "tmt_golongan", "tmt_jabatan", "tmt_cpns")
COLUMN_WIDTHS = {"name": 30, "address": 36, "position": 34, "email": 26, "education_major": 22}

# A NIP that parses but belongs to nobody (born 1901; 1900 dates hit Excel's leap-year bug): keeping the
# example row can never touch a real record.
EXAMPLE_NIP = "190101011919011999"


def example_row(unit_code: str, position_name: str) -> dict[str, Any]:
    """The example row of the template, by field name; consistent NIP, NIK, birth date and sex."""
    return {
        "nip": EXAMPLE_NIP,
        "nik": "5171010101010001",
        "name": "Contoh Nama Pegawai",
        "front_title": "",
        "back_title": "S.Kom.",
        "sex": "L",
        "birth_place": "Denpasar",
        "birth_date": dt.date(1901, 1, 1),
        "religion": "hindu",
        "employee_type": "PNS",
        "golongan": "III/a",
        "pppk_golongan": "",
        "tmt_golongan": dt.date(1923, 4, 1),
        "unit": unit_code,
        "position": position_name,
        "tmt_jabatan": dt.date(1924, 1, 2) if position_name else None,
        "tmt_cpns": dt.date(1919, 1, 1),
        "education_level": "S1",
        "education_major": "Teknik Informatika",
        "phone": "081234567890",
        "email": "contoh@example.com",
        "address": "Jl. Basuki Rahmat No. 1, Denpasar",
        "npwp": "",
        "bank_name": "BPD Bali",
        "bank_account": "",
        "status": "aktif",
        "internal_number": "",
    }


# --- Template -------------------------------------------------------------------------------------
def _general_rules(max_rows: int, max_megabytes: int) -> list[str]:
    return [
        _("Isi data pada lembar Pegawai mulai baris 2. Jangan mengubah judul kolom di baris 1."),
        _("Baris 2 adalah contoh: hapus atau timpa sebelum mengimpor."),
        _(
            "Kolom boleh dihapus bila tidak dipakai, kecuali Jenis Pegawai dan NIP/NIK. Sel kosong tidak mengubah data pegawai yang sudah ada."
        ),
        _(
            "ASN (PNS, CPNS, PPPK) dicocokkan dengan NIP, pegawai non-ASN dengan NIK. Yang belum ada ditambahkan, yang sudah ada diperbarui."
        ),
        _("NIP, NIK, NPWP, nomor rekening dan telepon ditulis sebagai teks, bukan angka."),
        _("Tanggal ditulis DD-MM-YYYY (misalnya 26-09-1986) atau sebagai sel tanggal Excel."),
        _(
            "Setelah diunggah, semua baris diperiksa lebih dahulu. Bila satu baris saja salah, tidak ada data yang disimpan; perbaiki lalu unggah ulang."
        ),
        _("Paling banyak %(rows)s baris data dan %(size)s MB per berkas.")
        % {"rows": f"{max_rows:,}".replace(",", "."), "size": max_megabytes},
    ]


def build_template(
    *,
    units: Iterable[tuple[str, str]],
    positions: Iterable[tuple[str, str]],
    example: tuple[str, str],
    max_rows: int,
    max_megabytes: int,
) -> bytes:
    """The import template as XLSX bytes.

    ``units`` is ``(code, name)`` and ``positions`` is ``(unit code, position name)``, both in display order;
    ``example`` is the ``(unit code, position name)`` of the example row.
    Sheet *Pegawai* has the headers, the example row, text-formatted identifier columns, date-formatted date
    columns and drop-down lists; *Petunjuk* explains every column; *Referensi* lists the valid values.
    """
    units = list(units)
    positions = list(positions)
    columns = EmployeeResource.columns()
    sample = example_row(*example)

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    book.set_properties({"title": _("Templat impor data pegawai"), "author": "SITU OK"})
    header = book.add_format(
        {"bold": True, "bg_color": "#DCE6F1", "border": 1, "text_wrap": True, "valign": "top"}
    )
    text = book.add_format({"num_format": "@"})
    date = book.add_format({"num_format": "dd-mm-yyyy"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    bold = book.add_format({"bold": True})

    data = book.add_worksheet(DATA_SHEET)
    help_sheet = book.add_worksheet(HELP_SHEET)
    reference = book.add_worksheet(REFERENCE_SHEET)

    # Referensi: units, positions and one column per list of choices (sources of the drop-downs).
    reference.write_row(0, 0, [_("Kode Unit"), _("Nama Unit")], header)
    for row, (code, name) in enumerate(units, start=1):
        reference.write_string(row, 0, code)
        reference.write_string(row, 1, name)
    reference.write_row(0, 3, [_("Kode Unit"), _("Jabatan")], header)
    for row, (code, name) in enumerate(positions, start=1):
        reference.write_string(row, 3, code)
        reference.write_string(row, 4, name)
    reference.set_column(0, 0, 14)
    reference.set_column(1, 1, 44)
    reference.set_column(3, 3, 14)
    reference.set_column(4, 4, 44)
    lists: dict[str, list[str]] = {
        "sex": [c for c, _label in Employee.Sex.choices],
        "religion": [c for c, _label in Employee.Religion.choices],
        "employee_type": [c for c, _label in Employee.Type.choices],
        "golongan": [c for c, _pangkat in rules.GOLONGAN_PNS],
        "pppk_golongan": list(rules.GOLONGAN_PPPK),
        "education_level": [c for c, _label in Employee.Education.choices],
        "status": [c for c, _label in Employee.Status.choices],
    }
    headers = dict(columns)
    sources: dict[str, str] = {}
    for offset, (name, values) in enumerate(lists.items()):
        col = 6 + offset
        reference.write_string(0, col, headers[name].column_name, header)
        for row, value in enumerate(values, start=1):
            reference.write_string(row, col, value)
        reference.set_column(col, col, 18)
        letter = xlsxwriter.utility.xl_col_to_name(col)
        sources[name] = f"={REFERENCE_SHEET}!${letter}$2:${letter}${len(values) + 1}"
    if units:
        sources["unit"] = f"={REFERENCE_SHEET}!$A$2:$A${len(units) + 1}"
    reference.freeze_panes(1, 0)

    # Pegawai: headers, formats, drop-downs, the example row.
    for col, (name, field) in enumerate(columns):
        cell_format = text if name in TEXT_COLUMNS else date if name in DATE_COLUMNS else None
        data.set_column(col, col, COLUMN_WIDTHS.get(name, 16), cell_format)
        data.write_string(0, col, field.column_name, header)
        value = sample[name]
        if isinstance(value, dt.date):
            data.write_datetime(1, col, dt.datetime.combine(value, dt.time()), date)
        elif value:
            data.write_string(1, col, str(value), text if name in TEXT_COLUMNS else None)
        if name in sources:
            data.data_validation(
                1,
                col,
                max_rows,
                col,
                {
                    "validate": "list",
                    "source": sources[name],
                    "error_type": "warning",
                    "error_title": _("Nilai tidak ada dalam daftar"),
                    "error_message": _("Pilih nilai dari daftar di lembar Referensi."),
                },
            )
    data.freeze_panes(1, 0)
    data.set_row(0, 32)
    data.activate()

    # Petunjuk: general rules, then one line per column.
    help_sheet.set_column(0, 0, 28)
    help_sheet.set_column(1, 1, 18)
    help_sheet.set_column(2, 2, 70)
    help_sheet.set_column(3, 3, 22)
    help_sheet.set_column(4, 4, 24)
    help_sheet.write_string(0, 0, _("Petunjuk pengisian templat impor data pegawai"), bold)
    row = 2
    for line in _general_rules(max_rows, max_megabytes):
        help_sheet.merge_range(row, 0, row, 4, line, wrap)
        help_sheet.set_row(row, 30)
        row += 1
    row += 1
    help_sheet.write_row(
        row,
        0,
        [pgettext("spreadsheet", "Kolom"), _("Wajib"), _("Keterangan"), _("Nilai"), _("Contoh")],
        header,
    )
    for name, field in columns:
        row += 1
        info = COLUMN_HELP[name]
        value = sample[name]
        shown = value.strftime(DATE_DISPLAY_FORMAT) if isinstance(value, dt.date) else str(value or "")
        help_sheet.write_string(row, 0, field.column_name, bold)
        help_sheet.write_string(row, 1, str(info.required), wrap)
        help_sheet.write_string(row, 2, str(info.text), wrap)
        help_sheet.write_string(row, 3, str(info.values), wrap)
        help_sheet.write_string(row, 4, shown, wrap)
    book.close()
    return output.getvalue()
