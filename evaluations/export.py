"""The overview's tables as files, as a spreadsheet in the person's language reads them,
written by core/exports.py, the portal's one writer of CSV and Excel: CSV with every cell
quoted, a byte-order mark so Excel reads æøå right, semicolons and decimal commas in
Norwegian; Excel with real numbers. Text that a spreadsheet would read as a formula gets an
apostrophe (core.exports.safe_text), so opening an export never runs anything someone typed
into a unit's or an account's name."""

from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from core.exports import csv_text, download_name, spreadsheet_style, xlsx_bytes


def _value(value):
    if isinstance(value, Decimal):
        return float(value)
    return value if isinstance(value, int | float) or value is None else str(value)


def table_filename(table, day: date, extension: str) -> str:
    """ "oversikt-styringsgraden-per-maned-2026-12-07.csv": the table's title in the person's language."""
    return download_name(_("Overview"), table.title, day=day, extension=extension)


def _rows(table):
    return ([_value(v) for v in row] for row in table.rows)


def table_csv(table) -> str:
    return csv_text([str(c) for c in table.columns], _rows(table), style=spreadsheet_style())


def table_xlsx(table) -> bytes:
    # "0.0": 50.0 shown as the page shows it, "50,0" in Norwegian Excel.
    return xlsx_bytes(table.title, [str(c) for c in table.columns], _rows(table), float_format="0.0")
