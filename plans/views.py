from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.access import adviser_required, get_visible_or_404
from core.confirm import confirmation_page, is_confirmed
from core.models import AuditEntry
from core.pagination import page_of
from handbook.models import chapter_links, chapter_points
from platforms.models import Platform

from . import services, stash
from . import template_text as tt
from .answer_time import answer_due, is_overdue
from .docx import blank_template_docx
from .forms import (
    ActionForm,
    ChannelFormSet,
    CommentForm,
    DecisionForm,
    GoalFormSet,
    PlanCreateForm,
    PlanForm,
    QueueFilterForm,
)
from .models import Plan, PlanComment, PlanStatus
from .pdf import plan_pdf_filename, render_plan_pdf
from .readiness import Draft, draft_problems, plan_problems
from .snapshot import compare, plan_sections, plan_snapshot, title_change
from .workflow import EDITABLE_STATES, TRANSITIONS, Role, available_transitions, can_edit, may, roles_for

PAGE_SIZE = 25
# The transitions that send the plan on, which the edit page offers once it is ready.
SENDING = ("send_to_leader", "submit", "resubmit")


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
        "can_delete": _can_delete(request.user, plan),
        "problems": plan_problems(plan) if editable else [],
        "guide": chapter_links(tt.CHAPTERS) if editable else {},
        "versions": plan.versions.select_related("submitted_by", "confirmed_by", "decided_by"),
        "comments": plan.comments.select_related("author"),
        "timeline": AuditEntry.objects.for_object(plan),
        "comment_form": CommentForm(),
        "action_form": ActionForm(),
        "introduction": tt.INTRODUCTION,
        "closing_note": tt.closing_note(),
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
    if user.is_adviser and plan.status == PlanStatus.APPROVED:
        unregistered = [c.platform for c in plan.channels.all() if c.platform_id not in registered]
    return {"accounts": accounts, "unregistered": unregistered}


def _forms(plan, data=None, add: str = ""):
    channel_platforms = Platform.objects.filter(is_active=True) | Platform.objects.filter(
        pk__in=[c.platform_id for c in plan.channels.all()]
    )
    initial_goals = [g.as_dict() for g in plan.goals.all()]
    initial_channels = [{"platform": c.platform, "justification": c.justification} for c in plan.channels.all()]
    initial = {
        "revision": plan.revision,
        "title": plan.title,
        "main_target_group": plan.main_target_group,
        "secondary_target_groups": plan.secondary_target_groups,
        "content_types": plan.content_types,
        "content_themes": plan.content_themes,
        "content_frequency": plan.content_frequency,
        "editor": plan.editor,
        "deputies": list(plan.deputies.all()),
        "hours_per_week": plan.hours_per_week,
        "other_resources": plan.other_resources,
        "change_note": plan.change_note,
    }
    form = PlanForm(data, plan=plan, initial=initial)
    goals = GoalFormSet(data, prefix="goals", initial=initial_goals)
    channels = ChannelFormSet(
        data, prefix="channels", initial=initial_channels, form_kwargs={"platforms": channel_platforms.distinct()}
    )
    # One empty row where there is none yet, or where the writer asked for another.
    goals.extra = 1 if not initial_goals or add == "goal" else 0
    channels.extra = 1 if not initial_channels or add == "channel" else 0
    return form, goals, channels


def _content(form, goals, channels) -> services.PlanContent:
    data = form.cleaned_data
    return services.PlanContent(
        title=data["title"],
        main_target_group=data["main_target_group"],
        secondary_target_groups=data["secondary_target_groups"],
        content_types=data["content_types"],
        content_themes=data["content_themes"],
        content_frequency=data["content_frequency"],
        editor=data["editor"],
        deputies=list(data["deputies"]),
        hours_per_week=data["hours_per_week"],
        other_resources=data["other_resources"],
        change_note=data["change_note"],
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
                saved = services.plan_update(
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
                return _after_save(request, saved)
        else:
            messages.error(
                request, _("Some fields need attention. Nothing you wrote has been lost: see the messages below.")
            )
    else:
        form, goals, channels = _forms(plan, add=request.GET.get("ny", ""))

    transitions = [t for t in available_transitions(request.user, plan) if t.name in SENDING]
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
        "change_request": _open_request(plan),
        "send": transitions[0] if transitions else None,
        "live_url": reverse("plans:readiness", args=[plan.pk]),
        **_sending_context(request.user, plan, transitions),
    }
    status = 409 if conflict_plan else (400 if request.method == "POST" else 200)
    return render(request, "plans/plan_edit.html", context, status=status)


def _after_save(request, plan):
    """Where a saved form goes next: on to sending, a new empty row, the plan, or back."""
    if request.POST.get("send") in SENDING:
        return _send(request, plan, request.POST["send"])
    messages.success(request, _("The plan was saved."))
    for kind in ("goal", "channel"):
        if f"add_{kind}" in request.POST:
            return redirect(reverse("plans:edit", args=[plan.pk]) + f"?ny={kind}#{kind}s")
    if "save_and_view" in request.POST:
        return redirect("plans:detail", pk=plan.pk)
    return redirect("plans:edit", pk=plan.pk)


def _send(request, plan, action: str, *, change_note: str = "", revision: int | None = None):
    """Send the plan on (to the leader, or to the department), then to the page that says
    what happens next. Nothing is sent while the plan is not ready."""
    kwargs = {"plan": plan, "actor": request.user}
    if action == "resubmit":
        kwargs["change_note"] = change_note
    if action == "submit":
        kwargs["revision"] = plan.revision if revision is None else revision
    try:
        services.ACTIONS[action](**kwargs)
    except services.NotAllowed:
        raise PermissionDenied from None
    except services.NotReady as error:
        messages.error(request, _("The plan was saved, but not sent: %(reason)s") % {"reason": error.message})
        return redirect("plans:edit", pk=plan.pk)
    except services.PlanError as error:
        messages.error(request, error.message)
        return redirect("plans:detail", pk=plan.pk)
    return redirect("plans:sent", pk=plan.pk)


def _querydict(stashed: dict):
    data = QueryDict(mutable=True)
    for key, values in stashed.items():
        data.setlist(key, values)
    return data


@require_POST
@login_required
def plan_readiness(request, pk):
    """The readiness panel for the form as it is being typed, not yet saved."""
    plan = _plan(request, pk)
    if not can_edit(request.user, plan):
        raise PermissionDenied
    form, goals, channels = _forms(plan, request.POST)
    form.is_valid()
    goals.is_valid()
    channels.is_valid()
    data = form.cleaned_data
    draft = Draft(
        goals=[f.cleaned_data for f in goals.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")],
        main_target_group=data.get("main_target_group", ""),
        channels=[
            (f.cleaned_data["platform"].name, f.cleaned_data.get("justification", ""))
            for f in channels.forms
            if f.cleaned_data.get("platform") and not f.cleaned_data.get("DELETE")
        ],
        content_types=data.get("content_types", ""),
        editor_id=data["editor"].pk if data.get("editor") else None,
        deputy_ids=[d.pk for d in data.get("deputies") or []],
        hours_per_week=data.get("hours_per_week"),
        has_leader=plan.unit.effective_leader() is not None,
    )
    transitions = [t for t in available_transitions(request.user, plan) if t.name in SENDING]
    context = {
        "plan": plan,
        "form": form,
        "problems": draft_problems(draft),
        "guide": chapter_links(tt.CHAPTERS),
        "send": transitions[0] if transitions else None,
        "live": True,
        # The panel that replaces this one asks the same address again.
        "live_url": reverse("plans:readiness", args=[plan.pk]),
        **_sending_context(request.user, plan, transitions),
    }
    return render(request, "plans/_readiness.html", context)


CONFIRMATIONS = {
    "withdraw": {
        "title": gettext_lazy("Withdraw the plan?"),
        "consequences": [
            gettext_lazy(
                "It leaves the Communications Department's queue; an adviser working on it is told by e-mail."
            ),
            gettext_lazy("The unit can reopen it as a draft later and send it again."),
        ],
        "button": gettext_lazy("Yes, withdraw the plan"),
    },
    "reject": {
        "title": gettext_lazy("Do not approve the plan?"),
        "consequences": [
            gettext_lazy("The plan ends here: it cannot be revised and sent again."),
            gettext_lazy("The unit's leader and the author are told by e-mail, with your reason."),
        ],
        "button": gettext_lazy("Yes, do not approve the plan"),
    },
    "delete": {
        "title": gettext_lazy("Delete the draft?"),
        "consequences": [
            gettext_lazy("The draft and everything written in it are deleted; it disappears from every list."),
            gettext_lazy("Nobody has been sent it. The audit log keeps a note of who deleted it, and when."),
        ],
        "button": gettext_lazy("Yes, delete the draft"),
    },
}


@require_POST
@login_required
def plan_action(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404
    plan = _plan(request, pk)
    form = ActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, next(iter(form.errors.values()))[0])
        return redirect("plans:detail", pk=plan.pk)
    transition = TRANSITIONS[action]
    if not may(transition, roles_for(request.user, plan)):
        raise PermissionDenied
    if action in CONFIRMATIONS and plan.status in transition.sources and not is_confirmed(request):
        return confirmation_page(
            request,
            what=CONFIRMATIONS[action],
            action_url=reverse("plans:action", args=[plan.pk, action]),
            cancel_url=reverse("plans:detail", args=[plan.pk]),
            subject=plan.title,
        )
    if action in SENDING:
        return _send(
            request,
            plan,
            action,
            change_note=form.cleaned_data["change_note"],
            revision=form.cleaned_data["revision"],
        )
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
        return redirect(reverse("plans:review", args=[plan.pk]) + _queue_query(request))
    return redirect("plans:detail", pk=plan.pk)


DONE_MESSAGES = {
    "send_to_leader": gettext_lazy("The plan was sent to the leader for confirmation."),
    "submit": gettext_lazy("The plan was sent to the Communications Department. A receipt is on its way by e-mail."),
    "return_to_author": gettext_lazy("The plan was returned to the author."),
    "resubmit": gettext_lazy("The revised plan was sent to the Communications Department."),
    "withdraw": gettext_lazy("The plan was withdrawn."),
    "reopen": gettext_lazy("The plan is a draft again."),
    "take": gettext_lazy("You have taken the plan. The unit can see that it is in review."),
    "request_changes": gettext_lazy("The unit was asked for changes and has been told by e-mail."),
    "approve": gettext_lazy("The plan was approved and the unit has been told by e-mail."),
    "reject": gettext_lazy("The plan was not approved, and the unit has been told why by e-mail."),
}


@require_POST
@login_required
def plan_delete(request, pk):
    plan = _plan(request, pk)
    if not _can_delete(request.user, plan):
        if Role.UNIT not in roles_for(request.user, plan):
            raise PermissionDenied
        messages.error(request, _("Only a draft that has never been sent can be deleted."))
        return redirect("plans:detail", pk=plan.pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            what=CONFIRMATIONS["delete"],
            action_url=reverse("plans:delete", args=[plan.pk]),
            cancel_url=reverse("plans:detail", args=[plan.pk]),
            subject=plan.title,
        )
    try:
        services.plan_delete(plan=plan, actor=request.user)
    except services.NotAllowed:
        raise PermissionDenied from None
    except services.PlanError as error:
        messages.error(request, error.message)
        return redirect("plans:detail", pk=plan.pk)
    messages.success(request, _("The draft “%(title)s” was deleted.") % {"title": plan.title})
    return redirect("plans:list")


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
        "mailbox": settings.COMMS_MAILBOX,
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
    back_to_review = request.POST.get("next") == "review" and request.user.is_adviser
    if back_to_review:
        return redirect(reverse("plans:review", args=[plan.pk]) + _queue_query(request))
    return redirect("plans:detail", pk=plan.pk)


@login_required
def plan_pdf(request, pk, number=None):
    """The plan as PDF: a given version, or the plan as it stands. A plan that is not being
    written (sent, decided, withdrawn) is its latest version, with that version's status."""
    plan = _plan(request, pk)
    if number:
        version = get_object_or_404(plan.versions, number=number)
    elif plan.status not in EDITABLE_STATES and plan.current_version:
        version = plan.versions.get(number=plan.current_version)
    else:
        version = None
    response = HttpResponse(render_plan_pdf(plan, version), content_type="application/pdf")
    filename = plan_pdf_filename(plan, version.number if version else None)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


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


# The review queue and the decision. The queue's filters travel in the address, from the
# queue to a plan's review page and on to the next plan after a decision; nothing is
# stored between visits.

QUEUE_KEYS = ("q", "who", "status", "unit", "platform", "sort")


def _queue_params(source) -> QueryDict:
    params = QueryDict(mutable=True)
    for key in QUEUE_KEYS:
        if source.get(key):
            params[key] = source[key]
    return params


def _queue_query(request) -> str:
    """The queue's filters as "?…" (or ""), from the page's address or the form's field."""
    if request.method == "POST":
        params = _queue_params(QueryDict(request.POST.get("queue", "")))
    else:
        params = _queue_params(request.GET)
    return f"?{params.urlencode()}" if params else ""


@adviser_required
def review_queue(request):
    form = QueueFilterForm(_queue_params(request.GET) or None)
    plans = form.filter(Plan.objects.all(), request.user)
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
    form = QueueFilterForm(params or None)
    upcoming = form.filter(Plan.objects.all(), request.user).exclude(pk=after.pk).values_list("pk", flat=True)
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


def template_docx(request):
    response = HttpResponse(
        blank_template_docx(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = 'attachment; filename="plan-for-sosiale-medier-mal.docx"'
    return response
