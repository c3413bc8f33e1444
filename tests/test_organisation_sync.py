"""The organisation from its register: reading the file (CSV in every encoding the register
writes, XLSX), the dry run, the apply, running the same file twice, bad files, people leaving
and the scheduled sync from a drop directory with its report to the administrators."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from accounts.models import Membership, Unit, User
from core.errors import DomainError
from core.models import AuditEntry, OutboundEmail
from organisation import services
from organisation.models import SyncRun
from organisation.reader import read_rows
from organisation.sync import sync_plan

from .conftest import make_user

HEADER = ["enhet_id", "navn", "overordnet_id", "nivå", "leder", "medlemmer"]


def csv_bytes(rows, *, header=HEADER, encoding="utf-8", delimiter=";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, *, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def tree(leader="hakon@example.no", members="silje@example.no;jonas@example.no"):
    return [
        ("100", "Helse Bergen HF", "", "helseføretak", "", ""),
        ("200", "Laboratorieklinikken", "100", "klinikk", "", ""),
        ("300", "Avdeling for immunologi og transfusjonsmedisin", "200", "avdeling", "", ""),
        ("310", "Blodbanken i Bergen", "300", "seksjon", leader, members),
        ("400", "Hjarteavdelinga", "100", "avdeling", "arne@example.no", "lene@example.no"),
    ]


def plan_of(content, filename="org.csv"):
    sheet = read_rows(content, filename)
    return sync_plan(sheet.rows, has_members=sheet.has_members)


def apply(content, filename="org.csv", actor=None):
    run = services.sync_preview(content=content, filename=filename, actor=actor)
    assert run.status == SyncRun.Status.PREVIEW, run.summary.get("problems")
    return services.sync_apply(run=run, actor=actor)


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")  # the messages below are checked in English


@pytest.fixture
def people(db):
    return {
        key: make_user(f"{key}@example.no", name)
        for key, name in [
            ("silje", "Silje Dale"),
            ("jonas", "Jonas Berg"),
            ("hakon", "Håkon Vik"),
            ("lene", "Lene Aarskog"),
            ("arne", "Arne Grov"),
            ("gunn", "Gunn Risa"),
        ]
    }


def test_the_dry_run_shows_what_would_change_and_changes_nothing(people):
    content = csv_bytes(tree())
    with CaptureQueriesContext(connection) as queries:
        plan = plan_of(content)
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert plan.valid and plan.has_changes
    summary = plan.summary()
    assert summary["counts"]["created"] == 5
    assert summary["counts"]["members_added"] == 3
    assert not Unit.objects.exists()

    run = services.sync_preview(content=content, filename="org.csv", actor=people["gunn"])
    assert run.status == SyncRun.Status.PREVIEW and run.summary["counts"]["created"] == 5
    assert not Unit.objects.exists() and not Membership.objects.exists()


def test_apply_creates_the_tree_with_leaders_and_members(people):
    run = apply(csv_bytes(tree()))
    assert run.status == SyncRun.Status.APPLIED and run.applied_at
    blood = Unit.objects.get(register_id="310")
    assert blood.name == "Blodbanken i Bergen" and blood.kind == Unit.Kind.SECTION
    assert blood.parent.register_id == "300" and blood.parent.parent.parent.register_id == "100"
    assert blood.leader == people["hakon"]
    assert set(blood.memberships.values_list("user__email", flat=True)) == {"silje@example.no", "jonas@example.no"}
    assert User.objects.filter(in_register=True).count() == 5
    assert AuditEntry.objects.filter(action="unit.created_from_register").count() == 5
    assert AuditEntry.objects.filter(action="organisation.sync_applied").count() == 1


def test_the_same_file_twice_changes_nothing_and_writes_nothing(people):
    content = csv_bytes(tree())
    apply(content)
    before = (Unit.objects.count(), Membership.objects.count(), AuditEntry.objects.count())
    plan = plan_of(content)
    assert plan.valid and not plan.has_changes
    with CaptureQueriesContext(connection) as queries:
        services.plan_apply(plan=plan)
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert (Unit.objects.count(), Membership.objects.count(), AuditEntry.objects.count()) == before


def test_rename_move_new_leader_close_and_reopen(people, make_account_for_unit):
    apply(csv_bytes(tree()))
    heart = Unit.objects.get(register_id="400")
    account = make_account_for_unit(heart)
    changed = [
        ("100", "Helse Bergen HF", "", "helseføretak", "", ""),
        ("200", "Laboratorieklinikken", "100", "klinikk", "", ""),
        ("300", "Avdeling for immunologi og transfusjonsmedisin", "100", "avdeling", "", ""),  # moved
        ("310", "Blodbanken", "300", "seksjon", "gunn@example.no", "silje@example.no;jonas@example.no"),
    ]  # 400 is gone
    plan = plan_of(csv_bytes(changed))
    summary = plan.summary()
    assert summary["renamed"] == [{"id": "310", "from": "Blodbanken i Bergen", "to": "Blodbanken"}]
    assert summary["moved"][0]["name"] == "Avdeling for immunologi og transfusjonsmedisin"
    assert summary["moved"][0]["to"] == "Helse Bergen HF"
    assert summary["new_leader"][0]["to"] == "Gunn Risa" and summary["new_leader"][0]["from"] == "Håkon Vik"
    assert [c["name"] for c in summary["closed"]] == ["Hjarteavdelinga"]

    run = services.sync_preview(content=csv_bytes(changed), filename="org.csv")
    apply_run = services.sync_apply(run=run)
    assert apply_run.status == SyncRun.Status.APPLIED
    heart.refresh_from_db()
    assert not heart.is_active and heart.closed_at  # closed, not deleted
    assert Unit.objects.filter(register_id="400").exists()
    account.refresh_from_db()
    assert account.unit == heart  # still owned, listed for handover
    owned = services.closed_units_to_hand_over(user=make_user("marit@example.no", "Marit Rådgjevar", is_adviser=True))
    assert [(e["unit"], e["accounts"]) for e in owned] == [(heart, [account])]
    blood = Unit.objects.get(register_id="310")
    assert blood.name == "Blodbanken" and blood.leader == people["gunn"]
    assert Unit.objects.get(register_id="300").parent.register_id == "100"

    # Back in the file: opened again.
    run = apply(csv_bytes(tree()))
    heart.refresh_from_db()
    assert heart.is_active and heart.closed_at is None
    assert run.summary["counts"]["reopened"] == 1


def test_a_person_who_leaves_the_register_is_deactivated_and_their_accounts_handed_over(
    people, make_account_for_unit, smtp
):
    apply(csv_bytes(tree()))
    blood = Unit.objects.get(register_id="310")
    account = make_account_for_unit(blood, editor=people["silje"], deputy=people["jonas"])
    # Silje is in no unit any more.
    run = apply(csv_bytes(tree(members="jonas@example.no")))
    assert run.summary["counts"]["people_left"] == 1 and run.summary["people_left"] == ["Silje Dale"]
    silje = User.objects.get(pk=people["silje"].pk)
    assert not silje.is_active and silje.inactive_reason == User.InactiveReason.LEFT_REGISTER
    account.refresh_from_db()
    assert account.needs_new_editor
    assert OutboundEmail.objects.filter(template="account_needs_editor").exists()

    # Back in the file: active again; the same file once more changes nothing.
    apply(csv_bytes(tree()))
    silje.refresh_from_db()
    assert silje.is_active and silje.inactive_reason == ""
    assert not plan_of(csv_bytes(tree())).has_changes


def test_people_are_found_by_employee_number_too(people):
    people["hakon"].employee_id = "E1234"
    people["hakon"].save()
    apply(csv_bytes(tree(leader="E1234")))
    assert Unit.objects.get(register_id="310").leader == people["hakon"]


def test_a_leader_not_yet_in_the_portal_is_reported_not_created(people):
    plan = plan_of(csv_bytes(tree(leader="ny.leiar@example.no")))
    assert plan.valid
    assert any("ny.leiar@example.no" in w.message and "not in the portal yet" in w.message for w in plan.warnings)
    count = User.objects.count()
    apply(csv_bytes(tree(leader="ny.leiar@example.no")))
    assert User.objects.count() == count
    blood = Unit.objects.get(register_id="310")
    assert blood.leader is None
    # Once she has logged in, the next sync makes her the leader.
    nina = make_user("ny.leiar@example.no", "Nina Leiar")
    apply(csv_bytes(tree(leader="ny.leiar@example.no")))
    blood.refresh_from_db()
    assert blood.leader == nina


def test_a_hand_made_unit_with_the_same_name_is_taken_over(people):
    by_hand = Unit.objects.create(name="Hjarteavdelinga", kind=Unit.Kind.DEPARTMENT)
    apply(csv_bytes(tree()))
    by_hand.refresh_from_db()
    assert by_hand.register_id == "400" and by_hand.parent.register_id == "100"
    assert Unit.objects.filter(name="Hjarteavdelinga").count() == 1


@pytest.mark.parametrize(
    "rows, message",
    [
        pytest.param(
            [
                ("1", "A", "3", "klinikk", "", ""),
                ("2", "B", "1", "avdeling", "", ""),
                ("3", "C", "2", "seksjon", "", ""),
            ],
            "cycle",
            id="cycle",
        ),
        pytest.param([("1", "A", "1", "klinikk", "", "")], "cycle", id="own parent"),
        pytest.param(
            [("1", "A", "", "helseføretak", "", ""), ("2", "B", "9", "avdeling", "", "")],
            "not in the file",
            id="missing parent",
        ),
        pytest.param(
            [("1", "A", "", "helseføretak", "", ""), ("1", "B", "", "klinikk", "", "")],
            "also on line 2",
            id="duplicate id",
        ),
        pytest.param([("1", "A", "", "sjukehus", "", "")], "not a kind of unit", id="unknown kind"),
        pytest.param([("", "A", "", "klinikk", "", "")], "no unit id", id="no id"),
        pytest.param([("1", "", "", "klinikk", "", "")], "has no name", id="no name"),
    ],
)
def test_a_bad_file_changes_nothing(people, rows, message):
    run = services.sync_preview(content=csv_bytes(rows), filename="org.csv")
    assert run.status == SyncRun.Status.INVALID
    assert any(message in p["message"] for p in run.summary["problems"]), run.summary["problems"]
    assert run.summary["problems"][0]["line"] >= 2
    with pytest.raises(DomainError):
        services.sync_confirm(run=run, actor=people["gunn"])
    assert not Unit.objects.exists()


def test_a_file_without_the_columns_gets_a_clear_message(people):
    with pytest.raises(DomainError, match="Missing: parent id, kind"):
        services.sync_preview(content=b"enhet_id;navn\n1;A\n", filename="org.csv")
    with pytest.raises(DomainError, match="not an Excel workbook"):
        services.sync_preview(content=b"PK\x03\x04 not really", filename="org.xlsx")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_in_the_encodings_and_separators_the_register_writes(people, encoding, delimiter):
    rows = [("1", "Kvinneklinikken Ærø Å", "", "helseføretak", "", ""), ("2", "Fødeavdelinga", "1", "avdeling", "", "")]
    apply(csv_bytes(rows, encoding=encoding, delimiter=delimiter))
    assert set(Unit.objects.values_list("name", flat=True)) == {"Kvinneklinikken Ærø Å", "Fødeavdelinga"}


def test_xlsx_with_english_column_names_and_numbers_as_ids(people):
    header = ["Unit ID", "Name", "Parent ID", "Kind", "Leader", "Members"]
    rows = [
        (100, "Helse Bergen HF", None, "Helseføretak", None, None),
        (310, "Blodbanken", 100, "Seksjon", "hakon@example.no", None),
    ]
    apply(xlsx_bytes(rows, header=header), filename="org.xlsx")
    blood = Unit.objects.get(register_id="310")
    assert blood.parent.register_id == "100" and blood.leader == people["hakon"]


def test_without_a_members_column_nobody_is_deactivated(people):
    apply(csv_bytes(tree()))
    header = HEADER[:5]
    rows = [row[:5] for row in tree()]
    plan = plan_of(csv_bytes(rows, header=header))
    assert not plan.members_synced and not plan.people_left and not plan.members_removed


def test_the_scheduled_sync_applies_a_dropped_file_and_mails_the_administrators(people, tmp_path, settings):
    settings.ORG_SYNC_DIR = tmp_path
    admin = User.objects.create_superuser("admin@example.no", "x", full_name="Tor Lunde", language="en")
    (tmp_path / "organisasjon.csv").write_bytes(csv_bytes(tree()))
    call_command("org_sync")
    assert Unit.objects.count() == 5
    assert not (tmp_path / "organisasjon.csv").exists()
    assert len(list((tmp_path / "done").iterdir())) == 1
    mail = OutboundEmail.objects.get(template="org_sync_report")
    assert mail.to == [admin.email]
    assert "5" in mail.body_text and "organisasjon.csv" in mail.subject

    # The same file again: no changes, no writes, no mail.
    (tmp_path / "organisasjon.csv").write_bytes(csv_bytes(tree()))
    with CaptureQueriesContext(connection) as queries:
        call_command("org_sync")
    assert not [q for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert OutboundEmail.objects.filter(template="org_sync_report").count() == 1

    # A broken file: rejected, nothing changed, the administrators told why.
    (tmp_path / "organisasjon.csv").write_bytes(csv_bytes([("1", "A", "1", "klinikk", "", "")]))
    call_command("org_sync")
    assert Unit.objects.count() == 5
    assert len(list((tmp_path / "rejected").iterdir())) == 1
    report = OutboundEmail.objects.filter(template="org_sync_report").latest("pk")
    assert "cycle in the tree" in report.body_text

    # Each administrator reads the problems in their own language.
    admin.language = "nn"
    admin.save()
    (tmp_path / "organisasjon.csv").write_bytes(csv_bytes([("1", "A", "1", "klinikk", "", "")]))
    call_command("org_sync")
    report = OutboundEmail.objects.filter(template="org_sync_report").latest("pk")
    assert "Einingane 1 → 1 er overordna kvarandre" in report.body_text and "tok ikkje i bruk" in report.subject


def test_the_scheduled_sync_with_no_file_does_nothing(db, tmp_path, settings):
    settings.ORG_SYNC_DIR = tmp_path
    call_command("org_sync")
    assert not SyncRun.objects.exists()


@pytest.fixture
def make_account_for_unit(catalogue, people):
    """An account in the register owned by `unit`, through the register's services."""
    from platforms.profiles import read_profile
    from registry import services as registry_services

    adviser = make_user("marte@example.no", "Marte Solheim", is_adviser=True)

    def make(unit, editor=None, deputy=None):
        editor = editor or people["lene"]
        deputy = deputy or people["arne"]
        for person in (editor, deputy):
            Membership.objects.get_or_create(user=person, unit=unit)
        details = registry_services.AccountDetails(
            display_name=f"{unit.name} på Instagram",
            purpose="Rekruttering",
            unit=unit,
            editor=editor,
            deputies=[deputy],
            login_email="some@example.no",
            response_hours="Kvardagar",
            response_time="Ein dag",
            languages=["nn"],
            plan=None,
        )
        url = f"https://www.instagram.com/unit_{unit.pk}/"
        return registry_services.account_register(actor=adviser, profile=read_profile(url), details=details)

    return make


def test_a_unit_renamed_by_the_sync_is_in_the_next_public_answer(people, make_account_for_unit, client):
    """The sync renames units in bulk (no save per row): the remembered public answers are renewed too."""
    from django.urls import reverse

    from registry.models import AccountStatus

    apply(csv_bytes(tree()))
    blood = Unit.objects.get(register_id="310")
    account = make_account_for_unit(blood)
    type(account).objects.filter(pk=account.pk).update(status=AccountStatus.ACTIVE)
    from core import caching
    from registry.verification import CACHE_NAME

    caching.renew(CACHE_NAME)  # the update() above sends no signal either

    def unit_in_answer():
        answer = client.get(reverse("api:verify"), {"url": account.url}).json()
        return answer["account"]["unit"]["name"]

    assert unit_in_answer() == "Blodbanken i Bergen"
    renamed = [row if row[0] != "310" else ("310", "Blodbanken", *row[2:]) for row in tree()]
    apply(csv_bytes(renamed))
    assert unit_in_answer() == "Blodbanken"
