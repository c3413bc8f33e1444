"""Reading the organisation register's export: CSV (UTF-8, UTF-8 with BOM or Windows-1252;
comma, semicolon or tab) or XLSX, one row per unit:

    unit id · name · parent id · kind · leader (e-mail or employee number) · members (optional)

Column names may be Norwegian or English ("enhet_id", "overordnet", "nivå", "leiar" …), in any
order. The reader only reads and checks the file itself; what it means for the portal is
worked out in organisation/sync.py.
"""

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Unit

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


@dataclass(frozen=True)
class LineProblem:
    line: int
    message: str


def _normalise_header(text: str) -> str:
    text = str(text or "").strip().lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[\s\-./]+", "_", text).strip("_")


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        # The register's Excel exports on Windows: Windows-1252, a superset of Latin-1 for æøå.
        return content.decode("cp1252", errors="replace")


def _csv_rows(content: bytes) -> list[list[str]]:
    text = _decode(content)
    first = text.split("\n", 1)[0]
    delimiter = max([";", ",", "\t"], key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _xlsx_rows(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise FileError(_("The file is not an Excel workbook (.xlsx) that can be read.")) from error
    sheet = book.worksheets[0]
    rows = []
    for values in sheet.iter_rows(values_only=True):
        rows.append(
            ["" if v is None else (str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)) for v in values]
        )
    book.close()
    return rows


def split_people(cell: str) -> list[str]:
    return [p for p in re.split(r"[;,\s]+", cell.strip()) if p]


@dataclass
class Sheet:
    rows: list[Row]
    has_members: bool


def read_rows(content: bytes, filename: str) -> Sheet:
    """The file's rows, or FileError with a message for the person who uploaded it."""
    if len(content) > MAX_BYTES:
        raise FileError(_("The file is larger than 20 MB."))
    if not content.strip():
        raise FileError(_("The file is empty."))
    is_xlsx = filename.lower().endswith(".xlsx") or content[:2] == b"PK"
    raw = _xlsx_rows(content) if is_xlsx else _csv_rows(content)
    numbered = [(number, r) for number, r in enumerate(raw, start=1) if any(str(c).strip() for c in r)]
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
}


def kind_of(text: str) -> str | None:
    return KINDS.get(text.strip().lower())
