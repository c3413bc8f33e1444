"""Export of the register as CSV and Excel, and import of existing accounts from CSV."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from core import held as holding
from core.models import AuditEntry, HeldUpload
from platforms.profiles import NotAProfile, read_profile
from registry import transfer_import
from registry.models import Account, AccountStatus

EXPORT_KEYS = [
    "code",
    "platform",
    "handle",
    "url",
    "display_name",
    "purpose",
    "languages",
    "unit",
    "unit_id",
    "plan",
    "plan_status",
    "editor_email",
    "deputy_emails",
    "login_email",
    "functional_mailbox",
    "response_hours",
    "response_time",
    "status",
    "needs_new_editor",
    "live_since",
    "closed_on",
    "created_at",
    "public_page",
]
# The export's headings in the person's language (English here, see `english` below).
EXPORT_HEADER = [
    "Short address",
    "Platform",
    "Handle",
    "Address",
    "Display name",
    "What the account is for",
    "Languages",
    "Unit",
    "Unit number",
    "Plan number",
    "Plan status",
    "Editor's e-mail",
    "Deputies' e-mail",
    "Login e-mail",
    "Checked functional mailbox",
    "When it answers",
    "How fast it answers",
    "Status",
    "Needs a new editor",
    "Live since",
    "Closed on",
    "Registered",
    "Public page",
]
IMPORT_HEADER = (
    "platform,url,display_name,purpose,unit,editor_email,deputy_emails,login_email,functional_mailbox,"
    "response_hours,response_time,languages,live_since"
)


@pytest.fixture(autouse=True)
def english(client, settings):
    """The messages are asserted in English, the language they are written in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def make_account(cast, platform, address, **fields) -> Account:
    profile = read_profile(address, platform=platform)
    deputies = fields.pop("deputies", [cast["deputy"]])
    values = {
        "platform": profile.platform,
        "handle": profile.handle,
        "handle_key": profile.key,
        "url": profile.url,
        "display_name": "Blodbanken i Bergen",
        "purpose": "Rekruttere blodgivarar",
        "languages": ["nb", "nn"],
        "unit": cast["unit"],
        "editor": cast["member"],
        "login_email": "blodbanken.some@helse-bergen.no",
        "functional_mailbox": True,  # name-shaped, and checked by an adviser
        "response_hours": "Kvardagar 08–15",
        "response_time": "Innan ein arbeidsdag",
        "status": AccountStatus.ACTIVE,
        "live_since": date(2020, 3, 1),
        **fields,
    }
    account = Account.objects.create(**values)
    account.deputies.set(deputies)
    return account


def many_accounts(cast, catalogue, count, start=0):
    for n in range(start, start + count):
        make_account(
            cast,
            catalogue["instagram"],
            f"https://www.instagram.com/konto{n}/",
            display_name=f"Konto {n}",
            deputies=[cast["deputy"], cast["leader"]],
        )


def export(client, **params):
    response = client.get(reverse("registry:export"), params)
    assert response.status_code == 200
    if response.streaming:
        return response, b"".join(response.streaming_content)
    return response, response.content


def csv_rows(content: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def upload(client, text: str | bytes, name="kontoar.csv", **extra):
    content = text.encode("utf-8") if isinstance(text, str) else text
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("registry:import"), {"file": file, **extra})


def row(**changes) -> str:
    values = {
        "platform": "instagram",
        "url": "https://www.instagram.com/blodbanken/",
        "display_name": "Blodbanken i Bergen",
        "purpose": "Rekruttere blodgivarar",
        "unit": "Blodbanken i Bergen",
        "editor_email": "silje@example.no",
        "deputy_emails": "jonas@example.no",
        "login_email": "blodbanken.some@helse-bergen.no",
        "functional_mailbox": "yes",  # an adviser has checked the mailbox
        "response_hours": "Kvardagar 08–15",
        "response_time": "Innan ein arbeidsdag",
        "languages": "nb,nn",
        "live_since": "2019-03-01",
        **changes,
    }
    out = io.StringIO()
    csv.writer(out).writerow([values[name] for name in IMPORT_HEADER.split(",")])
    return out.getvalue()


def good_file() -> str:
    return (
        IMPORT_HEADER
        + "\n"
        + row()
        + row(
            platform="Facebook",
            url="facebook.com/hjarteavdelinga",
            display_name="Hjarteavdelinga",
            unit="hjarteavdelinga",
            editor_email="Lene@Example.no",
            deputy_emails="arne@example.no",
            login_email="hjarte.some@helse-bergen.no",
            languages="",
            live_since="",
        )
    )


def errors_by_line(response) -> dict[int, list[tuple[str, str]]]:
    return {r.line: r.errors for r in response.context["check"].rows}


# --------------------------------------------------------------------------- export


def test_csv_export_has_every_column_in_order(client, cast, catalogue, make_plan):
    plan = make_plan("approved")
    account = make_account(
        cast,
        catalogue["instagram"],
        "https://www.instagram.com/blodbanken/",
        display_name="Blodbanken på Haukeland – æøå",
        plan=plan,
        deputies=[cast["leader"], cast["deputy"]],
        needs_new_editor=True,
    )
    client.force_login(cast["adviser"])
    response, content = export(client, format="csv")

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="account-register-{today}.csv"'
    assert content.startswith(b"\xef\xbb\xbf")
    header, line = csv_rows(content)
    assert header == EXPORT_HEADER
    values = dict(zip(EXPORT_KEYS, line, strict=True))
    created = timezone.localtime(account.created_at).strftime("%Y-%m-%d %H:%M")
    assert values == {
        "code": account.code,
        "platform": "Instagram",
        "handle": account.handle,
        "url": account.url,
        "display_name": "Blodbanken på Haukeland – æøå",
        "purpose": "Rekruttere blodgivarar",
        "languages": "nb,nn",
        "unit": "Blodbanken i Bergen",
        "unit_id": str(cast["unit"].pk),
        "plan": str(plan.pk),
        "plan_status": "Approved",
        "editor_email": "silje@example.no",
        "deputy_emails": "hakon@example.no;jonas@example.no",
        "login_email": "blodbanken.some@helse-bergen.no",
        "functional_mailbox": "Yes",
        "response_hours": "Kvardagar 08–15",
        "response_time": "Innan ein arbeidsdag",
        "status": "Active",
        "needs_new_editor": "Yes",
        "live_since": "2020-03-01",
        "closed_on": "",
        "created_at": created,
        "public_page": settings.SITE_URL + reverse("registry:public_account", args=[account.code]),
    }


def test_csv_export_of_an_account_without_a_plan(client, cast, catalogue):
    make_account(cast, catalogue["instagram"], "https://www.instagram.com/blodbanken/", status="setup", live_since=None)
    client.force_login(cast["adviser"])
    _response, content = export(client, format="csv")
    values = dict(zip(EXPORT_KEYS, csv_rows(content)[1], strict=True))
    assert (values["plan"], values["plan_status"], values["live_since"], values["status"]) == (
        "",
        "",
        "",
        "Being set up",
    )


def test_xlsx_export_reads_back(client, cast, catalogue):
    account = make_account(
        cast,
        catalogue["instagram"],
        "https://www.instagram.com/blodbanken/",
        display_name="Blodbanken – æøå",
        status=AccountStatus.CLOSED,
        closed_on=date(2024, 5, 17),
    )
    client.force_login(cast["adviser"])
    response, content = export(client, format="xlsx")

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="account-register-{today}.xlsx"'
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.freeze_panes == "A2"
    header, line = list(sheet.iter_rows())
    assert [c.value for c in header] == EXPORT_HEADER
    assert all(c.font.bold for c in header)
    values = {key: c for key, c in zip(EXPORT_KEYS, line, strict=True)}
    assert values["display_name"].value == "Blodbanken – æøå"
    assert values["unit_id"].value == cast["unit"].pk
    assert values["deputy_emails"].value == "jonas@example.no"
    assert values["status"].value == "Closed"
    assert values["needs_new_editor"].value is False
    assert values["live_since"].is_date and values["live_since"].value.date() == date(2020, 3, 1)
    assert values["closed_on"].is_date and values["closed_on"].value.date() == date(2024, 5, 17)
    assert values["created_at"].is_date
    assert values["created_at"].value == timezone.localtime(account.created_at).replace(microsecond=0, tzinfo=None)
    assert values["plan"].value is None
    assert values["public_page"].value.endswith(f"/k/{account.code}/")


def test_a_norwegian_export_is_written_as_norwegian_excel_reads_it(client, cast, catalogue, make_plan):
    """Headings, statuses, yes/no and the file's name in Norwegian, the cells separated by
    semicolons: what Norwegian Excel splits a file on when it opens it."""
    make_account(
        cast,
        catalogue["instagram"],
        "https://www.instagram.com/blodbanken/",
        status=AccountStatus.PAUSED,
        needs_new_editor=True,
        plan=make_plan("approved"),
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.force_login(cast["adviser"])
    response, content = export(client, format="csv")

    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'attachment; filename="kontoregister-{today}.csv"'
    header, line = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert (header[0], header[1], header[14], header[17], header[18]) == (
        "Kortadresse",
        "Plattform",
        "Kontrollert funksjonspostkasse",
        "Status",
        "Trenger ny redaktør",
    )
    values = dict(zip(EXPORT_KEYS, line, strict=True))
    assert (values["platform"], values["status"], values["plan_status"], values["needs_new_editor"]) == (
        "Instagram",
        "Pause",
        "Godkjent",
        "Ja",
    )
    assert values["functional_mailbox"] == "Ja"  # checked by an adviser, and taken back by the import

    _response, content = export(client, format="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet["A1"].value == "Kortadresse" and sheet["S2"].value is True  # Excel shows its own word for true


def test_a_file_cut_down_from_an_export_can_be_imported(client, cast, catalogue):
    """The import takes the export's headings, in any language, for its own columns."""
    make_account(cast, catalogue["instagram"], "https://www.instagram.com/gammal/", display_name="Gammal")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    client.force_login(cast["adviser"])
    _response, content = export(client, format="csv")
    header, line = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    keep = [i for i, key in enumerate(EXPORT_KEYS) if key in IMPORT_HEADER.split(",")]
    values = dict(zip(EXPORT_KEYS, line, strict=True))
    values.update(url="https://www.instagram.com/ny_konto/", display_name="Ny konto", platform="Instagram")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([header[i] for i in keep])
    writer.writerow([values[EXPORT_KEYS[i]] for i in keep])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = upload(client, out.getvalue())
    assert response.status_code == 200
    assert response.context["check"].is_valid, [r.errors for r in response.context["check"].rows]


def test_unknown_format_is_refused(client, cast):
    client.force_login(cast["adviser"])
    assert client.get(reverse("registry:export"), {"format": "pdf"}).status_code == 400


@pytest.fixture
def assorted(cast, catalogue, make_plan):
    """Accounts that differ in each filtered property."""
    approved = make_plan("approved")
    ig = catalogue["instagram"]
    return {
        "active": make_account(cast, ig, "https://www.instagram.com/aktiv/", display_name="Aktiv", plan=approved),
        "paused": make_account(
            cast, ig, "https://www.instagram.com/pause/", display_name="Pausa", status="paused", plan=approved
        ),
        "facebook": make_account(
            cast, catalogue["facebook"], "https://www.facebook.com/fjesboka", display_name="Fjesboka", plan=approved
        ),
        "other_unit": make_account(
            cast,
            ig,
            "https://www.instagram.com/hjarte/",
            display_name="Hjarte",
            unit=cast["other_unit"],
            editor=cast["other"],
            deputies=[cast["other_leader"]],
        ),
        "needs_editor": make_account(
            cast,
            ig,
            "https://www.instagram.com/utan/",
            display_name="Utan redaktør",
            needs_new_editor=True,
            plan=approved,
        ),
    }


@pytest.mark.parametrize(
    "params,expected",
    [
        ({}, ["active", "paused", "facebook", "other_unit", "needs_editor"]),
        ({"status": "paused"}, ["paused"]),
        ({"platform": "facebook"}, ["facebook"]),
        ({"unit": "other_unit"}, ["other_unit"]),
        ({"needs_new_editor": "1"}, ["needs_editor"]),
        ({"plan_missing": "1"}, ["other_unit"]),
        ({"q": "fjes"}, ["facebook"]),
        ({"status": "active", "platform": "instagram"}, ["active", "other_unit", "needs_editor"]),
    ],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_applies_the_register_filters(client, cast, assorted, params, expected, kind):
    if params.get("unit") == "other_unit":
        params = {**params, "unit": cast["other_unit"].pk}
    client.force_login(cast["adviser"])
    _response, content = export(client, format=kind, **params)
    if kind == "csv":
        codes = [line[0] for line in csv_rows(content)[1:]]
    else:
        codes = [r[0] for r in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)]
    assert sorted(codes) == sorted(assorted[name].code for name in expected)


def test_cells_that_look_like_formulas_are_made_harmless(client, cast, catalogue):
    make_account(
        cast,
        catalogue["instagram"],
        "https://www.instagram.com/blodbanken/",
        display_name='=HYPERLINK("http://evil.example","klikk")',
        purpose="+47 55 97 50 00",
        response_hours="-kvardagar",
        response_time="@alle",
    )
    make_account(
        cast,
        catalogue["instagram"],
        "https://www.instagram.com/tabulator/",
        display_name="\tTabulator",
        purpose="\rReturn",
    )
    client.force_login(cast["adviser"])

    _response, content = export(client, format="csv")
    rows = [dict(zip(EXPORT_KEYS, line, strict=True)) for line in csv_rows(content)[1:]]
    cells = {r["display_name"]: r for r in rows}
    first = cells['\'=HYPERLINK("http://evil.example","klikk")']
    assert (first["purpose"], first["response_hours"], first["response_time"]) == (
        "'+47 55 97 50 00",
        "'-kvardagar",
        "'@alle",
    )
    assert cells["'\tTabulator"]["purpose"] == "'\rReturn"

    _response, content = export(client, format="xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    texts = [c for r in sheet.iter_rows(min_row=2) for c in r if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in texts)
    names = {r[4] for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert names == {'\'=HYPERLINK("http://evil.example","klikk")', "'\tTabulator"}


SEPARATED = [
    "Blodbanken;=1+1;x",
    "Kvardagar,@SUM(A1:A9)",
    'Namn;"=HYPERLINK(""http://evil.example"")"',
    "To linjer\n=1+1",
    "Tab;\t=2",
    "Minus; -3 ;-4",
]


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_no_cell_reads_as_a_formula_whichever_delimiter_the_spreadsheet_splits_on(delimiter, client, cast, catalogue):
    for n, text in enumerate(SEPARATED):
        make_account(
            cast,
            catalogue["instagram"],
            f"https://www.instagram.com/delt{n}/",
            display_name=text,
            purpose=text,
            response_hours=text,
        )
    client.force_login(cast["adviser"])
    _response, content = export(client, format="csv")
    text = content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) for cell in row]
    assert cells
    assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert text.startswith('"Short address","Platform"')  # every cell quoted
    if delimiter == ",":  # read as written, each cell holds the whole text
        names = {row[4] for row in csv_rows(content)[1:]}
        assert "Blodbanken;'=1+1;x" in names and "Kvardagar,'@SUM(A1:A9)" in names


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_export_query_count_does_not_grow_with_accounts(client, cast, catalogue, kind):
    client.force_login(cast["adviser"])
    many_accounts(cast, catalogue, 3)

    def count():
        with CaptureQueriesContext(connection) as queries:
            _response, content = export(client, format=kind)
        return len(queries), content

    count()  # warm caches (content types, sessions)
    few, content = count()
    assert content
    many_accounts(cast, catalogue, 27, start=3)
    many, content = count()
    assert many == few
    if kind == "csv":
        assert len(csv_rows(content)) == 31


# --------------------------------------------------------------------------- import: reading the file


def test_example_file_has_the_import_columns(client, cast):
    client.force_login(cast["adviser"])
    response = client.get(reverse("registry:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, example = csv_rows(response.content)
    assert header == IMPORT_HEADER.split(",")
    assert len(example) == len(header)
    table = transfer_import.read_table(response.content.decode("utf-8-sig"))
    assert table.rows[0][1]["url"] == "https://www.instagram.com/blodbanken/"


def test_upload_page_explains_the_columns(client, cast):
    client.force_login(cast["adviser"])
    response = client.get(reverse("registry:import"))
    assert response.status_code == 200
    body = response.content.decode()
    for name in IMPORT_HEADER.split(","):
        assert f"<code>{name}</code>" in body
    assert reverse("registry:import_template") in body
    assert 'enctype="multipart/form-data"' in body


def test_dry_run_of_a_good_file_shows_what_will_be_created_and_writes_nothing(client, cast, catalogue):
    client.force_login(cast["adviser"])
    response = upload(client, good_file())

    assert response.status_code == 200
    check = response.context["check"]
    assert check.is_valid
    first, second = check.rows
    assert (first.line, first.platform.slug, first.profile.url, first.details.unit) == (
        2,
        "instagram",
        read_profile("https://www.instagram.com/blodbanken/", platform=catalogue["instagram"]).url,
        cast["unit"],
    )
    assert (second.line, second.platform.slug, second.details.unit, second.details.editor) == (
        3,
        "facebook",
        cast["other_unit"],
        cast["other"],
    )
    body = response.content.decode()
    assert "Import 2 accounts" in body or 'value="import"' in body
    assert first.profile.url in body
    assert not Account.objects.exists()
    assert not AuditEntry.objects.filter(action="account.registered").exists()


def test_semicolons_and_a_byte_order_mark_are_understood(client, cast):
    text = good_file()
    rows = csv_rows(text.encode())
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    client.force_login(cast["adviser"])
    response = upload(client, b"\xef\xbb\xbf" + out.getvalue().encode())
    assert response.status_code == 200
    assert response.context["check"].is_valid
    assert len(response.context["check"].rows) == 2


def test_unit_may_be_given_by_number_and_platform_by_name(client, cast):
    client.force_login(cast["adviser"])
    response = upload(client, IMPORT_HEADER + "\n" + row(platform="INSTAGRAM", unit=str(cast["unit"].pk)))
    [only] = response.context["check"].rows
    assert only.is_valid and only.details.unit == cast["unit"]


def test_unit_names_match_whatever_the_case_of_æøå(client, cast):
    from accounts.models import Unit

    eye = Unit.objects.create(name="Augeavdelinga på Haukeland", kind=Unit.Kind.DEPARTMENT, parent=cast["trust"])
    client.force_login(cast["adviser"])
    text = IMPORT_HEADER + "\n" + row(unit="AUGEAVDELINGA PÅ HAUKELAND", live_since="01.03.2019", url="@blodbanken")
    [only] = upload(client, text).context["check"].rows
    assert only.errors == []
    assert only.details.unit == eye
    assert only.live_since == date(2019, 3, 1)
    assert only.profile.url == "https://www.instagram.com/blodbanken/"


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(IMPORT_HEADER.split(","))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "content,message",
    [
        (bytes(range(256)) * 8, "not a text file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not a text file"),
        ("xlsx", "Excel workbook"),
        (b"", "The file is empty"),
        (b"  \r\n", "The file is empty"),
        (IMPORT_HEADER.encode() + b"\n\x81\x8d\n", "character encoding the portal cannot read"),
        (IMPORT_HEADER.encode() + b"\n", "no accounts"),
        (b"a" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    ],
    ids=["random", "png", "xlsx", "empty", "blank", "neither-encoding", "header-only", "too-big"],
)
def test_a_file_that_is_not_a_csv_gets_a_clear_error(client, cast, content, message):
    client.force_login(cast["adviser"])
    if content == "xlsx":
        content = xlsx_bytes()
    response = upload(client, content, name="kontoar.xlsx" if message == "Excel workbook" else "kontoar.csv")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "check" not in response.context
    assert not Account.objects.exists()


def test_too_many_rows_is_a_file_error(client, cast):
    client.force_login(cast["adviser"])
    text = IMPORT_HEADER + "\n" + row() * (transfer_import.MAX_ROWS + 1)
    response = upload(client, text)
    assert response.status_code == 400
    assert "more than 5000 accounts" in response.content.decode()


def test_wrong_columns_are_named(client, cast):
    client.force_login(cast["adviser"])
    header = IMPORT_HEADER.replace("unit,", "").replace("editor_email", "redaktor") + ",farge"
    response = upload(client, header + "\nx,y\n")
    assert response.status_code == 400
    form_errors = response.context["form"].errors["file"]
    assert "The file lacks these columns: unit, editor_email." in form_errors
    assert (
        "The file has columns the import does not know: redaktor, farge. Use the columns of the example file."
        in form_errors
    )
    body = response.content.decode()
    assert "unit, editor_email" in body and "redaktor, farge" in body


def test_column_names_are_read_loosely(client, cast):
    client.force_login(cast["adviser"])
    header = IMPORT_HEADER.replace("display_name", " Display Name ").replace("editor_email", "EDITOR-EMAIL")
    response = upload(client, header + "\n" + row())
    assert response.status_code == 200
    assert response.context["check"].is_valid


# --------------------------------------------------------------------------- import: checking the rows


def test_mixed_file_explains_each_bad_line_and_imports_nothing(client, cast, catalogue):
    cast["other"].is_active = False
    cast["other"].save()
    not_a_profile = "https://www.instagram.com/p/CxYz123abc/"
    with pytest.raises(NotAProfile) as raised:
        read_profile(not_a_profile, platform=catalogue["instagram"])
    text = (
        IMPORT_HEADER
        + "\n"
        + row()  # 2: good
        + row(platform="myspace", url="https://myspace.com/blodbanken")  # 3
        + row(url=not_a_profile)  # 4
        + row(url="https://www.instagram.com/ukjend_eining/", unit="Finst ikkje")  # 5
        + row(url="https://www.instagram.com/ukjend_redaktor/", editor_email="ingen@example.no")  # 6
        + row(url="https://www.instagram.com/same/", deputy_emails="silje@example.no")  # 7: editor = deputy
        + row(url="https://www.instagram.com/personleg/", login_email="hakon@example.no")  # 8
        + row(url="https://www.instagram.com/utan_namn/", display_name="", response_time="")  # 9
        + row(url="https://www.instagram.com/dato/", live_since="1. mars")  # 10
        + row(url="https://www.instagram.com/slutta/", deputy_emails="lene@example.no")  # 11: has left
        + row(url="https://www.instagram.com/sprak/", languages="nb,fr")  # 12
        + row(url="https://www.instagram.com/framtid/", live_since="2999-01-01")  # 13
        + row(
            url="https://www.instagram.com/ukjend_nestleiar/", deputy_emails="jonas@example.no;borte@example.no"
        )  # 14
        + row(url="https://www.instagram.com/for_langt/", display_name="x" * 121)  # 15
        + "instagram,https://www.instagram.com/ekstra/,Namn,Formål,Blodbanken i Bergen,silje@example.no,"
        "jonas@example.no,blodbanken.some@helse-bergen.no,,Alltid,Fort,nb,,ein verdi for mykje\n"  # 16
    )
    client.force_login(cast["adviser"])
    response = upload(client, text)

    assert response.status_code == 200
    errors = errors_by_line(response)
    assert errors[2] == []
    assert errors[3][0][0] == "platform" and "Unknown platform “myspace”" in errors[3][0][1]
    assert errors[4] == [("url", str(raised.value.message))]
    assert errors[5] == [
        ("unit", "No unit is called “Finst ikkje”. Use the unit's name as it is in the portal, or its number.")
    ]
    assert errors[6] == [("editor_email", "No one in the portal has the e-mail address “ingen@example.no”.")]
    assert errors[7] == [("deputy_emails", "The editor and the deputy must be two different people.")]
    assert errors[8][0][0] == "login_email" and "a person's address" in errors[8][0][1]
    assert errors[9] == [("display_name", "This value is missing."), ("response_time", "This value is missing.")]
    assert errors[10] == [("live_since", "“1. mars” is not a date. Write it as YYYY-MM-DD.")]
    assert errors[11] == [("deputy_emails", "Choose people who still work here. (lene@example.no)")]
    assert errors[12][0][0] == "languages" and "nb, nn, se, en, other" in errors[12][0][1]
    assert errors[13] == [("live_since", "The date is in the future.")]
    assert errors[14] == [("deputy_emails", "No one in the portal has the e-mail address “borte@example.no”.")]
    assert errors[15][0][0] == "display_name" and "at most 120 characters" in errors[15][0][1]
    assert errors[16][0][0] == "" and "more values than the header" in errors[16][0][1]

    body = response.content.decode()
    assert "14 lines have problems" in body
    assert 'value="import"' not in body
    assert 'href="#line-3"' in body and 'id="line-3"' in body

    # The file is held for the adviser, as uploaded, for a second check; importing it anyway writes nothing.
    payload = response.context["payload"]
    held = HeldUpload.objects.get(pk=payload)
    assert (held.owner, held.filename, holding.content_of(held)) == (cast["adviser"], "kontoar.csv", text.encode())
    response = client.post(reverse("registry:import"), {"payload": payload, "action": "import"})
    assert response.status_code == 400
    assert "Nothing was imported" in response.content.decode()
    assert not Account.objects.exists()


def test_units_with_the_same_name_must_be_given_by_number(client, cast):
    from accounts.models import Unit

    twin = Unit.objects.create(name="Blodbanken i Bergen", kind=Unit.Kind.SECTION, parent=cast["trust"])
    client.force_login(cast["adviser"])
    response = upload(client, IMPORT_HEADER + "\n" + row())
    [(column, message)] = errors_by_line(response)[2]
    assert column == "unit"
    assert f"{cast['unit'].pk}, {twin.pk}" in message


def test_a_profile_twice_in_the_file_or_already_registered_is_refused(client, cast, catalogue):
    existing = make_account(
        cast, catalogue["instagram"], "https://www.instagram.com/blodbanken/", display_name="Blodbanken (gamal)"
    )
    text = (
        IMPORT_HEADER
        + "\n"
        + row(url="instagram.com/Blodbanken")  # 2: already in the register
        + row(url="https://www.instagram.com/tvilling/")  # 3
        + row(url="https://instagram.com/tvilling")  # 4: the same as line 3
        + row(url="https://www.instagram.com/eigen/")  # 5: fine
    )
    client.force_login(cast["adviser"])
    response = upload(client, text)
    errors = errors_by_line(response)

    [(column, message)] = errors[2]
    assert column == "url" and existing.display_name in message
    assert errors[3] == [("url", "The same profile is also on line 4 of the file.")]
    assert errors[4] == [("url", "The same profile is also on line 3 of the file.")]
    assert errors[5] == []
    assert Account.objects.count() == 1


# --------------------------------------------------------------------------- import: writing


def test_a_good_file_is_imported_with_plan_missing_and_audited(client, cast):
    client.force_login(cast["adviser"])
    payload = upload(client, good_file()).context["payload"]

    response = client.post(reverse("registry:import"), {"payload": payload, "action": "import"}, follow=True)

    assert response.redirect_chain[-1] == (reverse("registry:register"), 302)
    assert "2 accounts were imported into the register." in [str(m) for m in response.context["messages"]]
    blodbanken = Account.objects.get(handle_key__icontains="blodbanken")
    assert blodbanken.status == AccountStatus.ACTIVE
    assert blodbanken.live_since == date(2019, 3, 1)
    assert blodbanken.plan is None
    assert blodbanken.unit == cast["unit"]
    assert blodbanken.editor == cast["member"]
    assert list(blodbanken.deputies.all()) == [cast["deputy"]]
    assert blodbanken.languages == ["nb", "nn"]
    assert blodbanken.login_email == "blodbanken.some@helse-bergen.no"
    hjarte = Account.objects.get(display_name="Hjarteavdelinga")
    assert (hjarte.status, hjarte.live_since, hjarte.plan, hjarte.unit) == (
        AccountStatus.SETUP,
        None,
        None,
        cast["other_unit"],
    )
    assert set(Account.objects.plan_missing()) == {blodbanken, hjarte}
    entries = AuditEntry.objects.filter(action="account.registered")
    assert sorted(e.target_id for e in entries) == sorted([blodbanken.pk, hjarte.pk])
    assert all(e.actor == cast["adviser"] for e in entries)


def test_importing_the_same_file_twice_is_refused(client, cast):
    client.force_login(cast["adviser"])
    payload = upload(client, good_file()).context["payload"]
    assert client.post(reverse("registry:import"), {"payload": payload, "action": "import"}).status_code == 302

    response = client.post(reverse("registry:import"), {"payload": payload, "action": "import"})
    assert response.status_code == 400
    assert all(column == "url" for r in response.context["check"].rows for column, _m in r.errors)
    assert Account.objects.count() == 2


def test_a_failure_while_saving_rolls_back_the_whole_file(client, cast, monkeypatch):
    real = transfer_import.account_register
    calls = []

    def second_one_fails(**kwargs):
        calls.append(kwargs)
        if len(calls) == 2:
            from registry.services import AlreadyRegistered

            raise AlreadyRegistered(Account.objects.get())
        return real(**kwargs)

    client.force_login(cast["adviser"])
    payload = upload(client, good_file()).context["payload"]
    monkeypatch.setattr(transfer_import, "account_register", second_one_fails)

    response = client.post(reverse("registry:import"), {"payload": payload, "action": "import"})

    assert response.status_code == 400
    assert len(calls) == 2
    assert not Account.objects.exists()
    assert not AuditEntry.objects.filter(action="account.registered").exists()
    errors = errors_by_line(response)
    assert errors[2] == [] and errors[3][0][0] == "url"
    assert response.context["payload"]  # the file is still there to try again


def test_no_file_at_all(client, cast):
    client.force_login(cast["adviser"])
    response = client.post(reverse("registry:import"), {})
    assert response.status_code == 400
    assert "Choose a file to upload." in response.content.decode()


def test_a_forged_held_id_is_not_found(client, cast):
    client.force_login(cast["adviser"])
    payload = upload(client, good_file()).context["payload"]
    for bad in [payload + 1000, "not-a-number", f"{payload} OR 1=1", ""]:
        response = client.post(reverse("registry:import"), {"payload": bad, "action": "import"})
        assert response.status_code == 404
    assert not Account.objects.exists()


def test_a_file_held_for_another_adviser_is_not_found(client, cast):
    from tests.conftest import make_user

    colleague = make_user("kristian@example.no", "Kristian Eide", is_adviser=True)
    client.force_login(colleague)
    payload = upload(client, good_file()).context["payload"]
    client.force_login(cast["adviser"])
    response = client.post(reverse("registry:import"), {"payload": payload, "action": "import"})
    assert response.status_code == 404
    assert not Account.objects.exists()


def test_a_held_file_too_old_says_so(client, cast):
    client.force_login(cast["adviser"])
    payload = upload(client, good_file()).context["payload"]
    HeldUpload.objects.filter(pk=payload).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(reverse("registry:import"), {"payload": payload, "action": "import"})
    assert response.status_code == 400
    assert "The checked file is too old to import. Upload it again." in response.content.decode()
    assert not Account.objects.exists()


def test_a_file_over_the_limit_is_not_read_past_it(client, cast):
    """A file that says it is larger is answered without its body being read; one that
    carries more than it says is cut off at the limit. Nothing is held either way."""
    client.force_login(cast["adviser"])
    too_big = b"a" * (transfer_import.MAX_BYTES + 1000)  # said, and cut off while read
    response = upload(client, too_big)
    assert response.status_code == 400
    assert "The file is larger than 2 MB. Split it into smaller files." in response.content.decode()
    response = client.post(
        reverse("registry:import"),
        {"file": io.BytesIO(b"x")},
        CONTENT_LENGTH=str(transfer_import.MAX_BYTES * 2),
    )
    assert response.status_code == 400
    assert "The file is larger than 2 MB" in response.content.decode()
    assert not HeldUpload.objects.exists()


def test_checking_the_same_file_again_after_fixing_the_portal(client, cast):
    from tests.conftest import make_user

    text = IMPORT_HEADER + "\n" + row(editor_email="ny@example.no")
    client.force_login(cast["adviser"])
    response = upload(client, text)
    assert not response.context["check"].is_valid
    make_user("ny@example.no", "Ny Redaktør")

    response = client.post(reverse("registry:import"), {"payload": response.context["payload"], "action": "check"})

    assert response.status_code == 200
    assert response.context["check"].is_valid
    assert not Account.objects.exists()


# --------------------------------------------------------------------------- in the browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_import_pages_in_the_browser(browser, live_server, cast, catalogue, tmp_path):
    from .browser import assert_accessible, log_in
    from .conftest import PASSWORD

    base = live_server.url
    page = browser.new_context().new_page()
    log_in(page, base, cast["adviser"].email, PASSWORD)
    page.goto(f"{base}{reverse('registry:import')}")
    assert_accessible(page)

    bad = tmp_path / "feil.csv"
    bad.write_text(IMPORT_HEADER + "\n" + row() + row(url="https://www.instagram.com/ny/", unit="Finst ikkje"))
    page.set_input_files("#id_file", str(bad))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert_accessible(page)

    wrong = tmp_path / "feil.xlsx"
    wrong.write_bytes(xlsx_bytes())
    page.set_input_files("#id_file", str(wrong))
    page.click("section form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#id_file-error").is_visible()
    assert_accessible(page)

    good = tmp_path / "kontoar.csv"
    good.write_text(good_file())
    page.set_input_files("#id_file", str(good))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert_accessible(page)
    page.click("button[value=import]")
    page.wait_for_load_state()
    assert page.url.endswith(reverse("registry:register"))
    assert Account.objects.count() == 2
