"""Lists as files that people open in a spreadsheet, safely: CSV (``csv_lines``, ``csv_text``)
and Excel (``xlsx_bytes``), the only two writers of the portal's exports.

A spreadsheet runs a cell that starts with =, +, -, @, a tab or a carriage return as a
formula. Which characters start a cell depends on how the spreadsheet splits the file:
Norwegian Excel splits on semicolons, so a display name `Blodbanken;=1+1;x` in a
comma-separated file becomes three cells, the middle one a formula, unless the file
says otherwise. So every export of the portal is written through here:

- every cell is quoted (a reader that honours quotes keeps each cell whole);
- a formula character at the start of the text, or right after a comma, a semicolon or a
  line break inside it (where a reader that splits differently starts a new cell), gets
  an apostrophe in front, which a spreadsheet shows as text.

Read back with either delimiter, no cell starts with a formula character
(tests/test_security.py checks every CSV the portal serves).

A workbook's cells get the same guard (``safe_text``), not only at the start of the text: a
workbook saved again as CSV by the person who downloaded it is split by separators again.
Numbers stay numbers (a fall in followers is still -12); only text is guarded.

A list that people read (the overview's tables, the register) is written as a
spreadsheet in the person's language reads it (``spreadsheet_style``): where the language
writes decimals with a comma, as Norwegian does, numbers get a decimal comma and the cells
are separated by semicolons, as Norwegian Excel expects when it opens a file; in English,
a decimal point and commas. Headings, statuses and yes/no are in the person's language,
and the file's name too (``download_name``).
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.utils import translation
from django.utils.formats import get_format
from django.utils.text import slugify
from django.utils.translation import gettext as _

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a cell can start under some reading: the start of the text, or after a separator
# or a line break, and after any quotes there (a reader takes a quote there as the start
# of a quoted cell and drops it).
_CELL_START = re.compile(r'(?:^|(?<=[,;\r\n]))("*)(?=[=+\-@\t\r])')
BOM = "\ufeff"  # so that Excel reads the file as UTF-8 (æ, ø and å)


def safe_text(text: str) -> str:
    """The text with an apostrophe before every formula character that could start a cell."""
    return _CELL_START.sub(r"\1'", text)


@dataclass(frozen=True)
class Style:
    """How a spreadsheet splits a file into cells and writes a decimal."""

    delimiter: str = ","
    decimal: str = "."
    words: bool = False  # yes/no rather than true/false


MACHINE = Style()  # files other programs read back: commas, a decimal point, true/false


def spreadsheet_style() -> Style:
    """The style a spreadsheet in the active language reads: semicolons between the cells
    where the decimal mark is the comma."""
    decimal = get_format("DECIMAL_SEPARATOR")
    return Style(delimiter=";" if decimal == "," else ",", decimal=decimal, words=True)


def csv_cell(value, style: Style = MACHINE) -> str:
    """A value as the text of one cell: empty for None, true/false (or yes/no), ISO dates
    (a date and time as "2026-12-07 10:04", which a spreadsheet reads as one), numbers with
    the style's decimal mark, and safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        if style.words:
            return _("Yes") if value else _("No")
        return "true" if value else "false"
    if isinstance(value, datetime):
        # "2026-12-07 10:04", the form every spreadsheet reads as a date and time
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes") if style.words else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float | Decimal):
        return str(value).replace(".", style.decimal)
    if isinstance(value, int):
        return str(value)
    return safe_text(str(value))


class _Echo:
    """A file that hands back what is written to it, for streaming csv.writer rows."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list], *, style: Style = MACHINE) -> Iterable[str]:
    """The CSV file piece by piece (for a StreamingHttpResponse): a byte order mark, the
    header, then one line per row, every cell quoted and safe. A streamed file is written
    after the view has returned, so its words (statuses, yes/no) are put in the language
    of the request that asked for it, taken here."""
    language = translation.get_language()
    writer = csv.writer(_Echo(), delimiter=style.delimiter, quoting=csv.QUOTE_ALL)

    def lines():
        with translation.override(language):
            first = BOM + writer.writerow([csv_cell(str(h), style) for h in header])
        yield first
        for row in rows:
            with translation.override(language):
                line = writer.writerow([csv_cell(v, style) for v in row])
            yield line

    return lines()


def csv_text(header: list[str], rows: Iterable[list], *, bom: bool = True, style: Style = MACHINE) -> str:
    text = "".join(csv_lines(header, rows, style=style))
    return text if bom else text.removeprefix(BOM)


# Letters a file name keeps in their nearest plain form, where dropping the accent is not enough.
_LETTERS = str.maketrans({"æ": "ae", "Æ": "Ae", "ø": "o", "Ø": "O", "å": "a", "Å": "A", "ß": "ss"})


def download_name(*words: str, day: date, extension: str) -> str:
    """A file name people recognise, in plain letters every system keeps:
    ("Oversikt", "Styringsgraden per måned") → "oversikt-styringsgraden-per-maned-2026-12-07.csv"."""
    text = unicodedata.normalize("NFKD", " ".join(str(w) for w in words).translate(_LETTERS))
    stem = slugify(text.encode("ascii", "ignore").decode())[:80].strip("-") or "export"
    return f"{stem}-{day.isoformat()}.{extension}"


# --------------------------------------------------------------------------- Excel


def guard(value):
    """A value as a workbook holds it safely: text through `safe_text`, a date and time
    without its time zone (Excel has none; the portal's are Norwegian time), a Decimal as
    a number; other values as they are."""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, Decimal):
        return float(value)
    return value


def xlsx_bytes(
    title: str, header: list[str], rows: Iterable[list], *, freeze_header: bool = False, float_format: str = ""
) -> bytes:
    """A workbook of one sheet: the header in bold, then one row per row, written a row at a
    time (openpyxl's write-only mode) and guarded as every export is. Dates read as dates
    ("2026-12-07", "2026-12-07 10:04"); `float_format` shows decimals as the page does."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    # A sheet's title has at most 31 characters, and no colon.
    sheet = workbook.create_sheet(title=str(title)[:31].replace(":", " "))
    if freeze_header:
        sheet.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value):
        value = guard(value)
        written = WriteOnlyCell(sheet, value=value)
        if isinstance(value, datetime):
            written.number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, date):
            written.number_format = "yyyy-mm-dd"
        elif isinstance(value, float) and float_format:
            written.number_format = float_format
        return written

    headings = []
    for name in header:
        heading = cell(str(name))
        heading.font = bold
        headings.append(heading)
    sheet.append(headings)
    for row in rows:
        sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
