"""Backups that restore: taken while people are writing, restored into a fresh database
of the same engine (this suite runs on SQLite and again on PostgreSQL), with every plan,
version, account, report and outbox message there, and the portal starts on it."""

import json
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import connection
from django.test import override_settings

from core.models import OutboundEmail
from plans import services
from plans.models import Plan, PlanVersion
from registry.models import Account, Report

from .conftest import PASSWORD, complete_content
from .mailserver import free_port
from .processes import ROOT, database_url, portal_env, wait_for
from .webclient import WebClient

pytestmark = pytest.mark.django_db(transaction=True)

KEPT = {"plans": Plan, "versions": PlanVersion, "accounts": Account, "reports": Report, "outbox": OutboundEmail}
READ_BACK = """
import json
from core.models import OutboundEmail
from plans.models import Plan, PlanVersion
from registry.models import Account, Report
models = {"plans": Plan, "versions": PlanVersion, "accounts": Account, "reports": Report, "outbox": OutboundEmail}
print(json.dumps({k: sorted(m.objects.values_list("pk", flat=True)) for k, m in models.items()}))
"""


def rows() -> dict[str, set[int]]:
    return {name: set(model.objects.values_list("pk", flat=True)) for name, model in KEPT.items()}


@contextmanager
def fresh_database():
    """An empty database of the engine the suite runs on; its DATABASE_URL."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        from pathlib import Path

        path = Path(db["NAME"]).with_name(f"restore-{uuid.uuid4().hex[:8]}.sqlite3")
        try:
            yield f"sqlite:///{path}"
        finally:
            for leftover in path.parent.glob(path.name + "*"):
                leftover.unlink()
        return
    import psycopg

    name = f"restore_{uuid.uuid4().hex[:8]}"
    params = {"host": db["HOST"] or None, "port": db["PORT"] or None, "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield database_url({**db, "NAME": name})
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_taken_while_people_write_restores_into_a_fresh_database(
    cast, make_plan, make_account, instagram, tmp_path
):
    from registry import reports

    for status in ["draft", "submitted", "in_review", "approved", "rejected", "changes_requested"]:
        make_plan(status)
    make_account(status="active")
    reports.report_submit(url="https://www.instagram.com/falsk_haukeland/", what_is_wrong="Falsk", client_key="k" * 64)
    # The restored portal runs with the production password hashers, not the tests' fast one.
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.PBKDF2PasswordHasher"]):
        cast["member"].set_password(PASSWORD)
        cast["member"].save()
    var = tmp_path / "var"
    (var / "media" / "vedlegg").mkdir(parents=True)
    (var / "media" / "vedlegg" / "logo.txt").write_text("Haukeland")
    before = rows()

    # Writers keep saving plans and sending them while the backup is taken.
    stop, written, errors = threading.Event(), [], []

    def writer():
        try:
            while not stop.is_set():
                plan = services.plan_create(unit=cast["unit"], author=cast["member"])
                services.plan_update(
                    plan=plan, actor=cast["member"], revision=plan.revision, content=complete_content(cast, instagram)
                )
                services.plan_submit(plan=Plan.objects.get(pk=plan.pk), actor=cast["leader"])
                written.append(plan.pk)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connection.close()

    writers = [threading.Thread(target=writer) for _ in range(2)]
    for thread in writers:
        thread.start()
    wait_for(lambda: len(written) >= 2, what="the writers to get going")
    backup = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "portal_backup", "--to", str(tmp_path / "backups")],
        cwd=ROOT,
        env=portal_env(VAR_DIR=var),
        capture_output=True,
        text=True,
    )
    during = len(written)
    stop.set()
    for thread in writers:
        thread.join()
    assert errors == []
    assert backup.returncode == 0, backup.stderr
    assert len(written) > during or during > 2  # the writers were writing while the backup ran
    path = backup.stdout.strip().splitlines()[-1]
    assert path.endswith(".tar.gz") and "some-portalen-" in path
    after = rows()

    with fresh_database() as url:
        restored_var = tmp_path / "restored"  # a new VAR_DIR, not there yet
        env = portal_env(DATABASE_URL=url, VAR_DIR=restored_var)
        restore = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "portal_restore", path],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert restore.returncode == 0, restore.stderr
        assert "Restored the backup" in restore.stdout
        # Restoring again into the now full database is refused.
        again = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "portal_restore", path], cwd=ROOT, env=env, capture_output=True
        )
        assert again.returncode != 0 and b"not empty" in again.stderr

        read = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "shell", "-c", READ_BACK],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert read.returncode == 0, read.stderr
        restored = {name: set(pks) for name, pks in json.loads(read.stdout.strip().splitlines()[-1]).items()}
        for name in KEPT:
            assert before[name] <= restored[name] <= after[name], name
        assert (restored_var / "media" / "vedlegg" / "logo.txt").read_text() == "Haukeland"

        assert subprocess.run([sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT, env=env).returncode == 0
        _the_portal_starts_on_it(env, cast, min(before["plans"]))


def _the_portal_starts_on_it(env, cast, plan_pk):
    # Without a collectstatic of its own: the restore leaves a portal that serves pages.
    assert (Path(env["VAR_DIR"]) / "static" / "staticfiles.json").exists()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        web = WebClient(f"http://127.0.0.1:{port}")

        def up():
            try:
                return web.get("/helse/").status == 200
            except OSError:
                return False

        wait_for(up, timeout=60, what="the portal on the restored database")
        token = web.form_token("/logg-inn/")
        web.post("/logg-inn/", {"csrfmiddlewaretoken": token, "username": cast["member"].email, "password": PASSWORD})
        assert web.logged_in
        page = web.get(f"/planer/{plan_pk}/")
        assert page.status == 200 and "Blodbanken i Bergen" in page.body
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_backup_of_another_engine_or_a_stranger_file_is_refused(tmp_path):
    stranger = tmp_path / "not-a-backup.tar.gz"
    stranger.write_bytes(b"hello")
    with fresh_database() as url:
        result = subprocess.run(
            [sys.executable, "manage.py", "portal_restore", str(stranger)],
            cwd=ROOT,
            env=portal_env(DATABASE_URL=url, VAR_DIR=tmp_path),
            capture_output=True,
            text=True,
        )
    assert result.returncode != 0 and "is not a backup" in result.stderr


def test_make_restore_needs_a_file():
    result = subprocess.run(["make", "-s", "restore"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode != 0 and "make restore FILE=" in result.stdout


@pytest.mark.django_db
def test_a_backup_is_readable_by_the_portals_user_only(tmp_path):
    """It holds password hashes and live sessions: 0600 for the file, 0700 for its folder,
    whatever the umask (the probe found -rw-r--r--)."""
    import os
    import stat

    from core.backup import backup_create

    old = os.umask(0o022)
    try:
        folder = tmp_path / "backups"
        path = backup_create(directory=folder)
        folder.chmod(0o755)  # a folder made by hand, too open
        again = backup_create(directory=folder)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(again.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
