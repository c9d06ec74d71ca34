"""Signature blocks of official documents (domain.md §8.4; Permendagri 1/2023 Ps. 44).

Order, top to bottom::

    Denpasar, 22 November 2026          <- place/date line (letters only)
    a.n. GUBERNUR BALI                  <- mandate prefix
    SEKRETARIS DAERAH
    u.b.
    ASISTEN ADMINISTRASI UMUM,          <- office title; the comma follows the last title only
                                        <- signature space (or the TTE mark)
    Dr. I NYOMAN CONTOH, S.H., M.Si.    <- name (bold, underlined in the PDF)
    Pembina Utama Muda (IV/c)           <- pangkat (golongan)
    NIP. 19800101 200501 1 001

Who prints what is data (:data:`NAME_RULES`), transcribed from Permendagri 1/2023 Ps. 44:

(1) no academic titles on *naskah pengaturan/penetapan* — the caller passes ``with_titles=False``;
(3) officials other than the Kepala Daerah, Wakil Kepala Daerah and Sekda sign with titles, NIP and
    pangkat/golongan — so those three print no NIP and no pangkat;
(4) the Pj., Pjs., Plt. and Plh. of a Kepala Daerah sign without titles, NIP or pangkat;
(5) the Pj. and Plh. of a Sekda sign without titles, NIP or pangkat. A **Plt.** Sekda is not listed,
    so (3) applies to them: titles, NIP and pangkat are printed.

The text of the block is official document text: like :mod:`situok.formats`, it is Indonesian whatever
the UI language, so nothing here is translated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from datetime import date
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from situok.formats import nip_display, tanggal_surat
from staff.rules import normalize_golongan, pangkat_for

__all__ = [
    "ACTING_PREFIXES",
    "NAME_RULES",
    "ROLE_KEPALA_DAERAH",
    "ROLE_SEKDA",
    "ROLE_WAKIL_KEPALA_DAERAH",
    "SIGNATURE_SPACE_LINES",
    "TTE_MARK",
    "Mandate",
    "NameRule",
    "SignatureLines",
    "Signer",
    "infer_role_kind",
    "name_rule",
    "signature_flowables",
    "signature_lines",
    "signer_from_employee",
]

ROLE_KEPALA_DAERAH = "kepala_daerah"
ROLE_WAKIL_KEPALA_DAERAH = "wakil_kepala_daerah"
ROLE_SEKDA = "sekda"

MandateKind = Literal["", "an", "ub", "plt", "plh", "pj", "pjs"]
ActingKind = Literal["", "plt", "plh", "pj", "pjs"]

#: Written before the title of the post being filled: ``Plt. KEPALA BIRO UMUM,``.
ACTING_PREFIXES: dict[str, str] = {"plt": "Plt.", "plh": "Plh.", "pj": "Pj.", "pjs": "Pjs."}

#: Empty lines left for the wet signature and the stamp.
SIGNATURE_SPACE_LINES = 4
#: Replaces the signature space on a document signed with a certified electronic signature (BSrE).
TTE_MARK = "Ditandatangani secara elektronik"


@dataclass(frozen=True)
class NameRule:
    """What the lines under the signature may show."""

    academic_titles: bool  # gelar; still dropped when the caller asks for ``with_titles=False``
    nip_pangkat: bool  # the pangkat (golongan) line and the NIP line


DEFAULT_RULE = NameRule(academic_titles=True, nip_pangkat=True)  # Ps. 44(3)

#: Permendagri 1/2023 Ps. 44 as data: ``(role of the post signed for, acting prefix)`` → rule.
#: Combinations not listed use :data:`DEFAULT_RULE` (titles, NIP and pangkat).
NAME_RULES: dict[tuple[str | None, str], NameRule] = {
    # Ps. 44(3): the three office holders themselves print no NIP and no pangkat.
    (ROLE_KEPALA_DAERAH, ""): NameRule(academic_titles=True, nip_pangkat=False),
    (ROLE_WAKIL_KEPALA_DAERAH, ""): NameRule(academic_titles=True, nip_pangkat=False),
    (ROLE_SEKDA, ""): NameRule(academic_titles=True, nip_pangkat=False),
    # Ps. 44(4): penjabat, penjabat sementara, pelaksana tugas, pelaksana harian Kepala Daerah.
    (ROLE_KEPALA_DAERAH, "pj"): NameRule(academic_titles=False, nip_pangkat=False),
    (ROLE_KEPALA_DAERAH, "pjs"): NameRule(academic_titles=False, nip_pangkat=False),
    (ROLE_KEPALA_DAERAH, "plt"): NameRule(academic_titles=False, nip_pangkat=False),
    (ROLE_KEPALA_DAERAH, "plh"): NameRule(academic_titles=False, nip_pangkat=False),
    # Ps. 44(5): penjabat and pelaksana harian Sekda. (A Plt. Sekda is not listed: default rule.)
    (ROLE_SEKDA, "pj"): NameRule(academic_titles=False, nip_pangkat=False),
    (ROLE_SEKDA, "plh"): NameRule(academic_titles=False, nip_pangkat=False),
}


def name_rule(role_kind: str | None, acting: str = "") -> NameRule:
    """The :class:`NameRule` for a signer in the post ``role_kind``, acting as ``acting`` (or not)."""
    return NAME_RULES.get((role_kind, acting or ""), DEFAULT_RULE)


@dataclass
class Signer:
    """The official who signs, as the block shows them.

    ``title`` is the office title (``KEPALA BIRO UMUM DAN PROTOKOL``); ``role_kind`` says whether that
    office is the Kepala Daerah, the Wakil Kepala Daerah or the Sekda (``None``: any other official),
    which decides whether NIP and pangkat are printed.
    """

    name: str
    _: KW_ONLY
    title: str
    nip: str = ""
    pangkat: str = ""  # "Pembina Utama Muda"
    golongan: str = ""  # "IV/c"
    front_title: str = ""  # "Dr."
    back_title: str = ""  # "S.H., M.Si."
    role_kind: str | None = None


@dataclass
class Mandate:
    """How the signer signs when not simply in their own name.

    * ``an`` — *atas nama*: ``a.n. {principal_title}`` above the signer's title (one level below).
    * ``ub`` — *untuk beliau*: ``a.n. {principal_title}`` / ``{intermediate_title}`` / ``u.b.`` above the
      signer's title (two levels below; ``intermediate_title`` is the a.n. official's title).
    * ``plt`` / ``plh`` / ``pj`` / ``pjs`` — acting: ``Plt. {principal_title},`` where ``principal_title``
      is the post being filled (the signer's own title when empty). ``role_kind`` is that post's role,
      e.g. ``kepala_daerah`` for a Pj. Gubernur; when ``None`` it is read from ``principal_title``
      (:func:`infer_role_kind`), or taken from the signer when there is no ``principal_title``.
    * ``acting`` combines an acting prefix with ``an``/``ub`` on the signer's own line
      (``a.n. GUBERNUR BALI`` / ``Plh. SEKRETARIS DAERAH,``).
    """

    kind: MandateKind = ""
    principal_title: str = ""  # "GUBERNUR BALI" / "SEKRETARIS DAERAH"
    intermediate_title: str = ""  # for u.b.: the a.n. official's title
    acting: ActingKind = ""
    role_kind: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("", "an", "ub", *ACTING_PREFIXES):
            raise ValueError(f"unknown mandate kind {self.kind!r}")
        if self.acting and self.acting not in ACTING_PREFIXES:
            raise ValueError(f"unknown acting prefix {self.acting!r}")
        if self.kind in ("an", "ub") and not self.principal_title:
            raise ValueError("a.n./u.b. need the principal's title")
        if self.kind == "ub" and not self.intermediate_title:
            raise ValueError("u.b. needs the intermediate (a.n.) official's title")

    @property
    def acting_kind(self) -> str:
        """The acting prefix code of the signer's line (``""`` when not acting)."""
        return self.kind if self.kind in ACTING_PREFIXES else self.acting


class SignatureLines(list[str]):
    """The lines of a signature block; a ``list`` that also knows which line is the name.

    ``name_index`` lets :func:`signature_flowables` set the name in bold and underlined without
    guessing; a plain list of strings works too (the first line after the signature space).
    """

    name_index: int | None = None


def _clean_title(title: str) -> str:
    return " ".join(title.split()).rstrip(",").rstrip()


def _display_name(signer: Signer, titles: bool) -> str:
    name = " ".join(signer.name.split())
    if not titles:
        return name
    front, back = signer.front_title.strip(), signer.back_title.strip()
    if front:
        name = f"{front} {name}"
    if back:
        name = f"{name}, {back}"
    return name


def _pangkat_line(signer: Signer) -> str:
    pangkat, golongan = signer.pangkat.strip(), signer.golongan.strip()
    if pangkat and golongan:
        return f"{pangkat} ({golongan})"
    if pangkat:
        return pangkat
    if golongan:
        try:
            code = normalize_golongan(golongan)
        except ValueError:  # a PPPK golongan (I–XVII) has no pangkat
            return f"Golongan {golongan}"
        return f"{pangkat_for(code)} ({code})"
    return ""


def _role_of_post(signer: Signer, mandate: Mandate) -> str | None:
    """Role of the post whose title the signer's line shows (decides NIP and pangkat)."""
    if mandate.role_kind is not None:
        return mandate.role_kind
    if mandate.kind in ACTING_PREFIXES and mandate.principal_title:
        # "Pj. GUBERNUR BALI": the post being filled, not the signer's own position.
        return infer_role_kind(mandate.principal_title)
    return signer.role_kind


def signature_lines(
    signer: Signer,
    *,
    mandate: Mandate | None = None,
    place: str = "Denpasar",
    on: date | None = None,
    with_titles: bool = True,
    tte: bool = False,
) -> SignatureLines:
    """The lines of the signature block of ``signer`` (domain.md §8.4), top to bottom.

    ``on`` adds the place/date line (``Denpasar, 22 November 2026``) first. Empty strings are the
    signature space; with ``tte`` the single line :data:`TTE_MARK` stands in for it. ``with_titles=False``
    drops academic titles (*naskah pengaturan/penetapan*, Ps. 44(1)).
    """
    mandate = mandate or Mandate()
    acting = mandate.acting_kind
    lines = SignatureLines()
    if on is not None:
        lines.append(tanggal_surat(on, place))

    own_title = _clean_title(signer.title)
    if mandate.kind in ("an", "ub"):
        lines.append(f"a.n. {_clean_title(mandate.principal_title)}")
        if mandate.kind == "ub":
            lines.append(_clean_title(mandate.intermediate_title))
            lines.append("u.b.")
    elif acting and mandate.principal_title:
        own_title = _clean_title(mandate.principal_title)
    if acting:
        own_title = f"{ACTING_PREFIXES[acting]} {own_title}"
    lines.append(f"{own_title},")

    if tte:
        lines.append(TTE_MARK)
    else:
        lines.extend([""] * SIGNATURE_SPACE_LINES)

    rule = name_rule(_role_of_post(signer, mandate), acting)
    lines.name_index = len(lines)
    lines.append(_display_name(signer, with_titles and rule.academic_titles))
    if rule.nip_pangkat:
        pangkat = _pangkat_line(signer)
        if pangkat:
            lines.append(pangkat)
        if signer.nip and signer.nip.strip():
            lines.append(f"NIP. {nip_display(signer.nip.strip())}")
    return lines


# Titles as they appear in position names; the upper-cased title is compared with these.
_ROLE_TITLES: tuple[tuple[str, str], ...] = (
    ("WAKIL GUBERNUR", ROLE_WAKIL_KEPALA_DAERAH),
    ("WAKIL BUPATI", ROLE_WAKIL_KEPALA_DAERAH),
    ("WAKIL WALI KOTA", ROLE_WAKIL_KEPALA_DAERAH),
    ("WAKIL WALIKOTA", ROLE_WAKIL_KEPALA_DAERAH),
    ("GUBERNUR", ROLE_KEPALA_DAERAH),
    ("BUPATI", ROLE_KEPALA_DAERAH),
    ("WALI KOTA", ROLE_KEPALA_DAERAH),
    ("WALIKOTA", ROLE_KEPALA_DAERAH),
    ("SEKRETARIS DAERAH", ROLE_SEKDA),
)


def infer_role_kind(title: str) -> str | None:
    """``kepala_daerah`` / ``wakil_kepala_daerah`` / ``sekda`` when ``title`` *is* that office
    (``GUBERNUR BALI``, ``SEKRETARIS DAERAH PROVINSI BALI``), else ``None``.

    Only a title that starts with the office name counts: ``ASISTEN … SEKRETARIS DAERAH`` or
    ``KEPALA BIRO … SEKRETARIAT DAERAH`` are ordinary officials.
    """
    upper = " ".join(title.upper().split())
    for prefix, role in _ROLE_TITLES:
        if upper == prefix or upper.startswith(prefix + " "):
            return role
    return None


def signer_from_employee(employee, *, title: str | None = None, role_kind: str | None = None) -> Signer:
    """A :class:`Signer` from a ``staff.Employee``.

    The title defaults to the employee's position name, upper-cased; ``role_kind`` defaults to what
    :func:`infer_role_kind` reads from that title. PNS get pangkat and golongan ruang; PPPK their
    golongan (I–XVII), without pangkat.
    """
    if title is None:
        position = employee.position  # nullable: None without a query when unset
        title = position.name if position is not None else ""
    title = " ".join(title.split()).upper()
    pangkat = golongan = ""
    if employee.golongan:
        try:
            golongan = normalize_golongan(employee.golongan)
            pangkat = pangkat_for(golongan)
        except ValueError:
            golongan = employee.golongan
    elif getattr(employee, "pppk_golongan", ""):
        golongan = employee.pppk_golongan
    return Signer(
        employee.name,
        title=title,
        nip=employee.nip or "",
        pangkat=pangkat,
        golongan=golongan,
        front_title=employee.front_title or "",
        back_title=employee.back_title or "",
        role_kind=role_kind if role_kind is not None else infer_role_kind(title),
    )


# --- ReportLab -------------------------------------------------------------------------------------

FONT = "Helvetica"
FONT_BOLD = "Helvetica-Bold"
FONT_ITALIC = "Helvetica-Oblique"


def default_styles(font_size: float = 11) -> dict[str, ParagraphStyle]:
    """Paragraph styles of the block: ``line``, ``name`` and ``mark`` (the TTE mark)."""
    leading = font_size * 1.25
    line = ParagraphStyle(
        "signature_line", fontName=FONT, fontSize=font_size, leading=leading, alignment=TA_LEFT
    )
    return {
        "line": line,
        "name": ParagraphStyle("signature_name", parent=line, fontName=FONT_BOLD),
        "mark": ParagraphStyle("signature_mark", parent=line, fontName=FONT_ITALIC, fontSize=font_size - 1),
    }


def _name_index(lines: list[str]) -> int | None:
    index = getattr(lines, "name_index", None)
    if index is not None:
        return index
    # A plain list: the first line after the signature space or the TTE mark.
    seen_space = False
    for i, text in enumerate(lines):
        if not text.strip() or text == TTE_MARK:
            seen_space = True
        elif seen_space:
            return i
    return None


def signature_flowables(
    lines: list[str],
    *,
    width: float,
    align: Literal["left", "right"] = "right",
    styles: Mapping[str, ParagraphStyle] | None = None,
) -> list[Flowable]:
    """The block as ReportLab flowables for ``BasePDF._signature_block``.

    ``width`` is the frame width; the block takes the right half (``align="right"``, as official letters
    place it) or the left half, and is kept together on one page. The name is bold and underlined.
    """
    if align not in ("left", "right"):
        raise ValueError(f"align must be 'left' or 'right', not {align!r}")
    styles = {**default_styles(), **(styles or {})}
    name_at = _name_index(lines)
    cell: list[Flowable] = []
    for index, text in enumerate(lines):
        if index == name_at:
            cell.append(Paragraph(f"<u>{escape(text)}</u>", styles["name"]))
        elif text == TTE_MARK:
            cell.append(Paragraph(escape(text), styles["mark"]))
        elif not text.strip():
            cell.append(Spacer(1, styles["line"].leading))
        else:
            cell.append(Paragraph(escape(text), styles["line"]))
    half = width / 2
    row = ["", cell] if align == "right" else [cell, ""]
    table = Table([row], colWidths=[half, half], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return [KeepTogether([Spacer(1, styles["line"].leading), table])]
