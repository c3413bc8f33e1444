"""Lists as CSV files that people open in a spreadsheet, safely.

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
"""

import csv
import re
from collections.abc import Iterable
from datetime import date, datetime

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Where a cell can start under some reading: the start of the text, or after a separator
# or a line break, and after any quotes there (a reader takes a quote there as the start
# of a quoted cell and drops it).
_CELL_START = re.compile(r'(?:^|(?<=[,;\r\n]))("*)(?=[=+\-@\t\r])')
BOM = "\ufeff"  # so that Excel reads the file as UTF-8 (æ, ø and å)


def safe_text(text: str) -> str:
    """The text with an apostrophe before every formula character that could start a cell."""
    return _CELL_START.sub(r"\1'", text)


def csv_cell(value) -> str:
    """A value as the text of one cell: empty for None, true/false, ISO dates, and safe text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return safe_text(str(value))


class _Echo:
    """A file that hands back what is written to it, for streaming csv.writer rows."""

    def write(self, value):
        return value


def csv_lines(header: list[str], rows: Iterable[list]) -> Iterable[str]:
    """The CSV file piece by piece (for a StreamingHttpResponse): a byte order mark, the
    header, then one line per row, every cell quoted and safe."""
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)
    yield BOM + writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        yield writer.writerow([csv_cell(v) for v in row])


def csv_text(header: list[str], rows: Iterable[list], *, bom: bool = True) -> str:
    text = "".join(csv_lines(header, rows))
    return text if bom else text.removeprefix(BOM)
