from urllib.parse import urlencode

from django.contrib import messages
from django.core import signing
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts import organisations
from core.access import adviser_required, get_visible_or_404
from core.models import AuditEntry
from registry import reports
from registry.models import new_reference
from registry.report_forms import HONEYPOT

from . import selectors, services
from .addresses import organisation_of_page, portal_path
from .forms import BarrierReportForm, CloseForm
from .models import BarrierReport, BarrierStatus
from .results import read_results

# The footer's link to the form passes the page the person was on as ?fra=<its path>.
CAME_FROM = "fra"
PAGE_SIZE = 20
ALL = "all"
STATUS_COLORS = {BarrierStatus.NEW: "warning", BarrierStatus.CLOSED: "neutral"}
UUTILSYNET_URL = "https://www.uutilsynet.no/"


def statement(request):
    """The portal's own accessibility statement, in the structure of Digdir's statements
    (uustatus.no): the standard, the status, the known deviations and the last check (both
    from the check's results file, accessibility/results.py), feedback, and the right to
    complain to Uutilsynet.

    Not kept whole in the shared cache (core/pagecache.py): a kept copy would outlive a release
    whose check found other deviations, and the page costs one small file read."""
    results = read_results()
    language = get_language() or "nb"
    deviations = []
    if results is not None:
        for deviation in results.deviations:
            # A text not written in the page's language is marked with its own (WCAG 3.1.2).
            text, written_in = deviation.text(language)
            where, where_in = deviation.place(language)
            deviations.append(
                {
                    "criterion": deviation.criterion,
                    "where": where,
                    "where_lang": where_in if where_in and where_in != language else "",
                    "text": text,
                    "lang": written_in if written_in != language else "",
                }
            )
    context = {
        "results": results,
        "deviations": deviations,
        "external_statement": selectors.external_statement_url(request),
        "report_url": reverse("accessibility:barrier_report"),
        "uutilsynet_url": UUTILSYNET_URL,
    }
    return render(request, "accessibility/statement.html", context)


def _came_from(request) -> str:
    """The portal page the person came from: ?fra=, else the Referer; never one of the
    accessibility pages themselves (the statement, this form)."""
    for address in (request.GET.get(CAME_FROM, ""), request.META.get("HTTP_REFERER", "")):
        path = portal_path(address, request)
        if path and not path.startswith(_own_prefix()):
            return path
    return ""


def _own_prefix() -> str:
    return reverse("accessibility:statement")


def barrier_report(request):
    """The form for telling us about a barrier: public, and for logged-in people too. The report
    goes to the organisation of the page it is about (accessibility.addresses.organisation_of_page),
    and the form names that organisation's department and mailbox."""
    status = 200
    limit_message = ""
    if request.method == "POST":
        organisation = organisation_of_page(portal_path(request.POST.get("page", ""), request) or "", request)
        if request.POST.get(HONEYPOT):
            # A robot filled in the field people cannot see: thanked like anyone else, nothing kept.
            return _thanks(new_reference(), organisation=organisation)
        form = BarrierReportForm(request.POST, request=request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = services.barrier_report_submit(
                    what_was_hard=data["what_was_hard"],
                    page=data["page"],
                    contact_email=data["contact_email"],
                    language=get_language() or "",
                    sender=request.user,
                    client_key=reports.client_key(request),
                    network_key=reports.network_key(request),
                    organisation=organisation,
                )
            except reports.TooManyReports as error:
                limit_message = error.message
                status = 429
            else:
                return _thanks(report.reference, receipt=bool(report.contact_email), organisation=organisation)
        else:
            status = 400
    else:
        initial = {"page": _came_from(request)}
        organisation = organisation_of_page(initial["page"], request)
        if request.user.is_authenticated:
            initial["contact_email"] = request.user.email
        form = BarrierReportForm(initial=initial, request=request)
    request.organisation = organisation  # the header, the footer and the texts name it
    return render(
        request,
        "accessibility/barrier_form.html",
        {"form": form, "limit_message": limit_message, "honeypot": HONEYPOT},
        status=status,
    )


THANKS_SALT = "accessibility.barrier_reference"
THANKS_VALID = 60 * 60 * 24


def _thanks(reference: str, *, organisation, receipt: bool = False):
    # The reference rides in the address, signed, as for the reports of fake accounts, with the
    # organisation the report went to, whose department and mailbox the page names.
    signed = signing.dumps({"ref": reference, "receipt": receipt, "org": organisation.pk}, salt=THANKS_SALT)
    return redirect(f"{reverse('accessibility:barrier_thanks')}?{urlencode({'ref': signed})}")


def barrier_thanks(request):
    try:
        data = signing.loads(request.GET.get("ref", ""), salt=THANKS_SALT, max_age=THANKS_VALID)
    except signing.BadSignature:
        data = {}
    organisation = organisations.get(data.get("org"))
    if organisation is not None:
        request.organisation = organisation
    return render(
        request,
        "accessibility/barrier_thanks.html",
        {"reference": data.get("ref", ""), "receipt": data.get("receipt", False)},
    )


@adviser_required
def barrier_list(request):
    status = request.GET.get("status") or BarrierStatus.NEW
    if status not in BarrierStatus.values and status != ALL:
        status = BarrierStatus.NEW
    page = Paginator(selectors.barrier_reports(request.user, None if status == ALL else status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "accessibility/barrier_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [*BarrierStatus.choices, (ALL, _("All"))],
            "colors": STATUS_COLORS,
        },
    )


@adviser_required
def barrier_detail(request, pk):
    report = get_visible_or_404(BarrierReport.objects.select_related("sender", "closed_by"), request.user, pk=pk)
    status = 200
    if request.method == "POST":
        form = CloseForm(request.POST)
        if form.is_valid():
            try:
                services.barrier_report_close(report=report, actor=request.user, note=form.cleaned_data["note"])
            except services.BarrierError as error:
                messages.error(request, error.message)
                status = 400
            else:
                messages.success(request, _("The barrier report is closed. Your note was saved."))
                return redirect("accessibility:barrier_detail", pk=report.pk)
        else:
            status = 400
    else:
        form = CloseForm()
    context = {
        "report": report,
        "form": form,
        "timeline": AuditEntry.objects.for_object(report),
        "colors": STATUS_COLORS,
    }
    return render(request, "accessibility/barrier_detail.html", context, status=status)
