"""One formula guard for every export (core/exports.py): the CSV writer and the Excel writer
neutralise a cell that a spreadsheet would run (=, +, -, @, a tab or a carriage return where
a cell can start) the same way, and every export of the portal is written by them."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Unit
from core.exports import FORMULA_STARTS, csv_text, safe_text, xlsx_bytes

HOSTILE = [
    '=HYPERLINK("http://evil.example","klikk")',
    "+47 55 97 50 00",
    "-kvardagar",
    "@SUM(A1:A9)",
    "\tTabulator",
    "\rReturn",
    "Blodbanken;=1+1;x",
    "To linjer\n=1+1",
]


def _cells_in_every_reading(text: str) -> list[str]:
    return [cell for d in (",", ";") for row in csv.reader(io.StringIO(text, newline=""), delimiter=d) for cell in row]


def _workbook_values(content: bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def test_the_two_writers_guard_text_the_same_way():
    rows = [[text, -12, 2.5] for text in HOSTILE]
    written_csv = csv_text(["Namn", "Endring", "Del"], rows)
    workbook = _workbook_values(xlsx_bytes("Ark", ["Namn", "Endring", "Del"], rows))
    texts_in_workbook = [values[0] for values in workbook[1:]]
    assert texts_in_workbook == [safe_text(text) for text in HOSTILE]
    text_cells = [cell for cell in _cells_in_every_reading(written_csv) if cell != "-12"]
    assert [cell for cell in text_cells if cell.startswith(FORMULA_STARTS)] == []
    assert [text for text in texts_in_workbook if text.startswith(FORMULA_STARTS)] == []
    # Numbers stay numbers: a fall in followers is still -12, in the workbook and in the file.
    assert [values[1] for values in workbook[1:]] == [-12] * len(HOSTILE)
    assert '"-12"' in written_csv


def test_the_excel_writer_keeps_dates_and_numbers_as_a_spreadsheet_reads_them():
    when = datetime(2026, 12, 7, 10, 4)
    content = xlsx_bytes(
        "Kontoar: alle",
        ["Dag", "Tid", "Tal", "Desimal"],
        [[date(2026, 12, 7), when, Decimal("66.7"), 0.5]],
        freeze_header=True,
        float_format="0.0",
    )
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.title == "Kontoar  alle"  # a sheet's title has no colon
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].number_format == "yyyy-mm-dd" and sheet["B2"].value == when
    assert sheet["C2"].value == 66.7 and sheet["D2"].number_format == "0.0"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_overview_export_is_guarded(client, cast, make_account, kind):
    unit = Unit.objects.create(name=HOSTILE[0], kind=Unit.Kind.DEPARTMENT, parent=cast["trust"])
    make_account(url="https://www.instagram.com/formel/", status="active", unit=unit)
    client.force_login(cast["adviser"])
    response = client.get(reverse("evaluations:overview_export"), {"table": "accounts_unit", "format": kind})
    assert response.status_code == 200
    if kind == "csv":
        text = response.content.decode("utf-8-sig")
        cells = _cells_in_every_reading(text)
    else:
        cells = [v for values in _workbook_values(response.content) for v in values if isinstance(v, str)]
    assert safe_text(HOSTILE[0]) in cells
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_register_export_is_guarded(client, cast, make_account, kind):
    make_account(url="https://www.instagram.com/formel/", status="active", display_name="Blodbanken;=1+1;x")
    client.force_login(cast["adviser"])
    response = client.get(reverse("registry:export"), {"format": kind})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if kind == "csv":
        cells = _cells_in_every_reading(content.decode("utf-8-sig"))
    else:
        cells = [v for values in _workbook_values(content) for v in values if isinstance(v, str)]
    assert "Blodbanken;'=1+1;x" in cells
    assert [cell for cell in cells if cell.startswith(FORMULA_STARTS)] == []
