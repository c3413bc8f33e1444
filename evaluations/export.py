"""The overview's tables as files: CSV (every cell quoted, with a byte-order mark so
Excel reads æøå right) and Excel. Text that a spreadsheet would read as a formula gets
an apostrophe (core.exports.safe_text), so opening an export never runs anything someone
typed into a unit's or an account's name."""

import csv
import io

from core.exports import safe_text


def guard(value):
    """Text made safe as core.exports does for every export (a formula character at the
    start, or after a separator or line break inside the text, gets an apostrophe);
    numbers stay numbers, so a fall in followers is still -12."""
    return safe_text(value) if isinstance(value, str) else value


def _cell_text(value) -> str:
    if value is None:
        return ""
    return str(guard(str(value)) if not isinstance(value, int | float) else value)


def table_csv(table) -> str:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow([_cell_text(str(c)) for c in table.columns])
    for row in table.rows:
        writer.writerow([_cell_text(v if isinstance(v, int | float) or v is None else str(v)) for v in row])
    return "\ufeff" + out.getvalue()


def table_xlsx(table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(table.title)[:31].replace(":", " "))
    bold = Font(bold=True)
    header = []
    for name in table.columns:
        cell = WriteOnlyCell(sheet, value=guard(str(name)))
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table.rows:
        sheet.append([v if isinstance(v, int | float) or v is None else guard(str(v)) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
