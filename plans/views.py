from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.access import adviser_required, get_visible_or_404
from core.models import AuditEntry
from core.pagination import page_of
from handbook.models import chapter_links
from platforms.models import Platform

from . import services, stash
from . import template_text as tt
from .docx import blank_template_docx
from .forms import ActionForm, ChannelFormSet, CommentForm, GoalFormSet, PlanCreateForm, PlanForm
from .models import Plan, PlanStatus
from .pdf import plan_pdf_filename, render_plan_pdf
from .readiness import plan_problems
from .snapshot import compare, plan_sections, plan_snapshot
from .workflow import EDITABLE_STATES, TRANSITIONS, available_transitions, can_edit

PAGE_SIZE = 25


def _plan(request, pk) -> Plan:
    return get_visible_or_404(Plan.objects.with_details(), request.user, pk=pk)


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
    form = PlanCreateForm(request.POST or None, user=request.user)
    if not form.fields["unit"].queryset.exists():
        messages.error(request, _("You are not a member of any unit yet. Ask an administrator to add you to yours."))
        return redirect("plans:list")
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(unit=form.cleaned_data["unit"], author=request.user)
        messages.success(request, _("A new draft was created. Save as often as you like."))
        return redirect("plans:edit", pk=plan.pk)
    return render(request, "plans/plan_create.html", {"form": form, "introduction": tt.INTRODUCTION})


@login_required
def plan_detail(request, pk):
    plan = _plan(request, pk)
    editable = can_edit(request.user, plan)
    context = {
        "plan": plan,
        "sections": plan_sections(plan_snapshot(plan)),
        "transitions": available_transitions(request.user, plan),
        "can_edit": editable,
        "problems": plan_problems(plan) if editable else [],
        "guide": chapter_links(tt.CHAPTERS) if editable else {},
        "versions": plan.versions.select_related("submitted_by", "confirmed_by"),
        "comments": plan.comments.select_related("author"),
        "timeline": AuditEntry.objects.for_object(plan),
        "comment_form": CommentForm(),
        "action_form": ActionForm(),
        "introduction": tt.INTRODUCTION,
        "closing_note": tt.closing_note(),
        **_plan_accounts(request.user, plan),
    }
    return render(request, "plans/plan_detail.html", context)


def _plan_accounts(user, plan) -> dict:
    """The accounts made from an approved plan, and (for advisers) the platforms in the
    plan that have no account yet."""
    if plan.status != PlanStatus.APPROVED and not plan.accounts.exists():
        return {"accounts": [], "unregistered": []}
    accounts = list(plan.accounts.select_related("platform"))
    registered = {a.platform_id for a in accounts}
    unregistered = []
    if user.is_adviser and plan.status == PlanStatus.APPROVED:
        unregistered = [c.platform for c in plan.channels.all() if c.platform_id not in registered]
    return {"accounts": accounts, "unregistered": unregistered}


def _forms(plan, data=None):
    channel_platforms = Platform.objects.filter(is_active=True) | Platform.objects.filter(
        pk__in=[c.platform_id for c in plan.channels.all()]
    )
    initial_goals = [g.as_dict() for g in plan.goals.all()]
    initial_channels = [{"platform": c.platform, "justification": c.justification} for c in plan.channels.all()]
    initial = {
        "revision": plan.revision,
        "main_target_group": plan.main_target_group,
        "secondary_target_groups": plan.secondary_target_groups,
        "content_types": plan.content_types,
        "content_themes": plan.content_themes,
        "content_frequency": plan.content_frequency,
        "editor": plan.editor,
        "deputies": list(plan.deputies.all()),
        "hours_per_week": plan.hours_per_week,
        "other_resources": plan.other_resources,
    }
    form = PlanForm(data, plan=plan, initial=initial)
    goals = GoalFormSet(data, prefix="goals", initial=initial_goals)
    channels = ChannelFormSet(
        data, prefix="channels", initial=initial_channels, form_kwargs={"platforms": channel_platforms.distinct()}
    )
    return form, goals, channels


def _content(form, goals, channels) -> services.PlanContent:
    data = form.cleaned_data
    return services.PlanContent(
        main_target_group=data["main_target_group"],
        secondary_target_groups=data["secondary_target_groups"],
        content_types=data["content_types"],
        content_themes=data["content_themes"],
        content_frequency=data["content_frequency"],
        editor=data["editor"],
        deputies=list(data["deputies"]),
        hours_per_week=data["hours_per_week"],
        other_resources=data["other_resources"],
        goals=[{k: v for k, v in row.items() if k != "DELETE"} for row in goals.cleaned_rows()],
        channels=[
            {"platform": row["platform"], "justification": row["justification"]} for row in channels.cleaned_rows()
        ],
    )


def plan_edit(request, pk):
    if not request.user.is_authenticated:
        if request.method == "POST":
            stash.keep(request, pk)
        return redirect_to_login(request.get_full_path())

    plan = _plan(request, pk)
    if not can_edit(request.user, plan):
        if plan.status not in EDITABLE_STATES:
            messages.error(
                request,
                _("This plan is “%(status)s” and cannot be edited now.") % {"status": plan.get_status_display()},
            )
            return redirect("plans:detail", pk=plan.pk)
        raise PermissionDenied

    conflict_plan = None
    stashed = stash.take(request, pk)
    if request.method == "POST" or stashed is not None:
        data = request.POST if request.method == "POST" else _querydict(stashed)
        form, goals, channels = _forms(plan, data)
        if stashed is not None and request.method != "POST":
            messages.warning(
                request,
                _("You were logged out while writing. We kept what you wrote: check it and save."),
            )
        elif form.is_valid() & goals.is_valid() & channels.is_valid():
            try:
                services.plan_update(
                    plan=plan,
                    actor=request.user,
                    revision=form.cleaned_data["revision"],
                    content=_content(form, goals, channels),
                )
            except services.EditConflict as conflict:
                conflict_plan = Plan.objects.with_details().get(pk=conflict.plan.pk)
                messages.error(request, conflict.message)
            except services.PlanError as error:
                messages.error(request, error.message)
                return redirect("plans:detail", pk=plan.pk)
            else:
                messages.success(request, _("The plan was saved."))
                if "save_and_view" in request.POST:
                    return redirect("plans:detail", pk=plan.pk)
                return redirect("plans:edit", pk=plan.pk)
        else:
            messages.error(
                request, _("Some fields need attention. Nothing you wrote has been lost: see the messages below.")
            )
    else:
        form, goals, channels = _forms(plan)

    context = {
        "plan": plan,
        "form": form,
        "goals": goals,
        "channels": channels,
        "fields": {f.key: f for f in tt.FIELDS},
        "introduction": tt.INTRODUCTION,
        "closing_note": tt.closing_note(),
        "problems": plan_problems(plan),
        "guide": chapter_links(tt.CHAPTERS),
        "conflict_sections": plan_sections(plan_snapshot(conflict_plan)) if conflict_plan else None,
        "conflict_plan": conflict_plan,
        "stash_token": stash.token(request.user, plan),
    }
    status = 409 if conflict_plan else (400 if request.method == "POST" else 200)
    return render(request, "plans/plan_edit.html", context, status=status)


def _querydict(stashed: dict):
    from django.http import QueryDict

    data = QueryDict(mutable=True)
    for key, values in stashed.items():
        data.setlist(key, values)
    return data


@require_POST
@login_required
def plan_action(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404
    plan = _plan(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["comment"][0])
        return redirect("plans:detail", pk=plan.pk)
    service = services.ACTIONS[action]
    kwargs = {"plan": plan, "actor": request.user}
    if TRANSITIONS[action].needs_comment or action == "approve":
        kwargs["comment"] = form.cleaned_data["comment"]
    try:
        service(**kwargs)
    except services.NotAllowed:
        raise PermissionDenied from None
    except services.PlanError as error:  # wrong state, not ready, comment missing: nothing changed
        messages.error(request, error.message)
        return redirect("plans:detail", pk=plan.pk)
    messages.success(request, DONE_MESSAGES[action])
    if action == "take":
        return redirect("plans:review", pk=plan.pk)
    return redirect("plans:detail", pk=plan.pk)


DONE_MESSAGES = {
    "send_to_leader": _("The plan was sent to the leader for confirmation."),
    "submit": _("The plan was sent to the Communications Department. A receipt is on its way by e-mail."),
    "return_to_author": _("The plan was returned to the author."),
    "resubmit": _("The revised plan was sent to the Communications Department."),
    "withdraw": _("The plan was withdrawn."),
    "reopen": _("The plan is a draft again."),
    "take": _("You have taken the plan. The unit can see that it is in review."),
    "request_changes": _("The unit was asked for changes and has been told by e-mail."),
    "approve": _("The plan was approved and the unit has been told by e-mail."),
    "reject": _("The plan was rejected and the unit has been told by e-mail."),
}


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
    back_to_review = request.POST.get("next") == "review" and request.user.is_adviser
    return redirect("plans:review" if back_to_review else "plans:detail", pk=plan.pk)


@login_required
def plan_pdf(request, pk, number=None):
    plan = _plan(request, pk)
    version = get_object_or_404(plan.versions, number=number) if number else None
    response = HttpResponse(render_plan_pdf(plan, version), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{plan_pdf_filename(plan, number)}"'
    return response


@login_required
def plan_version(request, pk, number):
    plan = _plan(request, pk)
    version = get_object_or_404(plan.versions.select_related("submitted_by", "confirmed_by"), number=number)
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


@adviser_required
def review_queue(request):
    # The page's ids from the index first: sorting every waiting plan's whole row was slow.
    page = page_of(
        Plan.objects.awaiting_review(),
        request.GET.get("page"),
        PAGE_SIZE,
        order_by=("submitted_at", "pk"),
        fetch=lambda rows: rows.for_list(),
    )
    today = timezone.now()
    for plan in page:
        plan.days_waiting = (today - plan.submitted_at).days if plan.submitted_at else 0
    return render(request, "plans/review_queue.html", {"page": page})


@adviser_required
def plan_review(request, pk):
    """The adviser's desk: the exact version under review, what changed, and the decision."""
    plan = _plan(request, pk)
    version = plan.versions.order_by("-number").first()
    if version is None:
        messages.info(request, _("This plan has not been sent yet."))
        return redirect("plans:detail", pk=plan.pk)
    previous = plan.versions.filter(number=version.number - 1).first()
    return render(
        request,
        "plans/plan_review.html",
        {
            "plan": plan,
            "version": version,
            "previous": previous,
            "sections": plan_sections(version.snapshot),
            "changes": compare(previous.snapshot, version.snapshot) if previous else None,
            "transitions": available_transitions(request.user, plan),
            "comments": plan.comments.select_related("author"),
            "comment_form": CommentForm(),
            "action_form": ActionForm(),
        },
    )


def template_docx(request):
    response = HttpResponse(
        blank_template_docx(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = 'attachment; filename="plan-for-sosiale-medier-mal.docx"'
    return response
