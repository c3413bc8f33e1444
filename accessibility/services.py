"""Barrier reports: someone could not use a part of the portal, and tells us.

Anyone may report, logged in or not. The report belongs to the organisation whose pages the
person was on: it waits in that organisation's advisers' tasks (accessibility/worklist.py)
until one of them closes it with a note, and that organisation's department's mailbox is told. A sender who gives an address gets a receipt with the reference.

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

from accounts import organisations
from core.access import require_adviser
from core.audit import audit_log
from core.emails import email_queue
from core.errors import DomainError
from core.locks import hold, locked
from core.models import OutboundEmail
from registry.reports import LIMIT_WINDOW, check_rate

from .models import BarrierReport, BarrierStatus, StatementLink
from .selectors import forget_links

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
    organisation,
) -> BarrierReport:
    """Store a barrier report, tell the organisation's department and send the sender a receipt.

    `organisation` is the organisation whose pages the person was on; `page` must already be a
    path on the portal (accessibility.addresses.portal_path)."""
    hold(f"barrier:client:{client_key}", f"barrier:network:{network_key}")
    check_rate(BarrierReport.objects, client_key, network_key)
    now = timezone.now()
    email = contact_email.strip().lower()
    report = BarrierReport(
        organisation=organisation,
        what_was_hard=what_was_hard.strip(),
        page=page,
        contact_email=email,
        language=language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE,
        sender=sender if sender is not None and sender.is_authenticated else None,
        client_key=client_key,
        network_key=network_key,
    )
    recent = BarrierReport.objects.of_organisation(organisation).filter(created_at__gte=now - LIMIT_WINDOW)
    quiet = recent.count() < SUMMARY_AFTER
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
            to=[organisation.mailbox],
            context={"report": report},
            language=settings.LANGUAGE_CODE,
            organisation=organisation,
        )
    if receipt:
        email_queue(
            template="barrier_report_receipt",
            to=[email],
            context={"report": report, "COMMS_MAILBOX": organisation.mailbox},
            language=report.language,
            organisation=organisation,
        )
    return report


@transaction.atomic
def barrier_summary_send(*, now) -> int:
    """Tell each organisation's department in one e-mail of its barrier reports not yet mailed
    (when many came at once). At most one summary per organisation per SUMMARY_INTERVAL; returns
    how many reports the summaries covered."""
    hold("barrier:summary")
    waiting = BarrierReport.objects.filter(notified_at__isnull=True, created_at__lte=now)
    covered = 0
    for organisation_id in sorted(set(waiting.values_list("organisation_id", flat=True))):
        organisation = organisations.get(organisation_id)
        if organisation is None:
            continue
        own = waiting.filter(organisation_id=organisation_id)
        count = own.count()
        last = (
            OutboundEmail.objects.filter(template="barrier_report_summary", to=[organisation.mailbox])
            .order_by("-created_at")
            .first()
        )
        if last is not None and last.created_at > now - SUMMARY_INTERVAL:
            continue
        own.update(notified_at=now)
        email_queue(
            template="barrier_report_summary",
            to=[organisation.mailbox],
            context={"count": count},
            language=settings.LANGUAGE_CODE,
            organisation=organisation,
        )
        covered += count
    return covered


@transaction.atomic
def barrier_report_close(*, report: BarrierReport, actor, note: str) -> BarrierReport:
    """An adviser closes a barrier report, saying what was done or why nothing was."""
    require_adviser(
        actor,
        NotAllowed,
        _("Only the Communications Department can handle barrier reports."),
        organisation_id=report.organisation_id,
    )
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


@transaction.atomic
def statement_link_save(*, link: StatementLink, actor) -> StatementLink:
    """Set an organisation's own accessibility statement (the administration)."""
    link.full_clean()
    link.save()
    audit_log(link, "accessibility.statement_link", actor=actor, data={"url": link.url})
    transaction.on_commit(forget_links)
    return link


@transaction.atomic
def statement_link_delete(*, link: StatementLink, actor) -> None:
    """The organisation goes back to the portal's statement."""
    audit_log(link, "accessibility.statement_link_removed", actor=actor, data={"url": link.url})
    link.delete()
    transaction.on_commit(forget_links)
