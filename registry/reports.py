"""The public's reports of fake or unofficial accounts, and the advisers' decisions on them.

Anyone may report an account without logging in. What they are told afterwards is the
same for every report: the page never says whether the account is official, nor whether
someone else reported it first. Only the Communications Department sees that.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log
from core.emails import email_queue
from core.errors import DomainError
from platforms.profiles import NotAProfile, read_profile

from .models import Account, Report, ReportStatus

# At most this many reports an hour from one client, and from everyone together: enough
# for a person who found a handful of fakes, too few for a flood.
CLIENT_LIMIT_PER_HOUR = 5
TOTAL_LIMIT_PER_HOUR = 200
LIMIT_WINDOW = timedelta(hours=1)

# The status tag's colour for each status.
STATUS_COLORS = {
    ReportStatus.NEW: "warning",
    ReportStatus.FAKE: "danger",
    ReportStatus.UNOFFICIAL: "warning",
    ReportStatus.OFFICIAL: "success",
    ReportStatus.DISMISSED: "neutral",
}


class ReportError(DomainError):
    pass


class NotAllowed(ReportError):
    pass


class TooManyReports(ReportError):
    pass


def client_key(request) -> str:
    """A keyed hash of the sender's network address: enough to count one client's
    reports, without keeping the address itself."""
    address = request.META.get("REMOTE_ADDR") or ""
    return salted_hmac("registry.reports.client", address, algorithm="sha256").hexdigest()


def _check_rate(key: str) -> None:
    recent = Report.objects.filter(created_at__gte=timezone.now() - LIMIT_WINDOW)
    if recent.filter(client_key=key).count() >= CLIENT_LIMIT_PER_HOUR:
        raise TooManyReports(
            _(
                "You have sent %(limit)s reports in the last hour, which is as many as we take from one "
                "sender. Your text is still in the form: wait an hour and send it again, or e-mail it to "
                "%(mailbox)s."
            )
            % {"limit": CLIENT_LIMIT_PER_HOUR, "mailbox": settings.COMMS_MAILBOX}
        )
    if recent.count() >= TOTAL_LIMIT_PER_HOUR:
        raise TooManyReports(
            _(
                "We are receiving unusually many reports right now and cannot take more this hour. Your "
                "text is still in the form: try again later, or e-mail it to %(mailbox)s."
            )
            % {"mailbox": settings.COMMS_MAILBOX}
        )


@transaction.atomic
def report_submit(*, url: str, what_is_wrong: str, client_key: str, platform=None, contact_email: str = "") -> Report:
    """Store a report from the public and tell the Communications Department.

    The address is kept as typed. When it can be read as a profile, its canonical form
    and the register's account for it (if any) are stored too, so reports of the same
    profile find each other; an address that cannot be read is still taken."""
    _check_rate(client_key)
    typed = url.strip()
    report = Report(
        url=typed,
        platform=platform,
        what_is_wrong=what_is_wrong.strip(),
        contact_email=contact_email.strip().lower(),
        client_key=client_key,
    )
    try:
        profile = read_profile(typed, platform=platform)
    except NotAProfile:
        pass
    else:
        report.platform = profile.platform
        report.profile_url = profile.url
        report.account = Account.objects.filter(url=profile.url).first()
    report.full_clean()
    report.save()
    audit_log(
        report,
        "report.received",
        data={"profile_url": report.profile_url, "account": report.account_id},
    )
    email_queue(
        template="report_received",
        to=[settings.COMMS_MAILBOX],
        context={"report": report},
        language=settings.LANGUAGE_CODE,
    )
    return report


@transaction.atomic
def report_decide(*, report: Report, actor, status: str, note: str) -> Report:
    """An adviser's conclusion on a report, with the reason. Setting it back to "new"
    reopens it; that too needs a note, so the history explains itself."""
    if not (actor.is_authenticated and actor.is_adviser):
        raise NotAllowed(_("Only the Communications Department can handle reports."))
    if status not in ReportStatus.values:
        raise ReportError(_("Choose one of the outcomes in the list."))
    note = note.strip()
    if not note:
        raise ReportError(_("Write a short note on what you found, so others can see why."))
    current = Report.objects.select_for_update().get(pk=report.pk)
    previous = current.status
    current.status = status
    current.note = note
    current.handled_by = actor
    current.handled_at = timezone.now()
    current.save(update_fields=["status", "note", "handled_by", "handled_at", "updated_at"])
    audit_log(current, "report.decided", actor=actor, data={"from": previous, "to": status, "note": note})
    return current


def same_profile_count():
    """How many other reports name the same readable profile (0 when the address could not be read)."""
    others = (
        Report.objects.filter(profile_url=OuterRef("profile_url"))
        .exclude(profile_url="")
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("profile_url")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(others, output_field=IntegerField()), Value(0))


def reports_for_queue(status: str | None):
    reports = Report.objects.select_related("platform", "account__platform").annotate(same_profile=same_profile_count())
    if status:
        reports = reports.filter(status=status)
    return reports


def same_profile_reports(report: Report):
    if not report.profile_url:
        return Report.objects.none()
    return Report.objects.filter(profile_url=report.profile_url).exclude(pk=report.pk).select_related("platform")


def profile_link(report: Report) -> str:
    """The canonical profile address, when there is one safe to link to."""
    url = report.profile_url
    return url if url.startswith(("https://", "http://")) else ""
