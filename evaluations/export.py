"""The overview's tables as files, as a spreadsheet in the person's language reads them:
CSV through core/exports.py (every cell quoted, a byte-order mark so Excel reads æøå
right, semicolons and decimal commas in Norwegian) and Excel with real numbers. Text that
a spreadsheet would read as a formula gets an apostrophe (core.exports.safe_text), so
opening an export never runs anything someone typed into a unit's or an account's name."""

import io
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from core.exports import csv_text, download_name, safe_text, spreadsheet_style


def guard(value):
    """Text made safe as core.exports does for every export (a formula character at the
    start, or after a separator or line break inside the text, gets an apostrophe);
    numbers stay numbers, so a fall in followers is still -12."""
    return safe_text(value) if isinstance(value, str) else value


def _value(value):
    if isinstance(value, Decimal):
        return float(value)
    return value if isinstance(value, int | float) or value is None else str(value)


def table_filename(table, day: date, extension: str) -> str:
    """ "oversikt-styringsgraden-per-maned-2026-12-07.csv": the table's title in the person's language."""
    return download_name(_("Overview"), table.title, day=day, extension=extension)


def table_csv(table) -> str:
    return csv_text(
        [str(c) for c in table.columns], ([_value(v) for v in row] for row in table.rows), style=spreadsheet_style()
    )


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
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=guard(_value(value)))
            if isinstance(value, float):
                cell.number_format = "0.0"  # 50.0 shown as the page shows it, "50,0" in Norwegian Excel
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
