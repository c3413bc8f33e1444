"""Reading the organisation register's export: CSV (UTF-8, UTF-8 with BOM or Windows-1252;
comma, semicolon or tab) or XLSX (its first sheet), one row per unit, read by core/tabular.py
with the bounds of every upload (size, rows, cells, the zip guard, no DTD):

    unit id · name · parent id · kind · leader (e-mail or employee number) · members (optional)
    · organisation (optional: a file with several organisations names each unit's)

Column names may be Norwegian or English ("enhet_id", "overordnet", "nivå", "leiar" …), in any
order. The reader only reads and checks the file itself; what it means for the portal is
worked out in organisation/sync.py.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Unit
from core import tabular

MAX_BYTES = 20 * 1024 * 1024

COLUMNS = {
    "unit_id": {"unit_id", "id", "enhet_id", "enhetsid", "eining_id", "einingsid", "org_id", "orgenhet_id"},
    "name": {"name", "navn", "namn", "enhetsnavn", "einingsnamn", "unit_name"},
    "parent_id": {"parent_id", "parent", "overordnet_id", "overordnet", "overordna", "overordna_id", "forelder"},
    "kind": {"kind", "level", "type", "niva", "nivaa", "enhetstype", "einingstype"},
    "leader": {
        "leader",
        "leder",
        "leiar",
        "leader_email",
        "leder_epost",
        "leiar_epost",
        "leader_employee_id",
        "leder_ansattnr",
        "leiar_tilsettnr",
    },
    "members": {"members", "medlemmer", "medlemar", "ansatte", "tilsette"},
    # Optional: a file with several organisations names each unit's (its id in the register or
    # its address name in the portal); a unit that names none is in its parent's.
    "organisation": {
        "organisation",
        "organisation_id",
        "organisasjon",
        "organisasjon_id",
        "organisasjonsnummer",
        "foretak",
        "foretak_id",
        "foretaksnummer",
    },
}
REQUIRED = ("unit_id", "name", "parent_id", "kind")

KINDS = {
    "helseforetak": Unit.Kind.TRUST,
    "helseføretak": Unit.Kind.TRUST,
    "trust": Unit.Kind.TRUST,
    "health trust": Unit.Kind.TRUST,
    "hf": Unit.Kind.TRUST,
    "klinikk": Unit.Kind.CLINIC,
    "senter": Unit.Kind.CLINIC,
    "klinikk/senter": Unit.Kind.CLINIC,
    "divisjon": Unit.Kind.CLINIC,
    "clinic": Unit.Kind.CLINIC,
    "centre": Unit.Kind.CLINIC,
    "avdeling": Unit.Kind.DEPARTMENT,
    "department": Unit.Kind.DEPARTMENT,
    "seksjon": Unit.Kind.SECTION,
    "section": Unit.Kind.SECTION,
}


class FileError(Exception):
    """The file cannot be read at all (format, encoding, missing columns)."""


@dataclass
class Row:
    line: int
    unit_id: str
    name: str
    parent_id: str
    kind: str
    leader: str
    members: list[str] = field(default_factory=list)
    organisation: str = ""


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str


def _normalise_header(text: str) -> str:
    text = str(text or "").strip().lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-./]+", "_", text).strip("_")


# The bounds of core/tabular.py with this file's size; Windows-1252 is the register's
# Excel "CSV" on Windows.
LIMITS = tabular.Limits(max_bytes=MAX_BYTES)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _sheet_rows(content: bytes, is_xlsx: bool) -> list[tuple[int, list[str]]]:
    try:
        if is_xlsx:
            sheet = tabular.read_xlsx(content, LIMITS, first_sheet_only=True)[0]
        else:
            sheet = tabular.read_text_file(content, LIMITS)
    except tabular.TableProblem as problem:
        if problem.code == "damaged" and is_xlsx:
            raise FileError(_("The file is not an Excel workbook (.xlsx) that can be read.")) from None
        if problem.code == "bytes":
            raise FileError(_("The file is larger than 20 MB.")) from None
        raise FileError(problem.message) from None
    return [(number, [_text(v) for v in values]) for number, values in sheet.rows]


def split_people(cell: str) -> list[str]:
    return [p for p in re.split(r"[;,\s]+", cell.strip()) if p]


@dataclass
class Sheet:
    rows: list[Row]
    has_members: bool


def read_rows(content: bytes, filename: str) -> Sheet:
    """The file's rows, or FileError with a message for the person who uploaded it."""
    is_xlsx = filename.lower().endswith(".xlsx") or content[:2] == b"PK"
    numbered = [(number, r) for number, r in _sheet_rows(content, is_xlsx) if any(c.strip() for c in r)]
    if not numbered:
        raise FileError(_("The file is empty."))
    header = [_normalise_header(h) for h in numbered[0][1]]
    positions = {}
    for key, names in COLUMNS.items():
        for index, name in enumerate(header):
            if name in names and key not in positions:
                positions[key] = index
    missing = [key for key in REQUIRED if key not in positions]
    if missing:
        raise FileError(
            _("The first line must name the columns. Missing: %(columns)s.")
            % {"columns": ", ".join(str(COLUMN_LABELS[key]) for key in missing)}
        )

    def cell(values, key):
        index = positions.get(key)
        return str(values[index]).strip() if index is not None and index < len(values) else ""

    rows = [
        Row(
            line=number,
            unit_id=cell(values, "unit_id"),
            name=cell(values, "name"),
            parent_id=cell(values, "parent_id"),
            kind=cell(values, "kind"),
            leader=cell(values, "leader"),
            members=split_people(cell(values, "members")),
            organisation=cell(values, "organisation"),
        )
        for number, values in numbered[1:]
    ]
    return Sheet(rows=rows, has_members="members" in positions)


COLUMN_LABELS = {
    "unit_id": gettext_lazy("unit id"),
    "name": gettext_lazy("name"),
    "parent_id": gettext_lazy("parent id"),
    "kind": gettext_lazy("kind"),
    "leader": gettext_lazy("leader"),
    "members": gettext_lazy("members"),
    "organisation": gettext_lazy("organisation"),
}


def kind_of(text: str) -> str | None:
    return KINDS.get(text.strip().lower())
