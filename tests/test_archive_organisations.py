"""The archive with two organisations: each has its own archive settings, outbox and inbox. A
package takes its plan's organisation's settings and goes to that organisation's outbox with
the organisation's name as author; a receipt is read only for a package of the inbox's own
organisation; the archive page, its counts, its tasks and its actions show an adviser their
own organisation's packages only (another's is a 404). The one settings row of an installation
from before organisations becomes the default organisation's."""

import io

import pikepdf
import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from accounts.models import Membership, Organisation, Unit, User, default_organisation
from accounts.organisations import forget
from archive import arkivmelding as am
from archive import services
from archive.models import ArchiveSettings, Package, PackageKind, PackageStatus
from archive.services import archive_settings, deliver_due, package_files, receipts_read
from core.worklist import worklist_for
from demo.archive_receiver import receive_once
from plans import services as plan_services
from plans.models import Plan

from .conftest import PASSWORD, complete_content

Q = f"{{{am.NS}}}"
M = f"{{{am.NS_MDK}}}"
BERGEN, STAVANGER = "helse-bergen", "helse-stavanger"


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.ARCHIVE_OUTBOX = tmp_path / "utboks"
    settings.ARCHIVE_INBOX = tmp_path / "innboks"
    settings.ARCHIVE_ENABLED = True
    return tmp_path


@pytest.fixture
def stavanger(cast):
    """A second organisation with a unit, its member, deputy, leader and adviser."""
    organisation = Organisation.objects.create(
        name="Helse Stavanger", slug=STAVANGER, mailbox="kommunikasjon@helse-stavanger.no"
    )
    forget()
    trust = Unit.objects.create(name="Helse Stavanger HF", kind=Unit.Kind.TRUST, organisation=organisation)
    unit = Unit.objects.create(name="Blodbanken i Stavanger", kind=Unit.Kind.SECTION, parent=trust)

    def person(email, name, **extra):
        return User.objects.create_user(email, PASSWORD, full_name=name, organisation=organisation, **extra)

    people = {
        "member": person("kari@helse-stavanger.no", "Kari Nes"),
        "deputy": person("ola@helse-stavanger.no", "Ola Tau"),
        "leader": person("per@helse-stavanger.no", "Per Sola"),
        "adviser": person("ingrid@helse-stavanger.no", "Ingrid Hå", is_adviser=True),
    }
    Membership.objects.create(user=people["member"], unit=unit)
    Membership.objects.create(user=people["deputy"], unit=unit)
    unit.leader = people["leader"]
    unit.save()
    return {"organisation": organisation, "unit": unit, **people}


def approved_in(side, instagram, title):
    """A plan of the side's unit, sent by its leader and approved by its own adviser."""
    plan = plan_services.plan_create(unit=side["unit"], author=side["member"], title=title)
    plan = plan_services.plan_update(
        plan=plan,
        actor=side["member"],
        revision=plan.revision,
        content=complete_content(side, instagram, title=title),
    )
    for action, role in [("submit", "leader"), ("take", "adviser"), ("approve", "adviser")]:
        plan_services.ACTIONS[action](plan=plan, actor=side[role])
    return Plan.objects.get(pk=plan.pk)


@pytest.fixture
def both(make_plan, cast, stavanger, instagram):
    """An approved plan in each organisation, each with its two packages (sent, decided)."""
    return {
        "bergen": make_plan("approved", title="Instagram for blodgivarar i Bergen"),
        "stavanger": approved_in(stavanger, instagram, "Instagram for blodgivarar i Stavanger"),
    }


def package_names(folder):
    return {p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")}


def uuids(plan):
    return {str(u) for u in Package.objects.filter(plan=plan).values_list("uuid", flat=True)}


def test_each_organisation_has_its_own_settings_made_from_the_organisation(stavanger):
    own = archive_settings(stavanger["organisation"])
    default = archive_settings()
    assert own.pk != default.pk
    assert default.organisation_id == default_organisation().pk
    assert (own.author, default.author) == ("Helse Stavanger", "Helse Bergen")
    assert own.case_officer == "Kommunikasjonsavdelinga i Helse Stavanger"
    assert own.case_officer_email == "kommunikasjon@helse-stavanger.no"
    assert archive_settings(stavanger["organisation"].pk).pk == own.pk  # made once


def test_packages_go_to_their_own_organisations_outbox_with_its_own_settings(both, stavanger, folders):
    own = archive_settings(stavanger["organisation"])
    own.archive_part = "HST-SAK"
    own.class_id = "045"
    own.save()
    assert {p.settings_id for p in Package.objects.filter(plan=both["stavanger"])} == {own.pk}
    assert {p.settings_id for p in Package.objects.filter(plan=both["bergen"])} == {archive_settings().pk}

    assert deliver_due(now=timezone.now()) == 4
    assert package_names(folders / "utboks" / BERGEN) == uuids(both["bergen"])
    assert package_names(folders / "utboks" / STAVANGER) == uuids(both["stavanger"])

    for plan, author, part, klass in [
        (both["bergen"], "Helse Bergen", "SAK", "026"),
        (both["stavanger"], "Helse Stavanger", "HST-SAK", "045"),
    ]:
        decided = Package.objects.get(plan=plan, kind=PackageKind.PLAN_DECIDED)
        files = package_files(decided)
        root = am.validate(files[am.FILE_NAME])
        entry = root.find(f"{Q}registrering")
        assert entry.findtext(f"{Q}forfatter") == author
        assert {d.findtext(f"{Q}forfatter") for d in entry.findall(f"{Q}dokumentbeskrivelse")} == {author}
        assert root.findtext(f"{Q}mappe/{Q}arkivdel/{M}kode") == part
        assert root.findtext(f"{Q}mappe/{Q}klassifikasjon/{Q}klasseID") == klass
        assert root.findtext(f"{Q}mappe/{Q}saksansvarlig/{M}navn") == f"Kommunikasjonsavdelinga i {author}"
        # The decision letter and the plan beside it are the organisation's: its name as author.
        for name in ("vedtak.pdf", "plan-versjon-1.pdf"):
            with pikepdf.open(io.BytesIO(files[name])) as pdf:
                assert str(pdf.docinfo.Author) == author, name


def test_receipts_are_read_from_each_inbox_for_that_organisation_only(both, stavanger, folders):
    deliver_due(now=timezone.now())
    for slug in (BERGEN, STAVANGER):
        assert (
            receive_once(
                outbox=folders / "utboks" / slug,
                inbox=folders / "innboks" / slug,
                filed=folders / "arkivert" / slug,
            )
            == 2
        )
    # One of Stavanger's receipts lands in Bergen's inbox: Bergen's archive never had that package.
    sent = Package.objects.get(plan=both["stavanger"], kind=PackageKind.PLAN_SENT)
    stray = folders / "innboks" / STAVANGER / f"{sent.uuid}.xml"
    stray.rename(folders / "innboks" / BERGEN / stray.name)

    assert receipts_read() == {"acknowledged": 3, "refused": 1, "duplicate": 0, "failed": 0}
    sent.refresh_from_db()
    assert sent.status == PackageStatus.DELIVERED and sent.case_number is None
    refused = folders / "innboks" / BERGEN / services.REFUSED_FOLDER
    assert [p.name for p in refused.glob("*.xml")] == [stray.name]
    assert Package.objects.filter(plan=both["bergen"], status=PackageStatus.ACKNOWLEDGED).count() == 2

    # In its own organisation's inbox, the same receipt is read.
    (refused / stray.name).rename(folders / "innboks" / STAVANGER / stray.name)
    assert receipts_read(settings=archive_settings(stavanger["organisation"]))["acknowledged"] == 1
    sent.refresh_from_db()
    assert sent.status == PackageStatus.ACKNOWLEDGED and sent.case_reference


def test_a_receipt_in_the_top_inbox_from_before_is_read_for_the_default_organisation_only(both, folders):
    deliver_due(now=timezone.now())
    for slug in (BERGEN, STAVANGER):
        receive_once(
            outbox=folders / "utboks" / slug, inbox=folders / "innboks" / slug, filed=folders / "arkivert" / slug
        )
        for receipt in (folders / "innboks" / slug).glob("*.xml"):
            receipt.rename(folders / "innboks" / receipt.name)  # where the portal read them before
    counts = receipts_read()
    assert (counts["acknowledged"], counts["refused"]) == (2, 2)
    assert set(Package.objects.filter(status=PackageStatus.ACKNOWLEDGED).values_list("plan", flat=True)) == {
        both["bergen"].pk
    }


def test_the_archive_page_shows_an_adviser_their_own_organisations_packages(both, cast, stavanger, client):
    Package.objects.filter(plan=both["stavanger"]).update(status=PackageStatus.FAILED, last_error="Arkivdel lukka")
    for adviser, own, other, slug in [
        (cast["adviser"], "blodgivarar i Bergen", "blodgivarar i Stavanger", BERGEN),
        (stavanger["adviser"], "blodgivarar i Stavanger", "blodgivarar i Bergen", STAVANGER),
    ]:
        client.force_login(adviser)
        response = client.get(reverse("archive:index"))
        page = response.content.decode()
        assert own in page and other not in page
        assert response.context["page"].paginator.count == 2
        assert sum(response.context["counts"][s] for s in PackageStatus.values) == 2
        assert f"utboks/{slug}" in page
    failed = {item.kind for item in worklist_for(stavanger["adviser"])}
    assert "archive.failed" in failed
    assert "archive.failed" not in {item.kind for item in worklist_for(cast["adviser"])}


def test_another_organisations_package_cannot_be_sent_again(both, cast, stavanger, client):
    theirs = Package.objects.filter(plan=both["stavanger"]).first()
    Package.objects.filter(pk=theirs.pk).update(status=PackageStatus.FAILED, last_error="Arkivdel lukka")
    client.force_login(cast["adviser"])
    assert client.post(reverse("archive:send_again", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == PackageStatus.FAILED
    with pytest.raises(services.ArchiveError):
        services.package_send_again(package=theirs, actor=cast["adviser"])
    client.force_login(stavanger["adviser"])
    assert client.post(reverse("archive:send_again", args=[theirs.pk])).status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == PackageStatus.WAITING


def test_an_adviser_changes_only_their_own_organisations_settings(cast, stavanger, client):
    client.force_login(stavanger["adviser"])
    response = client.post(
        reverse("archive:settings"),
        {
            "system": "SoMe-portalen",
            "archive_part": "HST-SAK",
            "classification_system": "ORG",
            "class_id": "026",
            "class_title": "Informasjon og kommunikasjon",
            "administrative_unit": "Kommunikasjonsavdelinga",
            "case_officer": "Ingrid Hå",
        },
    )
    assert response.status_code == 302
    assert archive_settings(stavanger["organisation"]).archive_part == "HST-SAK"
    assert archive_settings().archive_part == "SAK"
    assert "Helse Stavanger" in client.get(reverse("archive:settings")).content.decode()
    with pytest.raises(services.ArchiveError):
        services.archive_settings_update(actor=cast["adviser"], organisation=stavanger["organisation"], class_id="1")


# The upgrade -----------------------------------------------------------------------------


@pytest.fixture
def before_organisations(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate([("archive", "0001_initial")])
    yield executor.loader.project_state([("archive", "0001_initial")]).apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


# On PostgreSQL, taking these tables back inside the test's own transaction stops at rows it made
# there ("pending trigger events"); the whole upgrade runs on both databases in
# tests/test_upgrade_to_organisations.py.
@pytest.mark.skipif(connection.vendor == "postgresql", reason="migrating back within one transaction: SQLite only")
def test_the_one_settings_row_from_before_becomes_the_default_organisations(before_organisations):
    OldSettings = before_organisations.get_model("archive", "ArchiveSettings")
    OldPackage = before_organisations.get_model("archive", "Package")
    old = OldSettings.objects.create(key="default", organisation="Helse Bergen HF", archive_part="SOME")
    OldPackage.objects.create(settings=old, kind="plan_sent", source="plan_sent:version:1", title="Ein plan")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("archive", "0002_settings_per_organisation")])

    forget()
    row = ArchiveSettings.objects.get()
    assert row.organisation_id == default_organisation().pk and row.archive_part == "SOME"
    assert Package.objects.get().settings_id == row.pk
    assert archive_settings().pk == row.pk
