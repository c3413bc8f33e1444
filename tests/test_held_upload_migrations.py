"""The files waiting for confirmation before there was one place to hold them: a sync run's
`content` and an unsaved key-figure import's `upload`. The migrations move the ones that can
still be confirmed into held uploads (usable as before) and drop the rest."""

import hashlib
import zlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from core import held as holding
from core.models import HeldUpload

BEFORE = [
    ("organisation", "0002_sync_held_and_mass_change"),
    ("core", "0004_held_upload"),
    ("evaluations", "0003_figureimport_upload"),
    # The register as it was then too: a column added later has no value in the rows made here.
    ("registry", "0007_account_task_indexes"),
    # Units as they are now: each names its organisation.
    ("accounts", "0006_unit_organisation_required"),
]
AFTER = [("organisation", "0003_sync_file_held"), ("core", "0005_figure_files_held")]
FILE = b"enhet_id;navn\n1;Helse Bergen HF\n"


@pytest.fixture
def before(transactional_db):
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    yield apps
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate_forward():
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)


def test_old_files_are_kept_usable_or_dropped(before):
    User = before.get_model("accounts", "User")
    SyncRun = before.get_model("organisation", "SyncRun")
    admin = User.objects.create(email="admin@example.no", full_name="Tor Lunde", password="!")
    member = User.objects.create(email="silje@example.no", full_name="Silje Dale", password="!")
    waiting = SyncRun.objects.create(
        filename="org.csv", content=FILE, sha256="x", status="preview", created_by=admin, summary={}
    )
    SyncRun.objects.create(filename="old.csv", content=FILE, sha256="x", status="applied", summary={})

    Platform = before.get_model("platforms", "Platform")
    Unit = before.get_model("accounts", "Unit")
    Account = before.get_model("registry", "Account")
    FigureImport = before.get_model("evaluations", "FigureImport")
    # The seeded catalogue may have been emptied by an earlier test that flushes the database.
    platform = Platform.objects.filter(slug="tiktok").first() or Platform.objects.create(
        name="TikTok", slug="tiktok", profile_url_pattern="https://www.tiktok.com/@{handle}"
    )
    Organisation = before.get_model("accounts", "Organisation")
    organisation, _made = Organisation.objects.get_or_create(
        slug="helse-bergen", defaults={"name": "Helse Bergen", "mailbox": "info@helse-bergen.no"}
    )
    unit = Unit.objects.create(name="Blodbanken i Bergen", kind="section", organisation=organisation)
    account = Account.objects.create(
        platform=platform,
        handle="blodbanken",
        handle_key="blodbanken",
        url="https://www.tiktok.com/@blodbanken",
        unit=unit,
        editor=member,
        code="abc123",
    )
    figures = b"Dato;Visningar\n01.11.2026;12\n"
    common = {"account": account, "file_format": "unrecognised", "sha256": hashlib.sha256(figures).hexdigest()}
    unsaved = FigureImport.objects.create(
        uploaded_by=member, filename="eigne.csv", upload=zlib.compress(figures), **common
    )
    orphan = FigureImport.objects.create(
        uploaded_by=None, filename="gamal.csv", upload=zlib.compress(figures), **common
    )

    migrate_forward()

    sync_file = HeldUpload.objects.get(purpose="organisation.sync")
    assert (sync_file.owner_id, sync_file.record_id) == (admin.pk, waiting.pk)
    assert holding.content_of(sync_file) == FILE
    figure_file = HeldUpload.objects.get(purpose="evaluations.figures")
    assert (figure_file.owner_id, figure_file.record_id) == (member.pk, unsaved.pk)
    assert holding.content_of(figure_file) == figures
    assert HeldUpload.objects.count() == 2  # the applied run's file and the orphan's are dropped
    from evaluations.models import FigureImport as Current
    from organisation.models import SyncRun as CurrentRun

    assert set(CurrentRun.objects.values_list("content", flat=True)) == {b""}

    assert set(Current.objects.values_list("upload", flat=True)) == {b""}
    assert Current.objects.filter(pk=orphan.pk).exists()
