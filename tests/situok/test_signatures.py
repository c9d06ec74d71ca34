"""Signature blocks (domain.md §8.4, Permendagri 1/2023 Ps. 44): the lines, the rule on NIP/pangkat, the PDF."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from situok.exports.pdf import BasePDF
from situok.signatures import (
    NAME_RULES,
    SIGNATURE_SPACE_LINES,
    TTE_MARK,
    Mandate,
    Signer,
    infer_role_kind,
    name_rule,
    signature_flowables,
    signature_lines,
    signer_from_employee,
)
from staff.models import Employee, Position

SPACE = [""] * SIGNATURE_SPACE_LINES
NIP = "198001012005011001"
NIP_LINE = "NIP. 19800101 200501 1 001"
DAY = dt.date(2026, 11, 22)

KEPALA_BIRO = Signer(
    "I Made Contoh",
    title="Kepala Biro Umum dan Protokol",
    nip=NIP,
    pangkat="Pembina Tingkat I",
    golongan="IV/b",
    front_title="Dr.",
    back_title="S.H., M.H.",
)
ASISTEN = Signer(
    "I Nyoman Contoh",
    title="ASISTEN ADMINISTRASI UMUM",
    nip=NIP,
    pangkat="Pembina Utama Muda",
    golongan="IV/c",
    back_title="S.E., M.Si.",
)
KABAG = Signer(
    "Ni Luh Contoh",
    title="KEPALA BAGIAN TATA USAHA PIMPINAN",
    nip=NIP,
    pangkat="Pembina",
    golongan="IV/a",
    back_title="S.Sos.",
)
GUBERNUR = Signer("Wayan Contoh", title="GUBERNUR BALI", front_title="Dr.", role_kind="kepala_daerah")
WAGUB = Signer("Ketut Contoh", title="WAKIL GUBERNUR BALI", role_kind="wakil_kepala_daerah")
SEKDA = Signer(
    "Dewa Contoh",
    title="SEKRETARIS DAERAH",
    nip=NIP,
    pangkat="Pembina Utama Madya",
    golongan="IV/d",
    back_title="S.H., M.H.",
    role_kind="sekda",
)
# An official with a NIP appointed as Pj. Gubernur / standing in for the Sekda.
PEJABAT = Signer(
    "Gede Contoh",
    title="ASISTEN PEMERINTAHAN DAN KESEJAHTERAAN RAKYAT",
    nip=NIP,
    pangkat="Pembina Utama Muda",
    golongan="IV/c",
    front_title="Drs.",
    back_title="M.Si.",
)

CASES = [
    pytest.param(
        KEPALA_BIRO,
        {"on": DAY},
        [
            "Denpasar, 22 November 2026",
            "Kepala Biro Umum dan Protokol,",
            *SPACE,
            "Dr. I Made Contoh, S.H., M.H.",
            "Pembina Tingkat I (IV/b)",
            NIP_LINE,
        ],
        id="regular-kepala-biro-with-nip-and-pangkat",
    ),
    pytest.param(
        KEPALA_BIRO,
        {"mandate": Mandate(kind="an", principal_title="SEKRETARIS DAERAH")},
        [
            "a.n. SEKRETARIS DAERAH",
            "Kepala Biro Umum dan Protokol,",
            *SPACE,
            "Dr. I Made Contoh, S.H., M.H.",
            "Pembina Tingkat I (IV/b)",
            NIP_LINE,
        ],
        id="an-sekda-by-kepala-biro",
    ),
    pytest.param(
        ASISTEN,
        {
            "mandate": Mandate(
                kind="ub", principal_title="GUBERNUR BALI", intermediate_title="SEKRETARIS DAERAH"
            )
        },
        # domain.md §8.4, verbatim (name and NIP filled in).
        [
            "a.n. GUBERNUR BALI",
            "SEKRETARIS DAERAH",
            "u.b.",
            "ASISTEN ADMINISTRASI UMUM,",
            *SPACE,
            "I Nyoman Contoh, S.E., M.Si.",
            "Pembina Utama Muda (IV/c)",
            "NIP. 19800101 200501 1 001",
        ],
        id="an-gubernur-ub-asisten",
    ),
    pytest.param(
        KABAG,
        {"mandate": Mandate(kind="plt", principal_title="KEPALA BIRO UMUM")},
        [
            "Plt. KEPALA BIRO UMUM,",
            *SPACE,
            "Ni Luh Contoh, S.Sos.",
            "Pembina (IV/a)",
            NIP_LINE,
        ],
        id="plt-kepala-biro-keeps-nip",
    ),
    pytest.param(
        GUBERNUR,
        {"on": DAY},
        ["Denpasar, 22 November 2026", "GUBERNUR BALI,", *SPACE, "Dr. Wayan Contoh"],
        id="gubernur-no-nip-no-pangkat",
    ),
    pytest.param(
        WAGUB,
        {},
        ["WAKIL GUBERNUR BALI,", *SPACE, "Ketut Contoh"],
        id="wakil-gubernur-no-nip",
    ),
    pytest.param(
        SEKDA,
        {"mandate": Mandate(kind="an", principal_title="GUBERNUR BALI")},
        ["a.n. GUBERNUR BALI", "SEKRETARIS DAERAH,", *SPACE, "Dewa Contoh, S.H., M.H."],
        id="sekda-no-nip-even-with-nip-on-file",
    ),
    pytest.param(
        PEJABAT,
        {"mandate": Mandate(kind="pj", principal_title="GUBERNUR BALI")},
        ["Pj. GUBERNUR BALI,", *SPACE, "Gede Contoh"],
        id="pj-gubernur-no-titles-no-nip",
    ),
    pytest.param(
        PEJABAT,
        {"mandate": Mandate(kind="plh", principal_title="SEKRETARIS DAERAH")},
        ["Plh. SEKRETARIS DAERAH,", *SPACE, "Gede Contoh"],
        id="plh-sekda-no-titles-no-nip",
    ),
    pytest.param(
        replace(PEJABAT, title="SEKRETARIS DAERAH", role_kind="sekda"),
        {"mandate": Mandate(kind="an", principal_title="GUBERNUR BALI", acting="plh")},
        ["a.n. GUBERNUR BALI", "Plh. SEKRETARIS DAERAH,", *SPACE, "Gede Contoh"],
        id="an-gubernur-by-plh-sekda",
    ),
    pytest.param(
        PEJABAT,
        {"mandate": Mandate(kind="plt", principal_title="SEKRETARIS DAERAH")},
        # Ps. 44(5) names only Pj. and Plh. Sekda: a Plt. Sekda signs like any official, Ps. 44(3).
        [
            "Plt. SEKRETARIS DAERAH,",
            *SPACE,
            "Drs. Gede Contoh, M.Si.",
            "Pembina Utama Muda (IV/c)",
            NIP_LINE,
        ],
        id="plt-sekda-keeps-titles-and-nip",
    ),
    pytest.param(
        PEJABAT,
        {"mandate": Mandate(kind="plt", principal_title="GUBERNUR BALI")},
        ["Plt. GUBERNUR BALI,", *SPACE, "Gede Contoh"],
        id="plt-gubernur-no-titles-no-nip",
    ),
    pytest.param(
        KEPALA_BIRO,
        {"with_titles": False},
        ["Kepala Biro Umum dan Protokol,", *SPACE, "I Made Contoh", "Pembina Tingkat I (IV/b)", NIP_LINE],
        id="naskah-pengaturan-without-academic-titles",
    ),
    pytest.param(
        KEPALA_BIRO,
        {"tte": True, "on": DAY, "place": "Singaraja"},
        [
            "Singaraja, 22 November 2026",
            "Kepala Biro Umum dan Protokol,",
            TTE_MARK,
            "Dr. I Made Contoh, S.H., M.H.",
            "Pembina Tingkat I (IV/b)",
            NIP_LINE,
        ],
        id="tte-mark-replaces-signature-space",
    ),
]


@pytest.mark.parametrize(("signer", "kwargs", "expected"), CASES)
def test_signature_lines(signer, kwargs, expected):
    assert signature_lines(signer, **kwargs) == expected


def test_the_name_line_is_known_to_the_pdf_renderer():
    lines = signature_lines(KEPALA_BIRO, on=DAY)
    assert lines[lines.name_index] == "Dr. I Made Contoh, S.H., M.H."


def test_only_the_last_title_carries_a_comma_and_a_trailing_comma_is_not_doubled():
    signer = Signer("A", title="KEPALA BIRO UMUM,  ")
    lines = signature_lines(
        signer,
        mandate=Mandate(kind="ub", principal_title="GUBERNUR BALI,", intermediate_title="SEKRETARIS DAERAH"),
    )
    assert lines[:4] == ["a.n. GUBERNUR BALI", "SEKRETARIS DAERAH", "u.b.", "KEPALA BIRO UMUM,"]
    assert sum(line.endswith(",") for line in lines) == 1


def test_golongan_alone_gives_the_pangkat_and_a_pppk_golongan_stays_plain():
    assert signature_lines(Signer("A", title="X", golongan="iii b"))[-1] == "Penata Muda Tingkat I (III/b)"
    assert signature_lines(Signer("A", title="X", golongan="IX"))[-1] == "Golongan IX"


def test_rule_table_encodes_permendagri_1_2023_article_44():
    bare = {key for key, rule in NAME_RULES.items() if not rule.academic_titles and not rule.nip_pangkat}
    assert bare == {
        ("kepala_daerah", "pj"),
        ("kepala_daerah", "pjs"),
        ("kepala_daerah", "plt"),
        ("kepala_daerah", "plh"),
        ("sekda", "pj"),
        ("sekda", "plh"),
    }
    assert not name_rule("sekda").nip_pangkat and name_rule("sekda").academic_titles
    assert name_rule("sekda", "plt").nip_pangkat
    assert name_rule(None).nip_pangkat and name_rule(None, "plt").nip_pangkat


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("GUBERNUR BALI", "kepala_daerah"),
        ("Bupati Badung", "kepala_daerah"),
        ("WAKIL GUBERNUR BALI", "wakil_kepala_daerah"),
        ("Sekretaris Daerah Provinsi Bali", "sekda"),
        ("SEKRETARIS DAERAH", "sekda"),
        ("ASISTEN ADMINISTRASI UMUM SEKRETARIAT DAERAH", None),
        ("KEPALA BIRO UMUM DAN PROTOKOL", None),
        ("SEKRETARIS DPRD", None),
    ],
)
def test_infer_role_kind(title, role):
    assert infer_role_kind(title) == role


@pytest.mark.parametrize(
    "mandate",
    [
        {"kind": "xx"},
        {"kind": "an"},
        {"kind": "ub", "principal_title": "GUBERNUR BALI"},
        {"kind": "an", "principal_title": "GUBERNUR BALI", "acting": "wakil"},
    ],
)
def test_incomplete_or_unknown_mandates_are_refused(mandate):
    with pytest.raises(ValueError):
        Mandate(**mandate)


def test_signer_from_employee_uses_position_rank_and_titles():
    position = Position(name="Kepala Biro Umum dan Protokol", kind=Position.Kind.JPT, eselon="II.a")
    employee = Employee(
        name="I Made Contoh",
        front_title="Dr.",
        back_title="S.H.",
        nip=NIP,
        golongan="IV/b",
        employee_type=Employee.Type.PNS,
        position=position,
    )
    signer = signer_from_employee(employee)
    assert signer == Signer(
        "I Made Contoh",
        title="KEPALA BIRO UMUM DAN PROTOKOL",
        nip=NIP,
        pangkat="Pembina Tingkat I",
        golongan="IV/b",
        front_title="Dr.",
        back_title="S.H.",
        role_kind=None,
    )
    sekda = signer_from_employee(employee, title="Sekretaris Daerah")
    assert sekda.role_kind == "sekda" and sekda.title == "SEKRETARIS DAERAH"
    assert NIP_LINE not in signature_lines(sekda)


def test_signer_from_employee_without_position_or_nip():
    employee = Employee(name="Putu Contoh", employee_type=Employee.Type.PPPK, pppk_golongan="IX")
    signer = signer_from_employee(employee)
    assert (signer.title, signer.nip, signer.pangkat, signer.golongan) == ("", "", "", "IX")


# --- PDF ------------------------------------------------------------------------------------------------


class LetterPDF(BasePDF):
    title = "Surat Uji"

    def __init__(self, lines, align="right"):
        super().__init__(generated_at=dt.datetime(2026, 11, 22, 1, 0, tzinfo=dt.UTC))
        self.lines, self.align = lines, align

    def _story(self):
        return [Paragraph("Demikian disampaikan, atas perhatiannya diucapkan terima kasih.")]

    def _signature_block(self):
        width = self.pagesize[0] - self.margin_left - self.margin_right
        return signature_flowables(self.lines, width=width, align=self.align)


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.mark.parametrize("align", ["right", "left"])
def test_pdf_prints_the_block_lines_in_order(align):
    lines = signature_lines(
        ASISTEN,
        mandate=Mandate(kind="ub", principal_title="GUBERNUR BALI", intermediate_title="SEKRETARIS DAERAH"),
        on=DAY,
    )
    text = _text(LetterPDF(lines, align).render())
    positions = [text.index(line) for line in lines if line]
    assert positions == sorted(positions), text
    assert text.index("terima kasih") < positions[0]


def test_pdf_sets_the_name_bold_and_underlined_and_escapes_markup():
    signer = Signer("A & B <Contoh>", title="KEPALA <BIRO>", nip=NIP, golongan="IV/a")
    flowables = signature_flowables(signature_lines(signer, tte=True), width=170 * mm)
    paragraphs = [f for f in flowables[0]._content[-1]._cellvalues[0][1] if isinstance(f, Paragraph)]
    name = next(p for p in paragraphs if "Contoh" in p.text)
    assert name.style.fontName == "Helvetica-Bold"
    assert "<u>" in name.text and "&amp;" in name.text and "&lt;Contoh&gt;" in name.text
    text = _text(LetterPDF(signature_lines(signer, tte=True)).render())
    assert "A & B <Contoh>" in text and TTE_MARK in text and "KEPALA <BIRO>," in text


def test_a_plain_list_of_lines_is_accepted():
    lines = list(signature_lines(KEPALA_BIRO))
    flowables = signature_flowables(lines, width=170 * mm, align="left")
    cell = flowables[0]._content[-1]._cellvalues[0][0]
    bold = [f.text for f in cell if isinstance(f, Paragraph) and f.style.fontName == "Helvetica-Bold"]
    assert bold == ["<u>Dr. I Made Contoh, S.H., M.H.</u>"]
    with pytest.raises(ValueError):
        signature_flowables(lines, width=100, align="centre")
