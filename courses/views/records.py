"""People's records: one's own, a person's, the certificate, and the competence overview of an organisation."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.models import User
from core.access import get_visible_or_404
from core.pagination import page_of
from registry.models import Account, AccountStatus

from ..certificate import certificate_filename, render_certificate
from ..competence import missing_for
from ..forms import CompetenceFilterForm
from ..models import (
    Completion,
    EditorStatus,
    Enrollment,
    required_courses,
)
from ..remedies import may_see_record
from ..selectors import accounts_at_risk
from .base import ACCOUNTS_NAMED, AT_RISK_SHOWN, PEOPLE_PAGE_SIZE

# A person's record, the overview and the certificate.


@login_required
def my_record(request):
    return _record(request, request.user)


@login_required
def person_record(request, pk):
    """Someone else's record: for the Communications Department, and a leader of their unit."""
    person = get_object_or_404(User, pk=pk)
    if person.pk == request.user.pk:
        return redirect("courses:record")
    if not may_see_record(request.user, person):
        raise Http404
    return _record(request, person)


def _record(request, user):
    today = timezone.localdate()
    completions = list(Completion.objects.filter(user=user).select_related("course"))
    current, history = {}, []
    for completion in completions:  # newest first
        if completion.course_id in current:
            history.append(completion)
        else:
            current[completion.course_id] = completion
    # Looked up from the person's side (each way has its index), a few of them named.
    open_accounts = Account.objects.exclude(status=AccountStatus.CLOSED)
    edited = list(open_accounts.filter(editor=user).order_by().values_list("pk", flat=True)[:ACCOUNTS_NAMED])
    deputy = Account.deputies.through.objects.filter(user=user).exclude(account__status=AccountStatus.CLOSED)
    edited += list(deputy.values_list("account_id", flat=True)[:ACCOUNTS_NAMED])
    accounts = list(
        Account.objects.filter(pk__in=edited[:ACCOUNTS_NAMED]).select_related("platform").order_by("display_name")
    )
    enrollments = (
        Enrollment.objects.active()
        .filter(user=user, session__ends_at__gte=timezone.now())
        .select_related("session__course")
        .order_by("session__starts_at")
    )
    context = {
        "current": list(current.values()),
        "history": history,
        "today": today,
        "accounts": accounts,
        "missing": missing_for([user]).get(user.pk, []) if accounts else [],
        "required": required_courses(user.organisation_id),
        "enrollments": enrollments,
        "has_feed": user.calendar_feeds.usable().exists(),
        "person": user,
        "own": user.pk == request.user.pk,
        "may_download": user.pk == request.user.pk or request.user.advises(user.organisation_id),
    }
    return render(request, "courses/my_record.html", context)


@login_required
def certificate(request, pk):
    """One's own certificate, or for an adviser one of their organisation's people's."""
    completion = get_visible_or_404(Completion.objects.select_related("user", "course"), request.user, pk=pk)
    response = HttpResponse(render_certificate(completion), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate_filename(completion)}"'
    return response


@login_required
def competence(request):
    """Who edits accounts, and whether each holds the courses their organisation requires: a
    unit leader for the units they lead, the advisers for their whole organisation, with the
    accounts at risk. Read from EditorStatus, so the page costs the same with 200 editors or
    20,000 staff."""
    user = request.user
    advised = user.advised_organisation_ids()
    if not (advised or user.led_unit_ids()):
        raise PermissionDenied
    form = CompetenceFilterForm(request.GET or None)
    people = EditorStatus.objects.visible_to(user)
    totals = people.aggregate(total=Count("pk"), lacking=Count("pk", filter=Q(trained=False)))
    shown = people
    if form.is_valid():
        if form.cleaned_data["only_missing"]:
            shown = shown.filter(trained=False)
        if form.cleaned_data["q"]:
            shown = shown.filter(name__icontains=form.cleaned_data["q"])
    page = page_of(
        shown,
        request.GET.get("page"),
        PEOPLE_PAGE_SIZE,
        order_by=("name", "user_id"),
        fetch=lambda rows: rows.select_related("user").only(
            # The organisation too: each person's gaps are measured against their organisation's courses.
            "user__full_name",
            "user__email",
            "user__language",
            "user__organisation",
            "trained",
            "accounts",
            "examples",
        ),
    )
    missing = missing_for([status.user for status in page.object_list])
    at_risk = accounts_at_risk(user)
    context = {
        "form": form,
        "page": page,
        "rows": [(s.user, missing.get(s.pk, []), s.examples, s.accounts) for s in page.object_list],
        "total": totals["total"],
        "lacking": totals["lacking"],
        "at_risk_count": at_risk.count(),
        # The most recently flagged first, from the (training_missing, updated_at) index: in
        # name order the database sorted every account at risk to show the first few.
        "at_risk": at_risk.select_related("platform", "unit").order_by("-updated_at", "-pk")[:AT_RISK_SHOWN],
        "required": required_courses(user.organisation_id),
        "whole_organisation": bool(advised),
    }
    return render(request, "courses/competence.html", context)
