"""The public's reports of fake or unofficial accounts, and the advisers' decisions on them.

Anyone may report an account without logging in. What they are told afterwards is the
same for every report: the page never says whether the account is official, nor whether
someone else reported it first. Only the Communications Department sees that.

Limits are per sender and per sender's network, never for everyone together: a flood
from elsewhere never turns an honest report away. Every report that passes them is
stored. The department gets one e-mail per report while reports are few; when many
come in at once it gets one digest every DIGEST_INTERVAL instead (registry/periodic.py).
"""

import re
from datetime import timedelta
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts import organisations
from core.access import require_adviser
from core.audit import audit_log
from core.emails import email_queue
from core.errors import DomainError
from core.locks import hold, locked
from core.models import OutboundEmail
from core.net import client_address, network_of
from platforms.display import lookalikes_in
from platforms.profiles import NotAProfile, read_profile

from .models import REFERENCE_LENGTH, Account, Report, ReportStatus

# At most this many reports an hour from one client, and from one network (an IPv4 /24
# or IPv6 /64: a household, an office, a mobile customer): enough for a person who found
# a handful of fakes, too few for a flood from one place.
CLIENT_LIMIT_PER_HOUR = 5
NETWORK_LIMIT_PER_HOUR = 20
LIMIT_WINDOW = timedelta(hours=1)
# With this many reports in the last hour, the department gets a digest instead of one
# e-mail per report, at most one digest per DIGEST_INTERVAL.
DIGEST_AFTER = 10
DIGEST_INTERVAL = timedelta(minutes=15)
DIGEST_LIST_LIMIT = 50

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


def _keyed(kind: str, value: str) -> str:
    return salted_hmac(f"registry.reports.{kind}", value, algorithm="sha256").hexdigest()


def client_key(request) -> str:
    """A keyed hash of the sender's address: enough to count one client's reports,
    without keeping the address itself."""
    return _keyed("client", client_address(request) or "")


def network_key(request) -> str:
    """A keyed hash of the sender's network (IPv4 /24, IPv6 /64)."""
    return _keyed("network", network_of(client_address(request)) or "")


def check_rate(reports, client: str, network: str, *, mailbox: str = "") -> None:
    """Refuse a report from a client or network that has sent its hour's share of `reports` (a
    queryset of the kind being sent, with `created_at`, `client_key` and `network_key`); the
    public's reports of fake accounts and of barriers share these limits and words. The refusal
    offers `mailbox` (the receiving organisation's; COMMS_MAILBOX when not given)."""
    mailbox = mailbox or settings.COMMS_MAILBOX
    recent = reports.filter(created_at__gte=timezone.now() - LIMIT_WINDOW)
    counts = recent.filter(Q(client_key=client) | Q(network_key=network)).aggregate(
        client=Count("pk", filter=Q(client_key=client)), network=Count("pk", filter=Q(network_key=network))
    )
    if counts["client"] >= CLIENT_LIMIT_PER_HOUR:
        raise TooManyReports(
            _(
                "You have sent %(limit)s reports in the last hour, which is as many as we take from one "
                "sender. Your text is still in the form: wait an hour and send it again, or e-mail it to "
                "%(mailbox)s."
            )
            % {"limit": CLIENT_LIMIT_PER_HOUR, "mailbox": mailbox}
        )
    if network and counts["network"] >= NETWORK_LIMIT_PER_HOUR:
        raise TooManyReports(
            _(
                "We have had %(limit)s reports in the last hour from the network you are on, which is as many "
                "as we take from one place. Your text is still in the form: try again later, or e-mail it to "
                "%(mailbox)s."
            )
            % {"limit": NETWORK_LIMIT_PER_HOUR, "mailbox": mailbox}
        )


@transaction.atomic
def report_submit(
    *,
    url: str,
    what_is_wrong: str,
    client_key: str,
    organisation=None,
    network_key: str = "",
    platform=None,
    contact_email: str = "",
) -> Report:
    """Store a report from the public and tell the Communications Department of `organisation`
    (the one the sender said the account pretends to be; when not given, the organisation of the
    register's account for the address, else the portal's default): its mailbox gets the e-mail,
    and only its advisers see the report.

    The address is kept as typed. When it can be read as a profile, its canonical form
    and the register's account for it (if any) are stored too, so reports of the same
    profile find each other; an address that cannot be read is still taken."""
    typed = url.strip()
    try:
        profile = read_profile(typed, platform=platform)
    except NotAProfile:
        profile = None
    account = Account.objects.filter(url=profile.url).select_related("unit").first() if profile else None
    if organisation is None:
        organisation = organisations.get(account.unit.organisation_id) if account else organisations.default()
    # Counted and stored in one locked step, so parallel posts cannot pass the limits.
    hold(f"report:client:{client_key}", f"report:network:{network_key}")
    check_rate(Report.objects, client_key, network_key, mailbox=organisation.mailbox)
    report = Report(
        organisation=organisation,
        url=typed,
        platform=platform,
        what_is_wrong=what_is_wrong.strip(),
        contact_email=contact_email.strip().lower(),
        client_key=client_key,
        network_key=network_key,
    )
    if profile is not None:
        report.platform = profile.platform
        report.profile_url = profile.url
        report.account = account
    recent = Report.objects.of_organisation(organisation).filter(created_at__gte=timezone.now() - LIMIT_WINDOW)
    quiet = recent.count() < DIGEST_AFTER
    if quiet:
        report.notified_at = timezone.now()
    report.full_clean()
    report.save()
    audit_log(
        report,
        "report.received",
        data={"profile_url": report.profile_url, "account": report.account_id, "digest": not quiet},
    )
    if quiet:
        email_queue(
            template="report_received",
            to=[organisation.mailbox],
            context={"report": report, "lookalikes": lookalikes_in(report.profile_url or report.url)},
            language=organisation.language,
            organisation=organisation,
        )
    return report


@transaction.atomic
def report_digest_send(*, now) -> int:
    """Tell each organisation's department in one e-mail of its reports not yet mailed (when
    many came in at once). At most one round of digests per DIGEST_INTERVAL, one digest per
    organisation in it; returns how many reports they covered."""
    hold("report:digest")
    waiting = Report.objects.filter(notified_at__isnull=True, created_at__lte=now)
    if not waiting.exists():
        return 0
    last = OutboundEmail.objects.filter(template="report_digest").order_by("-created_at").first()
    if last is not None and last.created_at > now - DIGEST_INTERVAL:
        return 0
    reports = list(waiting.select_related("platform", "account").order_by("-created_at", "-pk"))
    Report.objects.filter(pk__in=[r.pk for r in reports]).update(notified_at=now)
    by_organisation: dict[int, list[Report]] = {}
    for report in reports:
        by_organisation.setdefault(report.organisation_id, []).append(report)
    for organisation_id, theirs in by_organisation.items():
        _digest(organisations.get(organisation_id), theirs)
    return len(reports)


def _digest(organisation, reports: list[Report]) -> None:
    # One line per address reported, the most reported first: a flood about one profile
    # is one line, and a single report about another profile is not buried under it.
    groups: dict[str, list[Report]] = {}
    for report in reports:
        groups.setdefault(report.profile_url or report.url, []).append(report)
    lines = sorted(groups.values(), key=lambda same: -len(same))
    email_queue(
        template="report_digest",
        to=[organisation.mailbox],
        context={
            "groups": [{"latest": same[0], "count": len(same)} for same in lines[:DIGEST_LIST_LIMIT]],
            "count": len(reports),
            "profiles": len(groups),
            "more": max(len(groups) - DIGEST_LIST_LIMIT, 0),
        },
        language=organisation.language,
        organisation=organisation,
    )


@transaction.atomic
def report_decide(*, report: Report, actor, status: str, note: str) -> Report:
    """An adviser's conclusion on a report, with the reason. Setting it back to "new"
    reopens it; that too needs a note, so the history explains itself."""
    require_adviser(
        actor,
        NotAllowed,
        _("Only the Communications Department can handle reports."),
        organisation_id=report.organisation_id,
    )
    if status not in ReportStatus.values:
        raise ReportError(_("Choose one of the outcomes in the list."))
    note = note.strip()
    if not note:
        raise ReportError(_("Write a short note on what you found, so others can see why."))
    current = locked(report)
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
        Report.objects.filter(profile_url=OuterRef("profile_url"), organisation_id=OuterRef("organisation_id"))
        .exclude(profile_url="")
        .exclude(pk=OuterRef("pk"))
        .order_by()
        .values("profile_url")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(others, output_field=IntegerField()), Value(0))


def reports_for_queue(user, status: str | None, *, query: str = ""):
    """The reports `user` handles (their organisation's), as the list shows them."""
    reports = (
        Report.objects.visible_to(user)
        .select_related("platform", "account__platform")
        .annotate(same_profile=same_profile_count())
    )
    if status:
        reports = reports.filter(status=status)
    if query:
        reports = reports.filter(matching(query))
    return reports


def matching(query: str) -> Q:
    """Reports with this reference (however it is typed), or whose address contains the text,
    as typed or as the canonical address spells it (characters outside ASCII percent-encoded)."""
    letters = re.sub(r"[^0-9A-Za-z]", "", query).upper()
    condition = Q(url__icontains=query) | Q(profile_url__icontains=quote(query, safe=":/?&=@%#+"))
    if len(letters) == REFERENCE_LENGTH:
        condition |= Q(reference=f"{letters[:4]}-{letters[4:]}")
    return condition


def same_profile_reports(report: Report):
    if not report.profile_url:
        return Report.objects.none()
    same = Report.objects.of_organisation(report.organisation_id).filter(profile_url=report.profile_url)
    return same.exclude(pk=report.pk).select_related("platform")


def profile_link(report: Report) -> str:
    """The canonical profile address, when there is one safe to link to."""
    url = report.profile_url
    return url if url.startswith(("https://", "http://")) else ""
