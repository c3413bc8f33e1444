"""The workflow actions on a plan and deleting a plan."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.confirm import confirmation_page, is_confirmed

from .. import services
from ..forms import (
    ActionForm,
)
from ..workflow import TRANSITIONS, Role, may, roles_for
from .common import CONFIRMATIONS, DONE_MESSAGES, SENDING, _plan, _queue_query
from .form import _send
from .pages import _can_delete


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
