"""The adviser's review queue, the review page and the decision."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import adviser_required
from core.confirm import confirmation_page, is_confirmed
from core.pagination import page_of

from .. import services
from ..answer_time import answer_due, is_overdue
from ..forms import (
    ActionForm,
    CommentForm,
    DecisionForm,
    QueueFilterForm,
)
from ..models import Plan, PlanStatus
from ..snapshot import compare, plan_sections, title_change
from ..workflow import available_transitions
from .common import CONFIRMATIONS, DONE_MESSAGES, PAGE_SIZE, _plan, _queue_params, _queue_query


@adviser_required
def review_queue(request):
    form = QueueFilterForm(_queue_params(request.GET) or None, user=request.user)
    plans = form.filter(Plan.objects.in_queue_of(request.user), request.user)
    # The page's ids from the index first: sorting every waiting plan's whole row was slow.
    page = page_of(
        plans,
        request.GET.get("page"),
        PAGE_SIZE,
        order_by=tuple(plans.query.order_by),
        fetch=lambda rows: rows.for_list(),
    )
    now = timezone.now()
    for plan in page:
        plan.days_waiting = (now - plan.sent_at).days if plan.sent_at else 0
        # The answer deadline, while the department owes the answer (not while the unit revises).
        owed = plan.sent_at is not None and plan.status != PlanStatus.CHANGES_REQUESTED
        plan.due = answer_due(plan.sent_at) if owed else None
        plan.overdue = owed and is_overdue(plan.sent_at, now)
    return render(
        request,
        "plans/review_queue.html",
        {"page": page, "form": form, "queue": _queue_params(request.GET).urlencode(), "filtered": bool(form.data)},
    )


def _next_in_queue(request, after: Plan):
    """The review page of the next plan in the queue as the adviser filtered it, or the
    queue itself when none is left."""
    params = _queue_params(QueryDict(request.POST.get("queue", "")))
    form = QueueFilterForm(params or None, user=request.user)
    upcoming = (
        form.filter(Plan.objects.in_queue_of(request.user), request.user)
        .exclude(pk=after.pk)
        .values_list("pk", flat=True)
    )
    query = f"?{params.urlencode()}" if params else ""
    following = upcoming.first()
    if following is None:
        return redirect(reverse("plans:queue") + query)
    return redirect(reverse("plans:review", args=[following]) + query)


def _review(request, plan, *, decision_form=None, status=200):
    version = plan.versions.select_related("submitted_by", "confirmed_by").order_by("-number").first()
    if version is None:
        messages.info(request, _("This plan has not been sent yet."))
        return redirect("plans:detail", pk=plan.pk)
    previous = plan.versions.filter(number=version.number - 1).first()
    transitions = available_transitions(request.user, plan)
    return render(
        request,
        "plans/plan_review.html",
        {
            "plan": plan,
            "version": version,
            "confirmed": version.last_confirmed(),
            "previous": previous,
            "sections": plan_sections(version.snapshot),
            "changes": compare(previous.snapshot, version.snapshot) if previous else None,
            "title_change": title_change(previous.snapshot, version.snapshot) if previous else None,
            "transitions": [t for t in transitions if t.name == "take"],
            "can_decide": any(t.name == "approve" for t in transitions),
            "decision_form": decision_form or DecisionForm(),
            "confirm_reject": CONFIRMATIONS["reject"],
            "comments": plan.comments.select_related("author"),
            "comment_form": CommentForm(),
            "action_form": ActionForm(),
            "queue": request.POST.get("queue", "")
            if request.method == "POST"
            else _queue_params(request.GET).urlencode(),
            "queue_query": _queue_query(request),
        },
        status=status,
    )


@adviser_required
def plan_review(request, pk):
    """The adviser's desk: the exact version under review, what changed, and the decision."""
    return _review(request, _plan(request, pk))


@require_POST
@adviser_required
def plan_decide(request, pk):
    """One decision on the version under review. A missing comment keeps the adviser on the
    review page with their text; a rejection is confirmed first; then on to the next plan."""
    plan = _plan(request, pk)
    form = DecisionForm(request.POST)
    if "back" in request.POST:  # back from the confirmation page, with the text as it was
        return _review(request, plan, decision_form=form)
    if not form.is_valid():
        messages.error(request, _("The decision was not saved. See the message by the decision."))
        return _review(request, plan, decision_form=form, status=400)
    decision, comment = form.cleaned_data["decision"], form.cleaned_data["comment"]
    if decision == "reject" and not is_confirmed(request):
        return confirmation_page(
            request,
            what=CONFIRMATIONS["reject"],
            action_url=reverse("plans:decide", args=[plan.pk]),
            subject=plan.title,
            cancel_post=True,
        )
    try:
        services.ACTIONS[decision](plan=plan, actor=request.user, comment=comment)
    except services.NotAllowed:
        raise PermissionDenied from None
    except services.PlanError as error:
        messages.error(request, error.message)
        return _review(request, plan, decision_form=form, status=400)
    messages.success(request, f"{DONE_MESSAGES[decision]} ({plan.title})")
    return _next_in_queue(request, plan)
