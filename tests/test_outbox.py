"""Mail leaves through the stored outbox, sent by the real worker to a real SMTP server."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.emails import MAX_ATTEMPTS, email_deliver, email_resend, email_sweep
from core.models import AuditEntry, OutboundEmail
from plans import services
from plans.models import PlanStatus


def test_a_submission_reaches_the_mailbox_with_text_html_and_pdf(
    make_plan, cast, smtp, run_worker, settings, django_capture_on_commit_callbacks
):
    plan = make_plan("draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=plan, actor=cast["leader"])
    run_worker()
    [to_department] = smtp.to(settings.COMMS_MAILBOX)
    assert "Blodbanken i Bergen" in to_department["subject"]
    text = to_department.get_body(preferencelist=("plain",)).get_content()
    html = to_department.get_body(preferencelist=("html",)).get_content()
    assert "Definerte kommunikasjonsmål" in text and "Nye givarar" in text
    assert "Definerte kommunikasjonsmål" in html and "Nye givarar" in html
    [pdf] = list(to_department.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content().startswith(b"%PDF")
    assert len(smtp.to(cast["member"].email)) == 1  # the receipt
    assert len(smtp.to(cast["leader"].email)) == 1
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}


def test_a_mail_server_that_is_down_delays_mail_but_loses_none_and_sends_none_twice(
    make_plan, cast, settings, run_worker, django_capture_on_commit_callbacks
):
    from .mailserver import MailServer

    server = MailServer()  # not started yet: the port refuses connections
    settings.MAILERS = server.mailers()
    plan = make_plan("draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=plan, actor=cast["leader"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED  # the submission did not wait for or fail on the mail
    run_worker()
    waiting = OutboundEmail.objects.all()
    assert waiting.count() == 3
    assert all(e.status == OutboundEmail.Status.PENDING and e.attempts == 1 and e.last_error for e in waiting)

    server.start()
    try:
        later = timezone.now() + timedelta(minutes=5)
        assert email_sweep(now=later) == 3
        assert email_sweep(now=later) == 0  # nothing is sent twice
        run_worker()  # the retries queued earlier find the mail already sent
        assert len(server.messages) == 3
        assert len({m["Message-ID"] for m in server.messages}) == 3
    finally:
        server.stop()
    assert set(OutboundEmail.objects.values_list("status", flat=True)) == {OutboundEmail.Status.SENT}


def test_a_message_being_sent_by_another_worker_is_not_sent_again(make_plan, cast, smtp):
    plan = make_plan("draft")
    services.plan_submit(plan=plan, actor=cast["leader"])
    email = OutboundEmail.objects.first()
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.SENDING)
    assert email_deliver(email_id=email.pk) is False
    assert smtp.messages == []


def test_after_many_failures_a_message_is_kept_as_given_up_and_can_be_sent_again(
    make_plan, cast, settings, smtp, run_worker, django_capture_on_commit_callbacks
):
    plan = make_plan("draft")
    services.plan_send_to_leader(plan=plan, actor=cast["member"])
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(attempts=MAX_ATTEMPTS)
    settings.MAILERS = {"default": {**smtp.mailers()["default"], "OPTIONS": {"host": "127.0.0.1", "port": 1}}}
    assert email_deliver(email_id=email.pk) is False
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    settings.MAILERS = smtp.mailers()
    with django_capture_on_commit_callbacks(execute=True):
        assert email_resend(email=email, actor=cast["admin"]) is True
    entry = AuditEntry.objects.get(action="email.resent")
    assert (entry.target_id, entry.actor) == (email.pk, cast["admin"])
    assert entry.data == {"template": email.template}
    run_worker()
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert len(smtp.messages) == 1
    # A message that was not given up on is not queued again, and nothing is written.
    assert email_resend(email=email, actor=cast["admin"]) is False
    assert AuditEntry.objects.filter(action="email.resent").count() == 1


@pytest.mark.parametrize("field", ["main_target_group", "content_types", "other_resources"])
def test_html_typed_into_the_plan_is_text_in_the_mail(field, make_plan, cast, smtp, run_worker, settings):
    script = '<script>alert("x")</script>'
    plan = make_plan("draft", **{field: script})
    services.plan_submit(plan=plan, actor=cast["leader"])
    email = OutboundEmail.objects.get(template="plan_submitted")
    assert script in email.body_text  # plain text shows exactly what was typed
    assert script not in email.body_html
    assert "&lt;script&gt;" in email.body_html


def test_receipts_are_written_in_the_recipients_language(make_plan, cast):
    cast["leader"].language = "en"
    cast["leader"].save()
    cast["member"].language = "nn"
    cast["member"].save()
    plan = make_plan("draft")
    services.plan_submit(plan=plan, actor=cast["leader"])
    english = OutboundEmail.objects.get(template="plan_receipt", to=[cast["leader"].email])
    nynorsk = OutboundEmail.objects.get(template="plan_receipt", to=[cast["member"].email])
    assert english.subject.startswith("Receipt")
    assert english.subject != nynorsk.subject


# A worker that dies mid-send: at least once, with a stable Message-ID, and it shows.


class SwallowsFirstMessage:
    """A mail server that takes the first message and then never answers (the worker is
    killed while it waits); later messages get the usual 250."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import asyncio
        import email
        import email.policy

        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        if len(self.messages) == 1:
            await asyncio.sleep(3600)
        return "250 OK"


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_leaves_a_visible_uncertain_send_and_no_running_task(
    make_plan, cast, settings, client
):
    import signal

    from aiosmtpd.controller import Controller
    from django.tasks import TaskResultStatus
    from django.urls import reverse
    from django_tasks_db.models import DBTaskResult

    from core.scheduling import run_periodic_jobs

    from .mailserver import free_port
    from .processes import manage, portal_env, wait_for

    handler, port = SwallowsFirstMessage(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    worker = None
    try:
        plan = make_plan("draft")
        services.plan_send_to_leader(plan=plan, actor=cast["member"])  # one e-mail, to the leader
        email = OutboundEmail.objects.get()
        worker = manage(
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0.2",
            env=portal_env(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TIMEOUT=3600),
        )
        wait_for(lambda: handler.messages, what="the mail server to receive the message")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)

        email.refresh_from_db()
        assert email.status == OutboundEmail.Status.SENDING
        assert DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).count() == 1

        # The periodic jobs, an hour and more later.
        later = timezone.now() + timedelta(hours=1, minutes=5)
        run_periodic_jobs(later)
        run_periodic_jobs(later)

        assert not DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).exists()
        email.refresh_from_db()
        assert email.status == OutboundEmail.Status.SENT and email.uncertain_sends == 1
        assert "may have been delivered" in email.last_error
        first, second = handler.messages
        assert first["Message-ID"] == second["Message-ID"] == email.message_id

        # The administrator sees it in the outbox.
        client.force_login(cast["admin"])
        client.cookies["some_language"] = "en"
        page = client.get(reverse("admin:core_outboundemail_changelist")).content.decode()
        assert "Sent again after an unknown outcome" in page
    finally:
        if worker and worker.poll() is None:
            worker.kill()
        controller.stop()


def test_an_uncertain_message_is_waiting_to_be_sent_again_and_says_so(make_plan, cast, client):
    plan = make_plan("draft")
    services.plan_send_to_leader(plan=plan, actor=cast["member"])
    OutboundEmail.objects.update(
        status=OutboundEmail.Status.SENDING, next_attempt_at=timezone.now() - timedelta(hours=2)
    )
    from django.test import override_settings

    from core.emails import STUCK_AFTER

    # The sweep runs with no mail server reachable: the message waits for its retry, marked.
    unreachable = {"default": {"BACKEND": "django.core.mail.backends.smtp.EmailBackend", "OPTIONS": {"port": 1}}}
    with override_settings(MAILERS=unreachable):
        email_sweep(now=timezone.now() + STUCK_AFTER)
    email = OutboundEmail.objects.get()
    assert email.uncertain_sends == 1 and email.status == OutboundEmail.Status.PENDING
    client.force_login(cast["admin"])
    client.cookies["some_language"] = "en"
    page = client.get("/admin/core/outboundemail/").content.decode()
    assert "outcome is unknown" in page


@pytest.mark.django_db
def test_message_ids_are_unique_after_a_restore_and_name_the_portals_host(smtp, settings):
    """The probe: `<outbox-<pk>@some-portalen>` came again after a restore (the row numbers are
    handed out again) and was the same on every installation. A retry keeps its own."""
    settings.SITE_URL = "https://some.helse-bergen.no"
    first = OutboundEmail.objects.create(
        template="t", to=["a@example.no"], subject="Fyrste", body_text="x", next_attempt_at=timezone.now()
    )
    assert email_deliver(email_id=first.pk)
    number = first.pk
    first.delete()  # a restore of a backup taken before it: its number is free again
    second = OutboundEmail.objects.create(
        pk=number, template="t", to=["a@example.no"], subject="Andre", body_text="x", next_attempt_at=timezone.now()
    )
    assert email_deliver(email_id=second.pk)
    OutboundEmail.objects.filter(pk=second.pk).update(status=OutboundEmail.Status.UNCERTAIN)
    assert email_deliver(email_id=second.pk)  # sent again: the same message, the same ID
    one, two, again = (message["Message-ID"] for message in smtp.messages)
    assert one != two == again
    assert two.endswith("@some.helse-bergen.no>") and "outbox" not in two
