"""Deterministic demo bureau: units, employees with valid NIPs, and one login per role.

Used by ``manage.py seed_demo`` and by the test personas. Re-running never duplicates anything:
every object is keyed by a stable code, NIP or username.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from .models import Employee, OrgUnit, Position
from .services import unit_save

DEMO_PASSWORD = "SituOK-Demo-2026!"  # noqa: S105  (documented demo login; seed_demo refuses with DEBUG off)

# code, name, abbreviation, kind, parent code
UNITS = [
    ("SETDA", "Sekretariat Daerah Provinsi Bali", "Setda", "setda", None),
    ("BUP", "Biro Umum dan Protokol", "Biro Umum", "biro", "SETDA"),
    ("BUP.TU", "Bagian Tata Usaha dan Keuangan", "TU-Keu", "bagian", "BUP"),
    ("BUP.TU.1", "Subbagian Tata Usaha dan Kepegawaian", "TU", "subbagian", "BUP.TU"),
    ("BUP.TU.2", "Subbagian Keuangan", "Keu", "subbagian", "BUP.TU"),
    ("BUP.RT", "Bagian Rumah Tangga dan Perlengkapan", "RT", "bagian", "BUP"),
    ("BUP.RT.1", "Subbagian Rumah Tangga Pimpinan", "RTP", "subbagian", "BUP.RT"),
    ("BUP.RT.2", "Subbagian Perlengkapan", "Perl", "subbagian", "BUP.RT"),
    ("BUP.PR", "Bagian Protokol dan Dokumentasi Pimpinan", "Prot", "bagian", "BUP"),
    ("BUP.PR.1", "Subbagian Protokol", "Prot", "subbagian", "BUP.PR"),
    ("BUP.PR.2", "Subbagian Dokumentasi Pimpinan", "Dok", "subbagian", "BUP.PR"),
    ("BHK", "Biro Hukum", "Biro Hukum", "biro", "SETDA"),
    ("BHK.PU", "Bagian Perundang-undangan", "PUU", "bagian", "BHK"),
]

LEAF_UNITS = ["BUP.TU.1", "BUP.TU.2", "BUP.RT.1", "BUP.RT.2", "BUP.PR.1", "BUP.PR.2"]


@dataclass(frozen=True)
class Persona:
    username: str
    role: str
    name: str
    unit: str
    position: str
    sex: str
    employee_type: str = Employee.Type.PNS
    heads: str | None = None  # unit code this person heads


# Position name → (kind, functional level, eselon)
POSITION_KINDS = {
    "Kepala Biro Umum dan Protokol": ("JPT", "", "II.a"),
    "Kepala Bagian Tata Usaha dan Keuangan": ("ADMINISTRATOR", "", "III.a"),
    "Kepala Subbagian Tata Usaha dan Kepegawaian": ("PENGAWAS", "", "IV.a"),
    "Pranata Komputer Ahli Muda": ("FUNGSIONAL", "ahli_muda", ""),
    "Pranata Komputer Ahli Pertama": ("FUNGSIONAL", "ahli_pertama", ""),
    "Analis SDM Aparatur": ("FUNGSIONAL", "ahli_pertama", ""),
    "Analis SDM Aparatur Ahli Pertama": ("FUNGSIONAL", "ahli_pertama", ""),
    "Pranata Humas Ahli Pertama": ("FUNGSIONAL", "ahli_pertama", ""),
    "Pranata Humas Ahli Muda": ("FUNGSIONAL", "ahli_muda", ""),
    "Arsiparis Ahli Pertama": ("FUNGSIONAL", "ahli_pertama", ""),
    "Analis Kebijakan Ahli Pertama": ("FUNGSIONAL", "ahli_pertama", ""),
    "Analis Hukum": ("FUNGSIONAL", "ahli_pertama", ""),
}
BUP = {"JPT": 60, "ADMINISTRATOR": 58, "PENGAWAS": 58, "PELAKSANA": 58, "FUNGSIONAL": 58}
GOLONGAN_BY_EDU = {"SMA": "II/a", "D3": "II/c", "S1": "III/a", "S2": "III/b"}
GOLONGAN_ORDER = ["II/a", "II/b", "II/c", "II/d", "III/a", "III/b", "III/c", "III/d", "IV/a", "IV/b", "IV/c"]


PERSONAS = [
    Persona("admin", "administrator", "I Gede Wirawan", "BUP.TU.1", "Pranata Komputer Ahli Muda", "L"),
    Persona(
        "pimpinan", "pimpinan", "I Made Sudarsana", "BUP", "Kepala Biro Umum dan Protokol", "L", heads="BUP"
    ),
    Persona(
        "atasan",
        "atasan",
        "Ni Luh Putu Ariani",
        "BUP.TU.1",
        "Kepala Subbagian Tata Usaha dan Kepegawaian",
        "P",
        heads="BUP.TU.1",
    ),
    Persona(
        "kepegawaian", "operator_kepegawaian", "Ni Kadek Sri Wahyuni", "BUP.TU.1", "Analis SDM Aparatur", "P"
    ),
    Persona(
        "perjalanan",
        "operator_perjalanan",
        "I Komang Adi Saputra",
        "BUP.TU.2",
        "Pengadministrasi Keuangan",
        "L",
    ),
    Persona("bendahara", "bendahara", "Ni Wayan Suastini", "BUP.TU.2", "Bendahara Pengeluaran", "P"),
    Persona(
        "ppk",
        "ppk",
        "I Nyoman Darmaja",
        "BUP.TU",
        "Kepala Bagian Tata Usaha dan Keuangan",
        "L",
        heads="BUP.TU",
    ),
    Persona("pengurus", "pengurus_barang", "I Ketut Arsana", "BUP.RT.2", "Pengurus Barang", "L"),
    Persona(
        "peminjaman",
        "operator_peminjaman",
        "Made Dwi Lestari",
        "BUP.RT.1",
        "Pengelola Sarana dan Prasarana",
        "P",
    ),
    Persona("humas", "humas_protokol", "Putu Eka Prasetya", "BUP.PR.2", "Pranata Humas Ahli Pertama", "L"),
    Persona("pegawai", "pegawai", "Ni Made Ayu Kartika", "BUP.TU.1", "Pengadministrasi Perkantoran", "P"),
    Persona(
        "honorer",
        "pegawai",
        "Kadek Agus Permana",
        "BUP.TU.1",
        "Tenaga Administrasi",
        "L",
        employee_type=Employee.Type.NON_ASN,
    ),
    Persona("luar", "pegawai", "Gusti Ayu Ratna Dewi", "BHK.PU", "Analis Hukum", "P"),
]

FIRST_MALE = [
    "I Wayan",
    "I Made",
    "I Nyoman",
    "I Ketut",
    "I Putu",
    "I Kadek",
    "I Komang",
    "I Gede",
    "Ida Bagus",
    "I Gusti Ngurah",
    "Anak Agung Gede",
    "Dewa Gede",
    "Agus",
    "Budi",
    "Rizki",
    "Andi",
]
FIRST_FEMALE = [
    "Ni Wayan",
    "Ni Made",
    "Ni Nyoman",
    "Ni Ketut",
    "Ni Putu",
    "Ni Kadek",
    "Ni Komang",
    "Ni Luh",
    "Ida Ayu",
    "Anak Agung Istri",
    "Desak Made",
    "Gusti Ayu",
    "Siti",
    "Dewi",
    "Rina",
]
LAST = [
    "Suardana",
    "Mahendra",
    "Sudiarta",
    "Wirawan",
    "Astawa",
    "Suputra",
    "Arsana",
    "Parwata",
    "Sutrisna",
    "Artini",
    "Suarni",
    "Widiastuti",
    "Purnamasari",
    "Yuliantari",
    "Kusuma",
    "Pratama",
    "Santoso",
    "Lestari",
    "Saraswati",
    "Darmawan",
    "Wibawa",
    "Suryani",
    "Adnyana",
    "Budiarta",
]
POSITIONS = [
    "Analis Kebijakan Ahli Pertama",
    "Pengadministrasi Umum",
    "Pranata Komputer Ahli Pertama",
    "Pengelola Barang Milik Negara",
    "Pengemudi",
    "Arsiparis Ahli Pertama",
    "Pengelola Keuangan",
    "Penata Layanan Operasional",
    "Pranata Humas Ahli Muda",
    "Analis SDM Aparatur Ahli Pertama",
]


def make_nip(rng: random.Random, sex: str, seq: int) -> tuple[str, dt.date]:
    """A NIP consistent with domain.md §1.1: birth date, TMT CPNS month, sex digit, sequence."""
    birth = dt.date(rng.randint(1966, 1998), rng.randint(1, 12), rng.randint(1, 28))
    tmt_year = birth.year + rng.randint(22, 30)
    tmt_month = rng.randint(1, 12)
    sex_digit = "1" if sex == "L" else "2"
    return f"{birth:%Y%m%d}{tmt_year}{tmt_month:02d}{sex_digit}{seq % 1000:03d}", birth


def make_nik(rng: random.Random, sex: str, birth: dt.date) -> str:
    day = birth.day + (40 if sex == "P" else 0)
    return f"5171{rng.randint(1, 4):02d}{day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randint(1, 9999):04d}"


@transaction.atomic
def seed_units() -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for code, name, abbr, kind, parent in UNITS:
        unit = OrgUnit.objects.filter(code=code).first() or OrgUnit(code=code)
        unit.name, unit.abbreviation, unit.kind = name, abbr, kind
        unit.parent = units[parent] if parent else None
        units[code] = unit_save(unit)
    return units


def _position(unit: OrgUnit, name: str) -> Position:
    kind, level, eselon = POSITION_KINDS.get(name, ("PELAKSANA", "", ""))
    bup = 60 if level == "ahli_madya" else 65 if level == "ahli_utama" else BUP[kind]
    position, _ = Position.objects.get_or_create(
        unit=unit, name=name, defaults={"kind": kind, "functional_level": level, "eselon": eselon, "bup": bup}
    )
    return position


def _employee(rng, *, key: str, seq: int, name: str, sex: str, etype: str, unit: OrgUnit, position: str):
    nip, birth = make_nip(rng, sex, seq)
    asn = etype in Employee.ASN_TYPES
    pns = etype in Employee.PNS_TYPES
    tmt_cpns = dt.date(int(nip[8:12]), int(nip[12:14]), 1)
    education = rng.choice(["SMA", "D3", "S1", "S1", "S1", "S2"])
    start = GOLONGAN_ORDER.index(GOLONGAN_BY_EDU[education])
    steps = min((2026 - tmt_cpns.year) // 4, len(GOLONGAN_ORDER) - 1 - start)
    tmt_golongan = dt.date(tmt_cpns.year + 4 * steps, rng.choice([4, 10]), 1)
    defaults = {
        "name": name,
        "sex": sex,
        "employee_type": etype,
        "unit": unit,
        "position": _position(unit, position),
        "nip": nip if asn else None,
        "nik": make_nik(rng, sex, birth),
        "birth_date": birth,
        "birth_place": rng.choice(
            ["Denpasar", "Tabanan", "Gianyar", "Singaraja", "Klungkung", "Bangli", "Negara"]
        ),
        "religion": rng.choice(["hindu"] * 8 + ["islam", "protestan"]),
        "education_level": education,
        "golongan": GOLONGAN_ORDER[start + steps] if pns else "",
        "pppk_golongan": "IX" if etype in Employee.PPPK_TYPES else "",
        "tmt_golongan": tmt_golongan if asn else None,
        "tmt_cpns": tmt_cpns if pns else None,
        "tmt_pns": dt.date(tmt_cpns.year + 1, tmt_cpns.month, 1) if etype == Employee.Type.PNS else None,
        "tmt_kgb": dt.date(2026 - rng.randint(0, 1), tmt_cpns.month, 1) if asn else None,
        "contract_start": dt.date(2024, 1, 1) if not pns else None,
        "contract_end": dt.date(2026 + rng.randint(0, 2), 12, 31) if not pns else None,
        "phone": f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
        "address": f"Jl. {rng.choice(['Gatot Subroto', 'Hayam Wuruk', 'Teuku Umar', 'Cokroaminoto'])} No. {rng.randint(1, 200)}, Denpasar",
        "bank_name": "BPD Bali",
        "bank_account": f"{rng.randint(10**11, 10**12 - 1)}",
    }
    employee, _ = Employee.objects.update_or_create(internal_number=key, defaults=defaults)
    return employee


@transaction.atomic
def seed_people(scale: int = 1, *, password: str = DEMO_PASSWORD) -> dict[str, Employee]:
    """One login per persona plus employees up to 40 × scale (about 10% non-ASN); scale 0 creates
    only the personas (the test suite's fixtures)."""
    rng = random.Random(20261122)  # fixed seed: the same bureau every time
    units = seed_units()
    user_model = get_user_model()
    groups = {g.name: g for g in Group.objects.all()}
    people: dict[str, Employee] = {}
    for i, p in enumerate(PERSONAS, start=1):
        user = user_model.objects.filter(username=p.username).first()
        if user is None:
            user = user_model(username=p.username)
            user.set_password(password)
        first, _, last = p.name.rpartition(" ")
        user.first_name, user.last_name = first, last
        user.is_staff = p.role == "administrator"  # Django admin for reference data
        user.save()
        user.groups.add(*(groups[name] for name in {p.role, "pegawai"} if name in groups))
        employee = _employee(
            rng,
            key=f"DEMO-{p.username}",
            seq=i,
            name=p.name,
            sex=p.sex,
            etype=p.employee_type,
            unit=units[p.unit],
            position=p.position,
        )
        if employee.user_id != user.pk:
            employee.user = user
            employee.save(update_fields=["user"])
        if p.heads:
            OrgUnit.objects.filter(code=p.heads).update(head=employee, head_position=employee.position)
        people[p.username] = employee
    for n in range(max(0, 40 * scale - len(PERSONAS))):
        sex = rng.choice("LP")
        first = rng.choice(FIRST_MALE if sex == "L" else FIRST_FEMALE)
        etype = (
            Employee.Type.NON_ASN
            if n % 10 == 0
            else rng.choice([Employee.Type.PNS] * 6 + [Employee.Type.PPPK, Employee.Type.CPNS])
        )
        _employee(
            rng,
            key=f"DEMO-{n + 1:06d}",
            seq=100 + n,
            name=f"{first} {rng.choice(LAST)}",
            sex=sex,
            etype=etype,
            unit=units[LEAF_UNITS[n % len(LEAF_UNITS)]],
            position=rng.choice(POSITIONS),
        )
    return people
