"""The outbox: every e-mail is stored first and sent by the background worker.

A message is three templates under templates/emails/<name>/: subject.txt, body.txt
and body.html. Storing before sending means an SMTP server that is down delays mail
but loses none, and the action that caused the mail never waits for or fails on it.

Delivery is at least once, with a stable Message-ID per message. A send is claimed
with a conditional update, so two workers never send the same message at once. If a
worker dies mid-send, nobody knows whether the mail server took the message; after
STUCK_AFTER the sweep marks it "outcome unknown" (visible in the outbox) and sends it
again with the same Message-ID.

A calendar invitation (an attachment of type `text/calendar; method=…`) goes out as
the message's own calendar part with that method, as Outlook requires (RFC 6047), and
also as a file for mail programs that only offer attachments.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .audit import audit_log
from .models import EmailAttachment, OutboundEmail

logger = logging.getLogger(__name__)

# After this many failed attempts (about three days with the back-off below) a
# message is marked as given up; it stays in the outbox and can be sent again.
MAX_ATTEMPTS = 40
# No send takes this long (SMTP_TIMEOUT bounds each step): a message still "sending"
# after it was left by a worker that stopped.
STUCK_AFTER = timedelta(hours=1)
UNCERTAIN_NOTE = (
    "The worker stopped while sending, before the mail server answered: the message may have been "
    "delivered. It is sent again with the same Message-ID."
)


@dataclass(frozen=True)
class Attachment:
    """A file to attach: its bytes, or a function (dotted path) the worker calls to make them."""

    filename: str
    mimetype: str
    content: bytes | None = None
    generator: str = ""
    generator_arg: int | None = None


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4 … minutes between tries, at most two hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 120))


def email_people(
    people, *, template: str, context: dict, attachments: tuple[Attachment, ...] = (), organisation=None
) -> int:
    """One message to each person, in their own language, with `recipient` in the context; a
    person appears once however often they are named. Nobody who has left (inactive) and
    nobody without an address gets mail. Returns how many messages were queued. `organisation`
    is whose message it is (see `email_queue`)."""
    queued = 0
    for person in {p.pk: p for p in people if p is not None}.values():
        if not person.is_active or not person.email:
            continue
        email_queue(
            template=template,
            to=[person.email],
            context={**context, "recipient": person},
            attachments=attachments,
            language=getattr(person, "language", None) or None,
            organisation=organisation,
        )
        queued += 1
    return queued


def email_queue(
    *,
    template: str,
    to: list[str],
    context: dict,
    attachments: tuple[Attachment, ...] = (),
    language: str | None = None,
    organisation=None,
) -> OutboundEmail:
    """Render a message and store it in the outbox; the worker sends it after commit.

    `organisation` (an accounts.Organisation) is whose message it is: the templates name it
    (`organisation` in their context) and it is sent from its sender address."""
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, "organisation": organisation, **context}
        subject = render_to_string(f"emails/{template}/subject.txt", context, using="text")
        body_text = render_to_string(f"emails/{template}/body.txt", context, using="text")
        body_html = render_to_string(f"emails/{template}/body.html", context)
    email = OutboundEmail.objects.create(
        template=template,
        to=sorted(set(to)),
        subject=" ".join(subject.split())[:300],
        body_text=body_text.strip() + "\n",
        body_html=body_html,
        from_email=organisation.from_email if organisation is not None else "",
        next_attempt_at=timezone.now(),
    )
    EmailAttachment.objects.bulk_create(
        EmailAttachment(
            email=email,
            filename=a.filename,
            mimetype=a.mimetype,
            content=a.content,
            generator=a.generator,
            generator_arg=a.generator_arg,
        )
        for a in attachments
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int, run_after=None) -> None:
    from .tasks import send_email

    task = send_email.using(run_after=run_after) if run_after else send_email
    task.enqueue(email_id)


def email_deliver(*, email_id: int) -> bool:
    """Send one stored message. Returns True when it went out now.

    The message is claimed with a conditional update first, so two workers (or a
    task and the periodic sweep) never send the same message twice.
    """
    claimed = OutboundEmail.objects.filter(pk=email_id, status__in=OutboundEmail.SENDABLE).update(
        status=OutboundEmail.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=timezone.now()
    )
    if not claimed:
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=email.from_email or settings.DEFAULT_FROM_EMAIL,
        to=email.to,
        headers={"Message-ID": email.message_id},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    try:
        for attachment in email.attachments.all():
            content = attachment.get_content()
            if attachment.mimetype.startswith("text/calendar;") and "method=" in attachment.mimetype:
                message.attach_alternative(content.decode(), attachment.mimetype)
                message.attach(attachment.filename, content, "application/ics")
            else:
                message.attach(attachment.filename, content, attachment.mimetype)
        mailers.default.send_messages([message])
    except Exception as error:  # the mail server or an attachment failed: keep it, try later
        now = timezone.now()
        gave_up = email.attempts >= MAX_ATTEMPTS
        email.status = OutboundEmail.Status.FAILED if gave_up else OutboundEmail.Status.PENDING
        email.last_error = f"{type(error).__name__}: {error}"[:2000]
        email.next_attempt_at = now + retry_delay(email.attempts)
        email.save(update_fields=["status", "last_error", "next_attempt_at"])
        logger.warning("E-mail %s not sent (attempt %s): %s", email.pk, email.attempts, error)
        if not gave_up:
            _enqueue(email.pk, run_after=email.next_attempt_at)
        return False
    email.status = OutboundEmail.Status.SENT
    email.sent_at = timezone.now()
    # After an unknown outcome the note stays: the recipient may have two copies.
    email.last_error = UNCERTAIN_NOTE if email.uncertain_sends else ""
    email.save(update_fields=["status", "sent_at", "last_error"])
    return True


def email_sweep(*, now=None) -> int:
    """Periodic safety net: send whatever is due, in case a queued task was lost.

    A message claimed by a worker that died mid-send is marked "outcome unknown" after
    STUCK_AFTER, and sent again (at least once, with the same Message-ID).
    """
    now = now or timezone.now()
    stuck = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENDING, next_attempt_at__lt=now - STUCK_AFTER)
    if stuck.update(
        status=OutboundEmail.Status.UNCERTAIN,
        uncertain_sends=F("uncertain_sends") + 1,
        last_error=UNCERTAIN_NOTE,
        next_attempt_at=now,
    ):
        logger.warning("E-mail: a worker stopped mid-send; the outcome is unknown and the message is sent again.")
    sent = 0
    for email_id in OutboundEmail.objects.due(now).values_list("pk", flat=True):
        sent += email_deliver(email_id=email_id)
    return sent


@transaction.atomic
def email_resend(*, email: OutboundEmail, actor) -> bool:
    """Give a message that was given up on a new round of attempts (an administrator, from the
    outbox). Audited, so it can be seen who sent a message again and when; a message not given
    up on is left alone and nothing is written. Returns whether it was queued again."""
    resent = OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.FAILED).update(
        status=OutboundEmail.Status.PENDING, attempts=0, next_attempt_at=timezone.now()
    )
    if not resent:
        return False
    audit_log(email, "email.resent", actor=actor, data={"template": email.template})
    transaction.on_commit(lambda: _enqueue(email.pk))
    return True
