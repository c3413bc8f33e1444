from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts import organisations
from core.access import adviser_required, get_visible_or_404
from core.models import AuditEntry
from platforms.display import lookalikes_in, readable_address
from platforms.models import Platform

from . import reports
from .models import Account, Report, ReportStatus, new_reference
from .report_forms import HONEYPOT, DecisionForm, ReportForm

PAGE_SIZE = 20
ALL = "all"


def report_create(request):
    """The public's form for reporting an account that pretends to be an organisation's: the
    organisation is the page's (or the copied account's) unless the person chooses another."""
    status = 200
    limit_message = ""
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # A robot filled in the field people cannot see: it is thanked like anyone else, with
            # a reference of its own, and nothing is kept.
            posted = request.POST.get("organisation", "")
            chosen = organisations.get(int(posted)) if posted.isdigit() and len(posted) < 10 else None
            return _thanks(request, new_reference(), chosen or request.organisation)
        form = ReportForm(request.POST)
        copy_of = _copied_account(request.POST.get("copy_of", ""))
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = reports.report_submit(
                    url=data["url"],
                    organisation=data["organisation"] or _default_organisation(request, copy_of),
                    platform=data["platform"],
                    what_is_wrong=data["what_is_wrong"],
                    contact_email=data["contact_email"],
                    client_key=reports.client_key(request),
                    network_key=reports.network_key(request),
                )
            except reports.TooManyReports as error:
                limit_message = error.message
                status = 429
            else:
                return _thanks(request, report.reference, report.organisation)
        else:
            status = 400
    else:
        copy_of = _copied_account(request.GET.get(COPY_OF, ""))
        # An address from the verify page comes decoded, as the person saw it.
        initial = {"url": readable_address(request.GET.get("url", ""))}
        platform = Platform.objects.filter(slug=request.GET.get("platform", "")).first()
        initial["organisation"] = _default_organisation(request, copy_of)
        if copy_of:
            platform = copy_of.platform
            initial["what_is_wrong"] = _(
                "It looks like a copy of the official account “%(name)s” of %(organisation)s on %(platform)s (%(url)s)."
            ) % {
                "name": copy_of.display_name,
                "organisation": initial["organisation"].name,
                "platform": copy_of.platform.name,
                "url": readable_address(copy_of.url),
            }
        if platform:
            initial["platform"] = platform
        form = ReportForm(initial=initial)
    return render(
        request,
        "registry/reports/report_form.html",
        {"form": form, "limit_message": limit_message, "honeypot": HONEYPOT, "copy_of": copy_of},
        status=status,
    )


def _default_organisation(request, copy_of):
    """Whom the form offers first: the copied account's organisation, else the one the link names
    (?organisation=<slug>, from an organisation's start page), else the page's (a region has no register of its own: its first member organisation is offered instead)."""
    if copy_of is not None:
        return organisations.get(copy_of.unit.organisation_id)
    current = organisations.by_slug(request.GET.get("organisation", "")) or request.organisation
    if current.is_region:
        members = [o for o in organisations.all_organisations() if o.region_id == current.pk and o.is_active]
        return members[0] if members else organisations.default()
    return current


# The public account page links to the form with ?kopi=<its code>: "report a copy of this account".
COPY_OF = "kopi"


def _copied_account(code: str):
    """The official account a reported copy imitates, when the form was opened from its page."""
    if not code or len(code) > 12:
        return None
    return Account.objects.known().select_related("platform", "unit").filter(code=code.lower()).first()


def _thanks(request, reference: str, organisation):
    # The reference (and whom the report went to) rides in the address, signed, not in a
    # session: a report from the public leaves no row behind but the report itself.
    signed = signing.dumps([reference, organisation.slug], salt=THANKS_SALT)
    return redirect(f"{reverse('registry:report_thanks')}?{urlencode({'ref': signed})}")


THANKS_SALT = "registry.report_reference"
THANKS_VALID = 60 * 60 * 24


def report_thanks(request):
    # The same words for every report: nothing here may depend on what was reported. Only the
    # reference differs, so the person can quote it if they write to us about the report.
    try:
        reference, slug = signing.loads(request.GET.get("ref", ""), salt=THANKS_SALT, max_age=THANKS_VALID)
    except (signing.BadSignature, ValueError, TypeError):
        reference, slug = "", ""
    receiver = organisations.by_slug(slug) or request.organisation
    return render(request, "registry/reports/report_thanks.html", {"reference": reference, "receiver": receiver})


@adviser_required
def report_list(request):
    query = request.GET.get("q", "").strip()[:200]
    # A search (a reference someone quotes, or an address) looks through every status unless one is chosen.
    status = request.GET.get("status") or (ALL if query else ReportStatus.NEW)
    if status not in ReportStatus.values and status != ALL:
        status = ReportStatus.NEW
    queryset = reports.reports_for_queue(request.user, None if status == ALL else status, query=query)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page:
        report.link = reports.profile_link(report)
    return render(
        request,
        "registry/reports/report_list.html",
        {
            "page": page,
            "status": status,
            "query": query,
            "statuses": [(ALL, _("All")), *ReportStatus.choices],
            "colors": reports.STATUS_COLORS,
        },
    )


@adviser_required
def report_detail(request, pk):
    report = get_visible_or_404(Report.objects.select_related("platform", "account", "handled_by"), request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                decided = reports.report_decide(
                    report=report,
                    actor=request.user,
                    status=form.cleaned_data["status"],
                    note=form.cleaned_data["note"],
                )
            except reports.ReportError as error:
                messages.error(request, error.message)
                status = 400
            else:
                messages.success(
                    request,
                    _("The report is now “%(status)s”. Your note was saved.")
                    % {"status": decided.get_status_display()},
                )
                return redirect("registry:report_detail", pk=report.pk)
        else:
            status = 400
    else:
        form = DecisionForm(initial={"status": report.status})
    context = {
        "report": report,
        "link": reports.profile_link(report),
        "lookalikes": lookalikes_in(report.profile_url or report.url),
        "others": reports.same_profile_reports(report),
        "timeline": AuditEntry.objects.for_object(report),
        "form": form,
        "colors": reports.STATUS_COLORS,
        "labels": dict(ReportStatus.choices),
    }
    return render(request, "registry/reports/report_detail.html", context, status=status)
