"""The plan form: editing, saving, the readiness panel and sending on from the form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import organisations
from handbook.models import chapter_links
from platforms.models import Platform

from .. import services, stash
from .. import template_text as tt
from ..forms import (
    ChannelFormSet,
    GoalFormSet,
    PlanForm,
)
from ..models import Plan
from ..readiness import Draft, draft_problems, plan_problems
from ..snapshot import plan_sections, plan_snapshot
from ..workflow import EDITABLE_STATES, available_transitions, can_edit
from .common import SENDING, _plan
from .pages import _open_request, _sending_context


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
        data,
        prefix="channels",
        initial=initial_channels,
        form_kwargs={
            "platforms": channel_platforms.distinct(),
            "organisation": organisations.get(plan.unit.organisation_id),
        },
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
        "closing_note": tt.closing_note(organisations.get(plan.unit.organisation_id)),
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
