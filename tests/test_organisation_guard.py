"""A truncated organisation file (only the header and the trust's line) must not close the
organisation: the scheduled sync holds it back and tells the administrators and advisers with
the numbers; an administrator can apply it only from the dry run, after a warning. What a sync
undid and the next one puts back withdraws the "needs new editor" marks it caused."""

import hashlib
import zlib

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership, Unit, User
from accounts.services import person_deactivate
from core.errors import DomainError
from core.models import AuditEntry, HeldUpload, OutboundEmail
from organisation import services
from organisation.models import SyncRun
from registry.models import Account

from . import test_organisation_sync
from .conftest import make_user
from .test_organisation_sync import apply, csv_bytes, tree

# The sync tests' fixtures: their people, and accounts in the register owned by a unit.
people = test_organisation_sync.people
make_account_for_unit = test_organisation_sync.make_account_for_unit

TRUNCATED = csv_bytes([("100", "Helse Bergen HF", "", "helseføretak", "", "")])


@pytest.fixture(autouse=True)
def _english(client):
    translation.activate("en")
    client.cookies["some_language"] = "en"


@pytest.fixture
def organisation(people):
    """The full file applied: 5 units from the register, 5 people in it."""
    apply(csv_bytes(tree()))
    admin = User.objects.create_superuser("admin@example.no", "x", full_name="Tor Lunde", language="en")
    adviser = make_user("ingrid@example.no", "Ingrid Moe", is_adviser=True, language="en")
    return {"admin": admin, "adviser": adviser, **people}


def test_the_scheduled_sync_holds_back_a_truncated_file_and_mails_the_numbers(
    organisation, tmp_path, settings, smtp, run_worker
):
    settings.ORG_SYNC_DIR = tmp_path
    (tmp_path / "organisasjon.csv").write_bytes(TRUNCATED)
    call_command("org_sync")

    # Nothing closed, nobody deactivated.
    assert Unit.objects.filter(register_id__isnull=False, is_active=True).count() == 5
    assert User.objects.filter(in_register=True, is_active=True).count() == 5
    run = SyncRun.objects.get(status=SyncRun.Status.HELD)
    assert run.source == SyncRun.Source.DROP and not AuditEntry.objects.filter(action="unit.closed_by_register")
    assert len(list((tmp_path / "held").iterdir())) == 1 and not (tmp_path / "organisasjon.csv").exists()

    # The administrators and the advisers are told, through the outbox and a real mail server.
    run_worker()
    for person in (organisation["admin"], organisation["adviser"]):
        [message] = smtp.to(person.email)
        body = message.get_body(("plain",)).get_content()
        assert "held back" in message["Subject"] and "organisasjon.csv" in message["Subject"]
        assert "Units that would be closed: 4 of 5 (80 %)" in body
        assert "People who would be deactivated: 5 of 5 (100 %)" in body
        assert (f"/organisasjon/{run.pk}/" in body) == person.is_administrator
    assert len(smtp.messages) == 2

    # The full file again changes nothing: nothing was closed.
    (tmp_path / "organisasjon.csv").write_bytes(csv_bytes(tree()))
    call_command("org_sync")
    assert SyncRun.objects.filter(source=SyncRun.Source.DROP).count() == 1


def test_a_small_change_is_still_applied_by_the_scheduled_sync(organisation, tmp_path, settings):
    settings.ORG_SYNC_DIR = tmp_path
    settings.ORG_SYNC_MAX_CLOSE_PERCENT = 50
    (tmp_path / "organisasjon.csv").write_bytes(csv_bytes(tree()[:4]))  # 1 of 5 units closed, 2 of 5 people left
    call_command("org_sync")
    assert SyncRun.objects.latest("pk").status == SyncRun.Status.APPLIED
    assert not Unit.objects.get(register_id="400").is_active


def test_the_dry_run_warns_with_the_numbers_and_applies_only_when_confirmed(client, organisation, run_worker):
    client.force_login(organisation["admin"])
    client.post(reverse("organisation:sync"), {"file": _upload(TRUNCATED)})
    run = SyncRun.objects.latest("pk")
    page = client.get(reverse("organisation:run", args=[run.pk])).content.decode()
    assert 'id="mass-warning"' in page
    assert "Units that would be closed: 4 of 5 (80 %)" in page
    assert "People who would be deactivated: 5 of 5 (100 %)" in page
    assert 'data-confirm="confirm-mass"' in page and "Apply the file anyway" in page

    # Sent without the confirmation (as without JavaScript): asked again, with the numbers; nothing queued.
    response = client.post(reverse("organisation:confirm", args=[run.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Close 4 of 5 units and deactivate 5 of 5 people?" in text and 'name="confirmed" value="1"' in text
    run.refresh_from_db()
    assert run.status == SyncRun.Status.PREVIEW
    with pytest.raises(DomainError):
        services.sync_confirm(run=run, actor=organisation["admin"])
    run_worker()
    assert Unit.objects.filter(register_id__isnull=False, is_active=True).count() == 5

    # Confirmed: applied.
    response = client.post(reverse("organisation:confirm", args=[run.pk]), {"confirmed": "1"})
    assert response.status_code == 302
    run_worker()
    run.refresh_from_db()
    assert run.status == SyncRun.Status.APPLIED and run.mass_change_confirmed
    assert Unit.objects.filter(register_id__isnull=False, is_active=True).count() == 1
    assert User.objects.filter(in_register=True, is_active=True).count() == 0


def test_a_held_file_is_applied_from_its_dry_run_after_the_warning(client, organisation, tmp_path, settings):
    settings.ORG_SYNC_DIR = tmp_path
    (tmp_path / "organisasjon.csv").write_bytes(TRUNCATED)
    call_command("org_sync")
    run = SyncRun.objects.get(status=SyncRun.Status.HELD)
    client.force_login(organisation["admin"])
    page = client.get(reverse("organisation:run", args=[run.pk])).content.decode()
    assert 'id="sync-held"' in page and 'id="mass-warning"' in page
    assert client.post(reverse("organisation:confirm", args=[run.pk])).status_code == 200
    run.refresh_from_db()
    assert run.status == SyncRun.Status.HELD
    client.post(reverse("organisation:confirm", args=[run.pk]), {"confirmed": "1"})
    run.refresh_from_db()
    assert run.status == SyncRun.Status.QUEUED and run.mass_change_confirmed


def test_a_plan_that_became_a_mass_change_after_confirming_is_held_by_the_worker(organisation):
    """Confirmed as a small change, but the organisation changed before the worker applied it."""
    run = services.sync_preview(content=csv_bytes(tree()), filename="org.csv")
    # The file the worker reads afresh, as held for the run.
    HeldUpload.objects.filter(record_id=run.pk, purpose=services.HELD_PURPOSE).update(
        content=zlib.compress(TRUNCATED), size=len(TRUNCATED), sha256=hashlib.sha256(TRUNCATED).hexdigest()
    )
    services.sync_confirm(run=run, actor=organisation["admin"])
    assert services.apply_sync_task.call(run.pk) == SyncRun.Status.HELD
    assert Unit.objects.filter(register_id__isnull=False, is_active=True).count() == 5


def test_a_later_full_file_withdraws_the_needs_new_editor_marks(
    organisation, make_account_for_unit, tmp_path, settings
):
    blood, heart = Unit.objects.get(register_id="310"), Unit.objects.get(register_id="400")
    p = organisation
    a = make_account_for_unit(blood, editor=p["silje"], deputy=p["jonas"])
    b = make_account_for_unit(heart, editor=p["lene"], deputy=p["arne"])  # Arne leads the unit
    c = make_account_for_unit(Unit.objects.get(register_id="300"), editor=p["silje"], deputy=p["gunn"])
    Membership.objects.filter(unit__register_id="300").delete()
    Account.objects.filter(pk=c.pk).update(unit=blood)
    person_deactivate(user=p["gunn"], reason=User.InactiveReason.NOT_SEEN)  # really gone
    c.refresh_from_db()
    assert c.needs_new_editor

    # The truncated file, applied by an administrator who confirmed the warning.
    run = services.sync_preview(content=TRUNCATED, filename="org.csv")
    services.sync_apply(run=run, actor=p["admin"])
    assert set(Account.objects.filter(needs_new_editor=True).values_list("pk", flat=True)) == {a.pk, b.pk, c.pk}
    assert OutboundEmail.objects.filter(template="account_needs_editor").count() >= 2

    # The full file again, by the scheduled sync: people back, marks withdrawn, the people told were told.
    settings.ORG_SYNC_DIR = tmp_path
    (tmp_path / "organisasjon.csv").write_bytes(csv_bytes(tree()))
    call_command("org_sync")
    assert SyncRun.objects.latest("pk").status == SyncRun.Status.APPLIED
    assert set(Account.objects.filter(needs_new_editor=True).values_list("pk", flat=True)) == {c.pk}  # Gunn is gone
    assert AuditEntry.objects.filter(action="account.editor_back").count() == 2
    back = OutboundEmail.objects.filter(template="account_editor_back")
    assert sorted(email for mail in back for email in mail.to) == sorted(
        ["hakon@example.no", "arne@example.no", "ingrid@example.no", "marte@example.no"]
    )
    [to_adviser] = [mail for mail in back if mail.to == ["ingrid@example.no"]]
    assert a.display_name in to_adviser.body_text and b.display_name in to_adviser.body_text
    assert c.display_name not in to_adviser.body_text


def _upload(content, name="org.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)
