"""The plan list, creating a plan, the plan page, its versions and comparisons, and comments."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import organisations
from core.models import AuditEntry
from handbook.models import chapter_links, chapter_points

from .. import services
from .. import template_text as tt
from ..answer_time import answer_due
from ..forms import (
    ActionForm,
    CommentForm,
    PlanCreateForm,
)
from ..models import Plan, PlanComment, PlanStatus
from ..readiness import plan_problems
from ..snapshot import compare, plan_sections, plan_snapshot, title_change
from ..workflow import Role, available_transitions, can_edit, roles_for
from .common import CONFIRMATIONS, PAGE_SIZE, _plan, _queue_query


@login_required
def plan_list(request):
    plans = Plan.objects.visible_to(request.user).for_list()
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/plan_list.html",
        {"page": page, "status": status, "statuses": PlanStatus.choices, "can_create": bool(request.user.unit_ids())},
    )


@login_required
def plan_create(request):
    initial = {"unit": request.GET.get("unit")} if request.GET.get("unit") else {}
    form = PlanCreateForm(request.POST or None, user=request.user, initial=initial)
    if not form.fields["unit"].queryset.exists():
        messages.error(request, _("You are not a member of any unit yet. Ask an administrator to add you to yours."))
        return redirect("plans:list")
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(
            unit=form.cleaned_data["unit"], author=request.user, title=form.cleaned_data["title"]
        )
        messages.success(request, _("A new draft was created. Save as often as you like."))
        return redirect("plans:edit", pk=plan.pk)
    return render(
        request,
        "plans/plan_create.html",
        {"form": form, "introduction": tt.INTRODUCTION},
        status=400 if request.method == "POST" else 200,
    )


def _open_request(plan):
    """What the unit is asked to change, while it is asked: the adviser's request when
    changes are requested, or the leader's comment on a draft they returned."""
    if plan.status == PlanStatus.CHANGES_REQUESTED:
        kind = PlanComment.Kind.CHANGES_REQUESTED
    elif plan.status == PlanStatus.DRAFT and _last_step(plan) == "plan.return_to_author":
        kind = PlanComment.Kind.RETURNED
    else:
        return None
    return plan.comments.filter(kind=kind).select_related("author").order_by("-created_at", "-pk").first()


def _last_step(plan) -> str | None:
    return Plan.objects.with_last_step().filter(pk=plan.pk).values_list("last_step", flat=True).first()


def _leader_duties() -> list[str]:
    return chapter_points(tt.LEADER_CHAPTER, tt.LEADER_HEADING) or list(tt.LEADER_DUTIES)


def _sending_context(user, plan, transitions) -> dict:
    """What the forms that send the plan on need: the leader's duties and the chapter they
    come from, when the person is about to confirm."""
    if not any(t.name == "submit" for t in transitions):
        return {}
    return {"leader_duties": _leader_duties(), "leader_chapter": chapter_links({"leader": tt.LEADER_CHAPTER})}


@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    editable = can_edit(request.user, plan)
    transitions = available_transitions(request.user, plan)
    context = {
        "plan": plan,
        "sections": plan_sections(plan_snapshot(plan)),
        "transitions": transitions,
        "can_edit": editable,
        # An adviser of the plan's organisation opens its review from here.
        "reviews": request.user.advises(plan.unit.organisation_id),
        "can_delete": _can_delete(request.user, plan),
        "problems": plan_problems(plan) if editable else [],
        "guide": chapter_links(tt.CHAPTERS) if editable else {},
        "versions": plan.versions.select_related("submitted_by", "confirmed_by", "decided_by"),
        "comments": plan.comments.select_related("author"),
        "timeline": AuditEntry.objects.for_object(plan),
        "comment_form": CommentForm(),
        "action_form": ActionForm(),
        "introduction": tt.INTRODUCTION,
        "closing_note": tt.closing_note(organisations.get(plan.unit.organisation_id)),
        "change_request": _open_request(plan),
        "confirm": CONFIRMATIONS,
        **_sending_context(request.user, plan, transitions),
        **_plan_accounts(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


def _can_delete(user, plan) -> bool:
    return plan.status == PlanStatus.DRAFT and not plan.current_version and Role.UNIT in roles_for(user, plan)


def _plan_accounts(user, plan) -> dict:
    """The accounts made from an approved plan, and (for advisers) the platforms in the
    plan that have no account yet."""
    if plan.status != PlanStatus.APPROVED and not plan.accounts.exists():
        return {"accounts": [], "unregistered": []}
    accounts = list(plan.accounts.select_related("platform"))
    registered = {a.platform_id for a in accounts}
    unregistered = []
    if user.advises(plan.unit.organisation_id) and plan.status == PlanStatus.APPROVED:
        unregistered = [c.platform for c in plan.channels.all() if c.platform_id not in registered]
    return {"accounts": accounts, "unregistered": unregistered}


@login_required
def plan_sent(request, pk):
    """After sending: what happens next, and when."""
    plan = _plan(request, pk)
    if plan.status not in (PlanStatus.AWAITING_LEADER, PlanStatus.SUBMITTED, PlanStatus.IN_REVIEW):
        return redirect("plans:detail", pk=plan.pk)
    version = plan.versions.order_by("-number").first()
    context = {
        "plan": plan,
        "version": version,
        "leader": plan.unit.effective_leader(),
        "due": answer_due(plan.sent_at) if plan.sent_at else None,
        "working_days": settings.PLAN_ANSWER_WORKING_DAYS,
        "mailbox": organisations.get(plan.unit.organisation_id).mailbox,
    }
    return render(request, "plans/plan_sent.html", context)


@require_POST
@login_required
def plan_comment(request, pk):
    plan = _plan(request, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["body"][0])
        return redirect("plans:detail", pk=plan.pk)
    try:
        services.plan_comment_add(plan=plan, actor=request.user, body=form.cleaned_data["body"])
    except services.NotAllowed:
        raise PermissionDenied from None
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your comment was added."))
    back_to_review = request.POST.get("next") == "review" and request.user.advises(plan.unit.organisation_id)
    if back_to_review:
        return redirect(reverse("plans:review", args=[plan.pk]) + _queue_query(request))
    return redirect("plans:detail", pk=plan.pk)


@login_required
def plan_version(request, pk, number):
    plan = _plan(request, pk)
    version = get_object_or_404(
        plan.versions.select_related("submitted_by", "confirmed_by", "decided_by"), number=number
    )
    return render(
        request,
        "plans/plan_version.html",
        {"plan": plan, "version": version, "sections": plan_sections(version.snapshot)},
    )


def _comparison(plan, request):
    versions = {v.number: v for v in plan.versions.all()}
    if len(versions) < 2:
        return None
    try:
        new = int(request.GET.get("til") or max(versions))
        old = int(request.GET.get("fra") or new - 1)
    except ValueError:
        raise Http404 from None
    if old not in versions or new not in versions:
        raise Http404
    return {
        "old": versions[old],
        "new": versions[new],
        "changes": compare(versions[old].snapshot, versions[new].snapshot),
        "title_change": title_change(versions[old].snapshot, versions[new].snapshot),
        "numbers": sorted(versions),
    }


@login_required
def plan_compare(request, pk):
    plan = _plan(request, pk)
    comparison = _comparison(plan, request)
    if comparison is None:
        messages.info(request, _("There is only one version so far, so there is nothing to compare."))
        return redirect("plans:detail", pk=plan.pk)
    return render(request, "plans/plan_compare.html", {"plan": plan, **comparison})
