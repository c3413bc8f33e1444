"""Every reader of uploaded tables has the same bounds (core/tabular.py): rows, cells, the
zip guard and no DTD, each refused with a message that names the limit; and an unsaved import
keeps only what it needs."""

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from core import held as holding
from core import tabular
from core.models import HeldUpload
from evaluations import importing, services
from evaluations.models import Evaluation, FigureImport
from organisation.reader import FileError, read_rows
from registry.models import Account

from . import hostile_files


@pytest.fixture(autouse=True)
def english(client, settings):
    """The messages are checked in English, the language they are written in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def draft(cast, make_plan, make_account):
    def make(url):
        account = make_account(url=url, status="active", plan=make_plan("approved"))
        evaluation = services.evaluation_start(account=account, actor=cast["member"])
        Evaluation.objects.filter(pk=evaluation.pk).update(
            period_start=date(2026, 11, 1), period_end=date(2026, 11, 30)
        )
        return evaluation

    return make


LINKEDIN = "https://www.linkedin.com/company/blodbanken-bergen"
TIKTOK = "https://www.tiktok.com/@blodbanken_bergen"


def send(client, evaluation, name, content):
    url = reverse("evaluations:import", args=[evaluation.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def refused(client, evaluation, name, content, *words):
    response = send(client, evaluation, name, content)
    page = response.content.decode()
    assert response.status_code == 400, (response.status_code, page[:500])
    for word in words:
        assert word in page, word
    assert not FigureImport.objects.exists()
    return page


# --------------------------------------------------------------------------- the evaluation's import


def test_rows_padded_to_the_last_column_stop_at_the_cell_limit(client, cast, draft):
    client.force_login(cast["member"])
    limit = f"{tabular.MAX_CELLS} cells"
    refused(client, draft(LINKEDIN), "brei.xlsx", hostile_files.wide_rows(2_000), limit)


def test_the_declared_dimension_is_not_read_as_cells(cast):
    sheets = tabular.read_xlsx(hostile_files.padded_metrics(1_000), tabular.Limits(max_bytes=10**7))
    assert [len(values) for _number, values in sheets[0].rows] == [1] * 1_000


def test_more_rows_than_the_limit_are_refused_with_the_limit(client, cast, draft):
    client.force_login(cast["member"])
    content = hostile_files.padded_metrics(importing.MAX_ROWS + 3)
    refused(client, draft(LINKEDIN), "lang.xlsx", content, f"more than {importing.MAX_ROWS} rows")


@pytest.mark.parametrize(
    "content", [hostile_files.billion_laughs(), hostile_files.external_entity()], ids=["laughs", "xxe"]
)
def test_an_excel_file_with_a_dtd_is_a_clear_form_error(client, cast, draft, content):
    client.force_login(cast["member"])
    refused(client, draft(LINKEDIN), "dtd.xlsx", content, "document type declaration (DTD)")


def test_a_dtd_in_another_encoding_is_found_too():
    utf16 = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n'.encode("utf-16")
    with pytest.raises(tabular.TableProblem) as problem:
        tabular.read_xlsx(_with_sheet(utf16), tabular.Limits(max_bytes=10**7))
    assert problem.value.code == "dtd"
    latin = b'<?xml version="1.0" encoding="cp037"?>'
    with pytest.raises(tabular.TableProblem) as problem:
        tabular.read_xlsx(_with_sheet(latin), tabular.Limits(max_bytes=10**7))
    assert problem.value.code == "dtd"


def _with_sheet(data: bytes) -> bytes:
    """The hostile workbook with its sheet replaced by `data`."""
    import zipfile

    source = zipfile.ZipFile(io.BytesIO(hostile_files.xlsx([], dimension="A1")))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, data if info.filename.endswith("sheet1.xml") else source.read(info))
    return out.getvalue()


def test_an_excel_zip_bomb_is_refused_with_the_limit(client, cast, draft):
    client.force_login(cast["member"])
    refused(client, draft(LINKEDIN), "bombe.xlsx", hostile_files.bomb(60), "more than 40 MB", "zip bomb")


# --------------------------------------------------------------------------- the register's import


def register_upload(client, content, name="kontoar.csv"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("registry:import"), {"file": file})


@pytest.mark.parametrize(
    "content,message",
    [
        (b"platform" + b"," * (tabular.MAX_CELLS + 1) + b"\n", f"more than {tabular.MAX_CELLS} cells"),
        (hostile_files.bomb(60), "Excel workbook"),  # refused before anything is unpacked
        (b"platform,url\n" + b"a,b\n" * 3 + b"\x00", "not a text file"),
    ],
    ids=["cells", "zip-bomb", "binary"],
)
def test_the_register_import_has_the_same_bounds(client, cast, content, message):
    client.force_login(cast["adviser"])
    response = register_upload(client, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Account.objects.exists()


# --------------------------------------------------------------------------- the organisation file


@pytest.mark.parametrize(
    "content,filename,message",
    [
        (hostile_files.bomb(60), "org.xlsx", "more than 40 MB"),
        (hostile_files.wide_rows(2_000), "org.xlsx", f"more than {tabular.MAX_CELLS} cells"),
        (hostile_files.billion_laughs(), "org.xlsx", "(DTD)"),
        (b"enhet_id;navn\n" + b"1;A\n" * (tabular.MAX_ROWS + 1), "org.csv", f"more than {tabular.MAX_ROWS} rows"),
        (b"enhet_id" + b";" * (tabular.MAX_CELLS + 1) + b"\n", "org.csv", f"more than {tabular.MAX_CELLS} cells"),
    ],
    ids=["zip-bomb", "padded", "dtd", "rows", "cells"],
)
def test_the_organisation_reader_has_the_same_bounds(content, filename, message):
    with pytest.raises(FileError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_rows(content, filename)


def test_the_organisation_reader_does_not_pad_to_the_declared_dimension():
    header = '<c r="A1" t="inlineStr"><is><t>enhet_id</t></is></c><c r="B1" t="inlineStr"><is><t>navn</t></is></c>'
    with pytest.raises(FileError, match="Missing: parent id, kind"):
        read_rows(hostile_files.xlsx([header]), "org.xlsx")


# --------------------------------------------------------------------------- unsaved imports


def test_an_unsaved_import_keeps_the_first_rows_and_holds_the_file_compressed_not_the_table(client, cast, draft):
    client.force_login(cast["member"])
    evaluation = draft(TIKTOK)
    lines = ["Dato;Visningar;Merknad"] + [f"{1 + n % 28:02d}.11.2026;{n};{'x' * 150}" for n in range(40_000)]
    content = "\n".join(lines).encode()
    assert len(content) > 6_000_000
    response = send(client, evaluation, "eigne.csv", content)
    assert response.status_code == 302
    kept = FigureImport.objects.get()
    assert kept.file_format == "unrecognised"
    assert len(kept.table["rows"]) == importing.KEPT_ROWS
    held = HeldUpload.objects.get(record_id=kept.pk, purpose=importing.HELD_PURPOSE)
    assert held.owner == cast["member"] and holding.content_of(held) == content
    stored = len(str(kept.table)) + len(str(kept.rows)) + len(held.content)
    assert stored < 500_000, stored
    # The columns chosen are read from the whole file.
    check = reverse("evaluations:import_check", args=[evaluation.pk, kept.pk])
    assert client.post(check, {"date": "Dato", "views": "Visningar", "day_first": "on"}).status_code == 302
    kept.refresh_from_db()
    assert kept.file_format == "generic" and kept.day_rows == 28
    assert sum(day["views"] for day in kept.rows["days"]) == sum(range(40_000))


def test_one_person_holds_at_most_a_few_unsaved_imports(client, cast, draft):
    client.force_login(cast["member"])
    first, second = draft(TIKTOK), draft("https://www.tiktok.com/@blodbanken_haukeland")
    for number in range(importing.MAX_UNSAVED + 2):
        evaluation = first if number % 2 else second
        response = send(client, evaluation, f"fil{number}.csv", f"A;B\n{number};2\n".encode())
        assert response.status_code == 302
    kept = FigureImport.objects.filter(uploaded_by=cast["member"], status=FigureImport.Status.PENDING)
    assert sorted(kept.values_list("filename", flat=True)) == [
        f"fil{n}.csv" for n in range(2, importing.MAX_UNSAVED + 2)
    ]
