"""A worker that dies while it applies an organisation file: the periodic job marks the run
failed after SYNC_STUCK_AFTER without progress, and confirming it again finishes the work
(every step compares afresh with the portal, so what was done is not done twice)."""

import signal
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks_db.models import DBTaskResult

from accounts.models import Membership, Unit, User
from core.models import AuditEntry
from core.scheduling import run_periodic_jobs
from organisation import services
from organisation.models import SyncRun

from .processes import manage, wait_for
from .test_organisation_sync import csv_bytes, plan_of

PEOPLE = 3000  # enough that bringing them back (step 5) takes a few seconds
UNITS = 30


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["some_language"] = "en"


def big_file() -> bytes:
    per_unit = PEOPLE // UNITS
    rows = [("1", "Helse Vest HF", "", "helseføretak", "", "")]
    for n in range(UNITS):
        members = ";".join(f"p{i}@example.no" for i in range(n * per_unit, (n + 1) * per_unit))
        rows.append((str(100 + n), f"Avdeling {n}", "1", "avdeling", "", members))
    return csv_bytes(rows)


@pytest.fixture
def people_who_left(transactional_db):
    """PEOPLE people the register had, who left (deactivated); the file brings them all back."""
    User.objects.bulk_create(
        User(
            email=f"p{i}@example.no",
            full_name=f"Person {i}",
            password="!",
            is_active=False,
            in_register=True,
            inactive_reason=User.InactiveReason.LEFT_REGISTER,
        )
        for i in range(PEOPLE)
    )


def step_five() -> str:
    with translation.override(settings.LANGUAGE_CODE):  # the worker's language
        return _("Step %(step)s of %(steps)s: people who left or came back") % {"step": 5, "steps": 5}


def test_a_run_left_by_a_dead_worker_is_marked_failed_and_can_be_applied_again(client, people_who_left, run_worker):
    admin = User.objects.create_superuser("admin@example.no", "x", full_name="Tor Lunde")
    client.force_login(admin)
    run = services.sync_preview(content=big_file(), filename="org.csv", actor=admin)
    assert run.status == SyncRun.Status.PREVIEW and run.summary["counts"]["people_back"] == PEOPLE
    client.post(reverse("organisation:confirm", args=[run.pk]))

    # The real worker applies it, and dies (SIGKILL) in step 5.
    worker = manage("db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.1")
    try:
        wait_for(
            lambda: SyncRun.objects.filter(pk=run.pk, progress=step_five()).exists(),
            timeout=120,
            interval=0.02,
            what="the worker to reach step 5",
        )
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
    run.refresh_from_db()
    assert run.status == SyncRun.Status.RUNNING and run.progress == step_five()
    # Steps 1 to 4 were committed, step 5 was not.
    assert Unit.objects.count() == UNITS + 1 and Membership.objects.count() == PEOPLE
    assert User.objects.filter(is_active=True).count() == 1  # the administrator

    # Stuck: the same run cannot be confirmed, nor can another file.
    other = services.sync_preview(
        content=csv_bytes([("1", "Helse Vest HF", "", "helseføretak", "", "")]), filename="b.csv"
    )
    response = client.post(reverse("organisation:confirm", args=[other.pk]), {"confirmed": "1"}, follow=True)
    assert "Another organisation file is being applied" in response.content.decode()
    response = client.post(reverse("organisation:confirm", args=[run.pk]), follow=True)
    assert "already been applied, or cannot be" in response.content.decode()

    # The periodic job leaves a run with recent progress alone; after an hour without, it marks it failed.
    run_periodic_jobs(timezone.now())
    run.refresh_from_db()
    assert run.status == SyncRun.Status.RUNNING
    run_periodic_jobs(timezone.now() + services.SYNC_STUCK_AFTER + timedelta(minutes=5))
    run.refresh_from_db()
    assert run.status == SyncRun.Status.FAILED
    assert AuditEntry.objects.filter(action="organisation.sync_stopped").count() == 1
    page = client.get(reverse("organisation:run", args=[run.pk])).content.decode()
    assert 'id="sync-failed"' in page and "Apply the file again" in page and step_five() in page

    # Confirmed again: the worker finishes it, and nothing is done twice.
    client.post(reverse("organisation:confirm", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == SyncRun.Status.QUEUED
    run_worker()
    run.refresh_from_db()
    assert run.status == SyncRun.Status.APPLIED
    assert Unit.objects.count() == UNITS + 1 and Membership.objects.count() == PEOPLE
    assert User.objects.filter(is_active=True).count() == PEOPLE + 1
    assert AuditEntry.objects.filter(action="unit.created_from_register").count() == UNITS + 1
    assert AuditEntry.objects.filter(action="person.reactivated_by_register").count() == PEOPLE
    assert not plan_of(big_file()).has_changes
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 0


def test_a_run_marked_failed_while_it_waited_is_not_applied_by_a_late_worker(db):
    run = services.sync_preview(
        content=csv_bytes([("1", "Helse Vest HF", "", "helseføretak", "", "")]), filename="a.csv"
    )
    SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.FAILED)
    assert services.apply_sync_task.call(run.pk) == SyncRun.Status.FAILED
    assert not Unit.objects.exists()


def test_an_apply_whose_run_was_marked_failed_stops_at_its_next_step(db):
    run = services.sync_preview(
        content=csv_bytes([("1", "Helse Vest HF", "", "helseføretak", "", "")]), filename="a.csv"
    )

    def marked_failed_meanwhile(text):
        SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.FAILED)

    with pytest.raises(services.SyncStopped):
        services.sync_apply(run=run, progress=marked_failed_meanwhile)
    run.refresh_from_db()
    assert run.status == SyncRun.Status.FAILED
    assert not Unit.objects.exists()  # the step it stopped in was rolled back
