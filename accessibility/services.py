"""Barrier reports: someone could not use a part of the portal, and tells us.

Anyone may report, logged in or not. The report waits in the advisers' tasks
(accessibility/worklist.py) until an adviser closes it with a note, and the department's
mailbox is told. A sender who gives an address gets a receipt with the reference.

The guards against abuse are those of the public's reports of fake accounts
(registry/reports.py), whose limits and keyed client hashes this module uses: at most
CLIENT_LIMIT_PER_HOUR reports an hour from one client and NETWORK_LIMIT_PER_HOUR from one
network, counted and stored in one locked step; the form's hidden field and its length
limits are registry/report_forms.py's. Two guards are this module's own, because a barrier
report mails people: a receipt repeats nothing the sender wrote (so it cannot carry a
message to someone else's inbox), and one address gets at most RECEIPTS_PER_DAY receipts a
day; and when many reports come at once, the department gets one summary every
SUMMARY_INTERVAL instead of one e-mail each (accessibility/periodic.py).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.access import require_adviser
from core.audit import audit_log
from core.emails import email_queue
from core.errors import DomainError
from core.locks import hold, locked
from core.models import OutboundEmail
from registry.reports import LIMIT_WINDOW, check_rate

from .models import BarrierReport, BarrierStatus

RECEIPTS_PER_DAY = 3
# With this many barrier reports in the last hour, the department gets a summary instead of
# one e-mail per report, at most one per SUMMARY_INTERVAL.
SUMMARY_AFTER = 10
SUMMARY_INTERVAL = timedelta(minutes=15)


class BarrierError(DomainError):
    pass


class NotAllowed(BarrierError):
    pass


@transaction.atomic
def barrier_report_submit(
    *,
    what_was_hard: str,
    client_key: str,
    network_key: str = "",
    page: str = "",
    contact_email: str = "",
    language: str = "",
    sender=None,
) -> BarrierReport:
    """Store a barrier report, tell the department and send the sender a receipt.

    `page` must already be a path on the portal (accessibility.addresses.portal_path)."""
    hold(f"barrier:client:{client_key}", f"barrier:network:{network_key}")
    check_rate(BarrierReport.objects, client_key, network_key)
    now = timezone.now()
    email = contact_email.strip().lower()
    report = BarrierReport(
        what_was_hard=what_was_hard.strip(),
        page=page,
        contact_email=email,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        sender=sender if sender is not None and sender.is_authenticated else None,
        client_key=client_key,
        network_key=network_key,
    )
    quiet = BarrierReport.objects.filter(created_at__gte=now - LIMIT_WINDOW).count() < SUMMARY_AFTER
    if quiet:
        report.notified_at = now
    report.full_clean()
    report.save()
    receipt = bool(email) and (
        BarrierReport.objects.filter(contact_email=email, created_at__gte=now - timedelta(days=1))
        .exclude(pk=report.pk)
        .count()
        < RECEIPTS_PER_DAY
    )
    audit_log(
        report,
        "barrier.received",
        actor=report.sender,
        data={"page": page, "receipt": receipt, "summary": not quiet},
    )
    if quiet:
        email_queue(
            template="barrier_report_received",
            to=[settings.COMMS_MAILBOX],
            context={"report": report},
            language=settings.LANGUAGE_CODE,
        )
    if receipt:
        email_queue(
            template="barrier_report_receipt",
            to=[email],
            context={"report": report, "COMMS_MAILBOX": settings.COMMS_MAILBOX},
            language=report.language,
        )
    return report


@transaction.atomic
def barrier_summary_send(*, now) -> int:
    """Tell the department in one e-mail of the barrier reports not yet mailed (when many
    came at once). At most one summary per SUMMARY_INTERVAL; returns how many it covered."""
    hold("barrier:summary")
    waiting = BarrierReport.objects.filter(notified_at__isnull=True, created_at__lte=now)
    count = waiting.count()
    if not count:
        return 0
    last = OutboundEmail.objects.filter(template="barrier_report_summary").order_by("-created_at").first()
    if last is not None and last.created_at > now - SUMMARY_INTERVAL:
        return 0
    waiting.update(notified_at=now)
    email_queue(
        template="barrier_report_summary",
        to=[settings.COMMS_MAILBOX],
        context={"count": count},
        language=settings.LANGUAGE_CODE,
    )
    return count


@transaction.atomic
def barrier_report_close(*, report: BarrierReport, actor, note: str) -> BarrierReport:
    """An adviser closes a barrier report, saying what was done or why nothing was."""
    require_adviser(actor, NotAllowed, _("Only the Communications Department can handle barrier reports."))
    note = note.strip()
    if not note:
        raise BarrierError(_("Write a short note on what was done, so others can see it."))
    current = locked(report)
    if current.status == BarrierStatus.CLOSED:
        raise BarrierError(_("This report has already been closed."))
    current.status = BarrierStatus.CLOSED
    current.note = note
    current.closed_by = actor
    current.closed_at = timezone.now()
    current.save(update_fields=["status", "note", "closed_by", "closed_at", "updated_at"])
    audit_log(current, "barrier.closed", actor=actor, data={"note": note})
    return current
