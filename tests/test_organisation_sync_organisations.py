"""The organisation sync with several organisations: one file naming each unit's organisation,
or one file per organisation (chosen at upload, or the organisation's own folder of the drop
directory). The guard: a sync never creates in, moves, closes or takes over another
organisation's units, and finds only its own organisations' people to have left."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Membership, Organisation, Unit, User
from core.models import AuditEntry
from organisation import services
from organisation.models import SyncRun
from organisation.services import drop_directories

from .conftest import make_user
from .test_organisation_sync import csv_bytes, tree

HEADER = ["enhet_id", "navn", "overordnet_id", "nivå", "leder", "medlemmer"]
WITH_ORGANISATION = [*HEADER, "organisasjon"]


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")


@pytest.fixture
def stavanger(db):
    region = Organisation.objects.create(name="Helse Vest RHF", slug="helse-vest", is_region=True, mailbox="p@hv.no")
    return Organisation.objects.create(
        name="Helse Stavanger", slug="helse-stavanger", register_id="983974678", region=region, mailbox="k@sus.no"
    )


@pytest.fixture
def people(db, stavanger):
    bergen = Organisation.objects.get(slug="helse-bergen")
    found = {
        key: make_user(f"{key}@example.no", name, organisation=bergen)
        for key, name in [
            ("silje", "Silje Dale"),
            ("jonas", "Jonas Berg"),
            ("hakon", "Håkon Vik"),
            ("lene", "Lene Aarskog"),
            ("arne", "Arne Grov"),
        ]
    }
    for key, name in [("kari", "Kari Stavik"), ("per", "Per Sola")]:
        found[key] = make_user(f"{key}@sus.no", name, organisation=stavanger)
    return found


def stavanger_tree(members="kari@sus.no"):
    return [
        ("S100", "Helse Stavanger HF", "", "helseføretak", "", ""),
        ("S200", "Barneklinikken", "S100", "klinikk", "per@sus.no", members),
    ]


def apply(content, *, organisation=None):
    run = services.sync_preview(content=content, filename="org.csv", organisation=organisation)
    assert run.status == SyncRun.Status.PREVIEW, run.summary.get("problems")
    return services.sync_apply(run=run)


def test_one_file_with_several_organisations(people, stavanger):
    rows = [(*row, "helse-bergen" if row[0] == "100" else "") for row in tree()]
    rows += [(*row, "983974678" if row[0] == "S100" else "") for row in stavanger_tree()]
    run = apply(csv_bytes(rows, header=WITH_ORGANISATION))
    assert run.summary["organisations"] == ["Helse Bergen", "Helse Stavanger"]
    bergen = Organisation.objects.get(slug="helse-bergen")
    assert set(Unit.objects.filter(organisation=stavanger).values_list("register_id", flat=True)) == {"S100", "S200"}
    assert Unit.objects.filter(organisation=bergen).count() == 5
    assert Unit.objects.get(register_id="S200").leader == people["per"]


def test_one_file_per_organisation_never_closes_or_moves_another_organisations_units(people, stavanger):
    apply(csv_bytes(tree()))  # Helse Bergen's file (the portal's default organisation)
    bergen_units = dict(Unit.objects.values_list("register_id", "is_active"))
    # Helse Stavanger's file: Helse Bergen's units are not in it, and stay as they were.
    run = apply(csv_bytes(stavanger_tree()), organisation=stavanger)
    assert run.organisation == stavanger and run.summary["counts"]["closed"] == 0
    assert run.summary["totals"]["units"] == 0  # Helse Stavanger's units before: none
    for register_id, active in bergen_units.items():
        unit = Unit.objects.get(register_id=register_id)
        assert unit.is_active == active and unit.organisation.slug == "helse-bergen"
    assert Unit.objects.get(register_id="S200").organisation == stavanger
    # Helse Bergen's people are not "gone from the register" because Helse Stavanger's file lacks them.
    assert User.objects.filter(organisation__slug="helse-bergen", is_active=True).count() == 5
    # And the next Helse Bergen file leaves Helse Stavanger alone.
    run = apply(csv_bytes(tree()[:3]))
    assert {u["id"] for u in run.summary["closed"]} == {"310", "400"}
    assert Unit.objects.filter(organisation=stavanger, is_active=True).count() == 2
    assert User.objects.get(pk=people["kari"].pk).is_active


def test_a_file_cannot_take_over_another_organisations_unit(people, stavanger):
    apply(csv_bytes(tree()))
    before = list(Unit.objects.order_by("pk").values_list("pk", "name", "parent_id", "organisation_id"))
    # Helse Stavanger's file claims Helse Bergen's unit 400 (as a unit of its own tree).
    rows = [*stavanger_tree(), ("400", "Hjarteavdelinga", "S100", "avdeling", "", "")]
    run = services.sync_preview(content=csv_bytes(rows), filename="org.csv", organisation=stavanger)
    assert run.status == SyncRun.Status.INVALID
    assert "Unit 400 is a unit of Helse Bergen in the portal" in run.summary["problems"][0]["message"]
    assert list(Unit.objects.order_by("pk").values_list("pk", "name", "parent_id", "organisation_id")) == before
    # A file that names the organisations cannot move a unit between them either.
    rows = [(*row, "helse-bergen" if row[0] == "100" else "") for row in tree() if row[0] != "400"]
    rows += [(*row, "helse-stavanger" if row[0] == "S100" else "") for row in stavanger_tree()]
    rows.append(("400", "Hjarteavdelinga", "S100", "avdeling", "", "", ""))
    run = services.sync_preview(content=csv_bytes(rows, header=WITH_ORGANISATION), filename="org.csv")
    assert run.status == SyncRun.Status.INVALID
    assert "cannot move it to Helse Stavanger" in run.summary["problems"][0]["message"]
    # Nor take over a unit kept by hand in another organisation with the same name.
    hand = Unit.objects.create(name="Barneklinikken", kind=Unit.Kind.CLINIC, parent=Unit.objects.get(register_id="100"))
    apply(csv_bytes(stavanger_tree()), organisation=stavanger)
    hand.refresh_from_db()
    assert hand.register_id is None and hand.organisation.slug == "helse-bergen"
    assert Unit.objects.get(register_id="S200").organisation == stavanger


def test_problems_with_the_organisations_a_file_names(people, stavanger):
    def problems(rows, organisation=None):
        run = services.sync_preview(
            content=csv_bytes(rows, header=WITH_ORGANISATION), filename="org.csv", organisation=organisation
        )
        assert run.status == SyncRun.Status.INVALID and not Unit.objects.exists()
        return " ".join(p["message"] for p in run.summary["problems"])

    unknown = [("S100", "Helse Stavanger HF", "", "helseføretak", "", "", "helse-fonna")]
    assert "The organisation “helse-fonna” is not in the portal." in problems(unknown)
    region = [("S100", "Helse Vest", "", "helseføretak", "", "", "helse-vest")]
    assert "Helse Vest RHF is a region" in problems(region)
    other = [("S100", "Helse Stavanger HF", "", "helseføretak", "", "", "helse-stavanger")]
    bergen = Organisation.objects.get(slug="helse-bergen")
    assert "This file is for Helse Bergen, but unit S100 is in Helse Stavanger." in problems(other, bergen)
    split = [
        ("S100", "Helse Stavanger HF", "", "helseføretak", "", "", "helse-stavanger"),
        ("S200", "Barneklinikken", "S100", "klinikk", "", "", "helse-bergen"),
    ]
    assert "the unit it is part of, S100, is in Helse Stavanger" in problems(split)


def test_the_file_places_people_in_their_organisation(people, stavanger):
    bergen = Organisation.objects.get(slug="helse-bergen")
    apply(csv_bytes(tree()))
    # Lene moves to Helse Stavanger: its file lists her, and Helse Bergen's no longer does.
    apply(csv_bytes([r if r[0] != "400" else (*r[:5], "") for r in tree()]))
    run = apply(csv_bytes(stavanger_tree(members="kari@sus.no;lene@example.no")), organisation=stavanger)
    assert run.summary["counts"]["people_placed"] == 1
    assert User.objects.get(pk=people["lene"].pk).organisation == stavanger
    assert AuditEntry.objects.filter(action="person.organisation_from_register", target_id=people["lene"].pk).exists()
    # Silje is still in a Helse Bergen unit: listed in Helse Stavanger's file too, she stays Helse Bergen's.
    apply(csv_bytes(stavanger_tree(members="kari@sus.no;lene@example.no;silje@example.no")), organisation=stavanger)
    assert User.objects.get(pk=people["silje"].pk).organisation == bergen
    assert Membership.objects.filter(user=people["silje"], unit__register_id="S200").exists()


def test_the_upload_page_lets_the_administrator_choose_the_organisation(client, people, stavanger):
    admin = User.objects.create_superuser("admin@example.no", "x", full_name="Tor Lunde")
    client.force_login(admin)
    page = client.get(reverse("organisation:sync")).content.decode()
    assert 'name="organisation"' in page and "Helse Stavanger" in page and "Helse Vest RHF" not in page
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("org.csv", csv_bytes(stavanger_tree()), content_type="text/csv")
    response = client.post(reverse("organisation:sync"), {"organisation": stavanger.pk, "file": upload})
    assert response.status_code == 302
    run = SyncRun.objects.get()
    assert run.organisation == stavanger and run.summary["organisations"] == ["Helse Stavanger"]


def test_the_upload_page_of_a_one_organisation_portal_asks_nothing(client, db):
    admin = User.objects.create_superuser("admin@example.no", "x", full_name="Tor Lunde")
    client.force_login(admin)
    assert 'name="organisation"' not in client.get(reverse("organisation:sync")).content.decode()


def test_the_scheduled_sync_reads_each_organisations_folder(people, stavanger, settings, tmp_path):
    from django.core.management import call_command

    settings.ORG_SYNC_DIR = tmp_path
    (tmp_path / "bergen.csv").write_bytes(csv_bytes(tree()))
    (tmp_path / "helse-stavanger").mkdir()
    (tmp_path / "helse-stavanger" / "sus.csv").write_bytes(csv_bytes(stavanger_tree()))
    assert [o.slug if o else None for _folder, o in drop_directories()] == [None, "helse-stavanger"]
    call_command("org_sync")
    assert Unit.objects.filter(organisation__slug="helse-bergen").count() == 5
    assert Unit.objects.filter(organisation=stavanger).count() == 2
    assert SyncRun.objects.get(organisation=stavanger).status == SyncRun.Status.APPLIED
    assert list((tmp_path / "helse-stavanger" / "done").iterdir())


def test_a_held_file_tells_only_its_own_organisations_advisers(people, stavanger, settings, tmp_path):
    from core.models import OutboundEmail

    make_user("marte@example.no", "Marte Solheim", is_adviser=True)  # Helse Bergen's adviser
    make_user("siv@sus.no", "Siv Stavanger", is_adviser=True, organisation=stavanger)
    apply(csv_bytes(stavanger_tree()), organisation=stavanger)
    settings.ORG_SYNC_DIR = tmp_path
    (tmp_path / "helse-stavanger").mkdir()
    (tmp_path / "helse-stavanger" / "cut.csv").write_bytes(csv_bytes(stavanger_tree()[:1]))
    services.drop_directory_sync(directory=tmp_path / "helse-stavanger", organisation=stavanger)
    run = SyncRun.objects.filter(organisation=stavanger).latest("pk")
    assert run.status == SyncRun.Status.HELD
    told = {address for email in OutboundEmail.objects.filter(template="org_sync_held") for address in email.to}
    assert "siv@sus.no" in told and "marte@example.no" not in told


def test_closed_units_are_handed_over_by_their_own_organisations_advisers(client, people, stavanger):
    from core.worklist import worklist_for
    from plans.models import Plan

    apply(csv_bytes(tree()))
    heart = Unit.objects.get(register_id="400")
    Plan.objects.create(unit=heart, author=people["lene"], title="Hjarteveka", status="submitted")
    Unit.objects.filter(pk=heart.pk).update(is_active=False, closed_at="2026-11-01T10:00:00Z")
    bergen_adviser = make_user("marte@example.no", "Marte Solheim", is_adviser=True)
    stavanger_adviser = make_user("siv@sus.no", "Siv Stavanger", is_adviser=True, organisation=stavanger)
    assert services.closed_units_waiting(user=bergen_adviser)["count"] == 1
    assert services.closed_units_waiting(user=stavanger_adviser)["count"] == 0
    assert not [item for item in worklist_for(stavanger_adviser) if item.kind == "organisation.handover"]
    assert [item for item in worklist_for(bergen_adviser) if item.kind == "organisation.handover"]
    client.force_login(stavanger_adviser)
    assert "Hjarteavdelinga" not in client.get(reverse("organisation:closed")).content.decode()
    client.force_login(bergen_adviser)
    assert "Hjarteavdelinga" in client.get(reverse("organisation:closed")).content.decode()
