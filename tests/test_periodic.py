"""The periodic jobs: found in every app's periodic.py, run in order, one failure stops none."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import scheduling
from core.events import Subscriber
from core.models import OutboundEmail


def test_the_jobs_of_every_app_are_found_in_order():
    names = [job.name for job in scheduling.periodic_due.subscribers()]
    assert "core.periodic.send_due_mail" in names
    assert "accounts.periodic.forget_old_login_failures" in names
    orders = [job.order for job in scheduling.periodic_due.subscribers()]
    assert orders == sorted(orders)


@pytest.mark.django_db
def test_a_failing_job_is_logged_and_the_others_still_run(monkeypatch, caplog):
    ran = []

    def broken(now):
        raise RuntimeError("the disk is full")

    def working(now):
        ran.append(now)
        return "the working job ran"

    subscribers = scheduling.periodic_due._subscribers
    monkeypatch.setitem(subscribers, "tests.broken", Subscriber("tests.broken", broken, 1, False))
    monkeypatch.setitem(subscribers, "tests.working", Subscriber("tests.working", working, 2, False))
    now = timezone.now()
    lines = scheduling.run_periodic_jobs(now)
    assert ran == [now]
    assert "the working job ran" in lines
    assert "tests.broken: failed (see the log)" in lines
    assert "the disk is full" in caplog.text


@pytest.mark.django_db
def test_the_command_sends_mail_that_is_due(settings, smtp):
    OutboundEmail.objects.create(
        template="t", to=["a@example.no"], subject="Hei", body_text="Hei\n", next_attempt_at=timezone.now()
    )
    call_command("portal_periodic", verbosity=0)
    assert OutboundEmail.objects.get().status == OutboundEmail.Status.SENT
    assert len(smtp.messages) == 1
