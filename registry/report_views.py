from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.access import adviser_required
from core.models import AuditEntry
from platforms.models import Platform

from . import reports
from .models import Report, ReportStatus
from .report_forms import HONEYPOT, DecisionForm, ReportForm

PAGE_SIZE = 20
ALL = "all"


def report_create(request):
    """The public's form for reporting an account that pretends to be the hospital's."""
    status = 200
    limit_message = ""
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # A robot filled in the field people cannot see: it is thanked, and nothing is kept.
            return redirect("registry:report_thanks")
        form = ReportForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reports.report_submit(
                    url=data["url"],
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
                return redirect("registry:report_thanks")
        else:
            status = 400
    else:
        initial = {"url": request.GET.get("url", "")}
        platform = Platform.objects.filter(slug=request.GET.get("platform", "")).first()
        if platform:
            initial["platform"] = platform
        form = ReportForm(initial=initial)
    return render(
        request,
        "registry/reports/report_form.html",
        {"form": form, "limit_message": limit_message, "honeypot": HONEYPOT},
        status=status,
    )


def report_thanks(request):
    # The same words for every report: nothing here may depend on what was reported.
    return render(request, "registry/reports/report_thanks.html")


@adviser_required
def report_list(request):
    status = request.GET.get("status") or ReportStatus.NEW
    if status not in ReportStatus.values and status != ALL:
        status = ReportStatus.NEW
    queryset = reports.reports_for_queue(None if status == ALL else status)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    for report in page:
        report.link = reports.profile_link(report)
    return render(
        request,
        "registry/reports/report_list.html",
        {
            "page": page,
            "status": status,
            "statuses": [(ALL, _("All")), *ReportStatus.choices],
            "colors": reports.STATUS_COLORS,
        },
    )


@adviser_required
def report_detail(request, pk):
    report = get_object_or_404(Report.objects.select_related("platform", "account", "handled_by"), pk=pk)
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
        "others": reports.same_profile_reports(report),
        "timeline": AuditEntry.objects.for_object(report),
        "form": form,
        "colors": reports.STATUS_COLORS,
        "labels": dict(ReportStatus.choices),
    }
    return render(request, "registry/reports/report_detail.html", context, status=status)
