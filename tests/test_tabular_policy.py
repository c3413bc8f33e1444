"""One policy for every uploaded table (core/tabular.py), checked on each of the three imports
that read one: the organisation file, the register's import and the evaluation's key figures.
Each gets the same seven files: UTF-8 with a byte-order mark, Windows-1252 with Norwegian
letters, semicolons between the cells, a cell too large, a zip bomb, an Excel file with a DTD,
and an empty file."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core import tabular
from evaluations import services
from evaluations.models import Evaluation, FigureImport
from organisation.reader import FileError, read_rows
from registry.models import Account

from . import hostile_files
from .test_registry_transfer import IMPORT_HEADER, row

NORWEGIAN = "Blåbærsyltetøy på Øyrane – Ærleg"
TOO_LARGE_CELL = "x" * (tabular.MAX_CELL_CHARS + 1)
CELL_MESSAGE = f"more than {tabular.MAX_CELL_CHARS} characters"


@pytest.fixture(autouse=True)
def english(client, settings):
    """The messages are checked in English, the language they are written in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def test_the_policy_is_stated_once():
    assert tabular.ENCODINGS == ("utf-8-sig", "cp1252")
    limits = tabular.Limits(max_bytes=10**6)
    text = f"a;b\n1;{NORWEGIAN}\n"
    for content in (text.encode("utf-8"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("cp1252")):
        assert tabular.decode_text(content, limits) == text
    # Bytes that are neither UTF-8 nor Windows-1252 (0x81 is not a letter in either): refused, never replaced.
    with pytest.raises(tabular.TableProblem) as problem:
        tabular.decode_text(b"a;b\n1;2\n\x81\x8d\n", limits)
    assert problem.value.code == "encoding" and problem.value.line == 3


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_the_separator_is_the_one_the_first_line_holds(separator):
    text = f"a{separator}b{separator}c\n1{separator}2,5{separator}3\n"
    sheet = tabular.read_csv(text, tabular.Limits(max_bytes=10**6))
    expected = ["1", "2", "5", "3"] if separator == "," else ["1", "2,5", "3"]
    assert sheet.rows[1][1] == expected


# --------------------------------------------------------------------------- the organisation file


def organisation_csv(separator=",", name=NORWEGIAN) -> str:
    lines = [
        ["enhet_id", "navn", "overordnet", "nivå", "leiar"],
        ["1", "Helse Bergen HF", "", "helseføretak", ""],
        ["2", name, "1", "avdeling", ""],
    ]
    return "\n".join(separator.join(line) for line in lines) + "\n"


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf" + organisation_csv().encode("utf-8"),
        organisation_csv().encode("cp1252"),
        organisation_csv(";").encode("utf-8"),
        organisation_csv("\t").encode("cp1252"),
    ],
    ids=["bom", "cp1252", "semicolon", "tab-cp1252"],
)
def test_the_organisation_file_is_read_in_each_encoding_and_separator(content):
    sheet = read_rows(content, "org.csv")
    assert [(r.unit_id, r.name, r.kind) for r in sheet.rows] == [
        ("1", "Helse Bergen HF", "helseføretak"),
        ("2", NORWEGIAN, "avdeling"),
    ]


@pytest.mark.parametrize(
    "content,filename,message",
    [
        (organisation_csv(name=TOO_LARGE_CELL).encode(), "org.csv", CELL_MESSAGE),
        (hostile_files.bomb(60), "org.xlsx", "more than 40 MB"),
        (hostile_files.external_entity(), "org.xlsx", "document type declaration (DTD)"),
        (b"", "org.csv", "The file is empty."),
        (b"enhet_id;navn\n\x81\x8d\n", "org.csv", "character encoding the portal cannot read"),
    ],
    ids=["large-cell", "zip-bomb", "dtd", "empty", "neither-encoding"],
)
def test_the_organisation_file_is_refused_with_a_clear_message(content, filename, message):
    with pytest.raises(FileError) as error:
        read_rows(content, filename)
    assert message in str(error.value)


# --------------------------------------------------------------------------- the register's import


def register_csv(separator=",") -> str:
    line = row(display_name=NORWEGIAN)
    if separator != ",":
        line = line.replace(",", separator).replace(f"nb{separator}nn", "nb nn")
    return IMPORT_HEADER.replace(",", separator) + "\n" + line


def register_upload(client, content: bytes, name="kontoar.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("registry:import"), {"file": file})


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf" + register_csv().encode("utf-8"),
        register_csv().encode("cp1252"),
        register_csv(";").encode("utf-8"),
    ],
    ids=["bom", "cp1252", "semicolon"],
)
def test_the_register_import_reads_each_encoding_and_separator(client, cast, content):
    client.force_login(cast["adviser"])
    response = register_upload(client, content)
    assert response.status_code == 200, response.content.decode()[:2000]
    [only] = response.context["check"].rows
    assert only.errors == []
    assert only.values["display_name"] == NORWEGIAN
    assert not Account.objects.exists()  # a check writes nothing


@pytest.mark.parametrize(
    "content,name,message",
    [
        (register_csv().replace("Rekruttere blodgivarar", TOO_LARGE_CELL).encode(), "kontoar.csv", CELL_MESSAGE),
        # An Excel file is not opened at all, so neither a bomb nor a DTD is unpacked or parsed.
        (hostile_files.bomb(60), "kontoar.xlsx", "This is an Excel workbook, not a CSV file."),
        (hostile_files.billion_laughs(), "kontoar.xlsx", "This is an Excel workbook, not a CSV file."),
        (b"", "kontoar.csv", "The file is empty."),
        (IMPORT_HEADER.encode() + b"\n\x81\x8d\n", "kontoar.csv", "character encoding the portal cannot read"),
    ],
    ids=["large-cell", "zip-bomb", "dtd", "empty", "neither-encoding"],
)
def test_the_register_import_refuses_with_a_clear_message(client, cast, content, name, message):
    client.force_login(cast["adviser"])
    response = register_upload(client, content, name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "check" not in response.context
    assert not Account.objects.exists()


# --------------------------------------------------------------------------- the evaluation's key figures


@pytest.fixture
def tiktok_draft(cast, make_plan, make_account):
    account = make_account(url="https://www.tiktok.com/@blodbanken_bergen", status="active", plan=make_plan("approved"))
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    Evaluation.objects.filter(pk=evaluation.pk).update(period_start=date(2026, 11, 1), period_end=date(2026, 11, 30))
    return evaluation


def figures_csv(separator=";", note=NORWEGIAN) -> str:
    return separator.join(["Dato", "Visningar", "Målgruppe"]) + "\n" + separator.join(["01.11.2026", "12", note]) + "\n"


def figures_upload(client, evaluation, name, content):
    url = reverse("evaluations:import", args=[evaluation.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize(
    "content",
    [
        b"\xef\xbb\xbf" + figures_csv(",").encode("utf-8"),
        figures_csv(",").encode("cp1252"),
        figures_csv(";").encode("utf-8"),
    ],
    ids=["bom", "cp1252", "semicolon"],
)
def test_the_figures_import_reads_each_encoding_and_separator(client, cast, tiktok_draft, content):
    client.force_login(cast["member"])
    response = figures_upload(client, tiktok_draft, "eigne.csv", content)
    assert response.status_code == 302
    kept = FigureImport.objects.get()
    assert kept.table["header"] == ["Dato", "Visningar", "Målgruppe"]
    assert kept.table["rows"][0][1] == ["01.11.2026", "12", NORWEGIAN]


@pytest.mark.parametrize(
    "content,name,message",
    [
        (figures_csv(note=TOO_LARGE_CELL).encode(), "eigne.csv", CELL_MESSAGE),
        (hostile_files.bomb(60), "bombe.xlsx", "zip bomb"),
        (hostile_files.external_entity(), "dtd.xlsx", "document type declaration (DTD)"),
        (b"", "tom.csv", "The file is empty."),
        (b"Dato;Visningar\n\x81\x8d\n", "eigne.csv", "character encoding the portal cannot read"),
    ],
    ids=["large-cell", "zip-bomb", "dtd", "empty", "neither-encoding"],
)
def test_the_figures_import_refuses_with_a_clear_message(client, cast, tiktok_draft, content, name, message):
    client.force_login(cast["member"])
    response = figures_upload(client, tiktok_draft, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FigureImport.objects.exists()
