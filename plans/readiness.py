"""The readiness panel: before a plan is sent, say in plain words what to fix."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Problem:
    field: str  # the anchor of the form section to fix
    message: Promise


def plan_problems(plan) -> list[Problem]:
    problems: list[Problem] = []
    goals = list(plan.goals.all())
    if not any(g.indicator.strip() and g.target_value.strip() and g.time_frame.strip() for g in goals):
        problems.append(
            Problem("goals", _("Add at least one goal with an indicator, a target value and a time frame."))
        )
    if not plan.main_target_group.strip():
        problems.append(Problem("target_groups", _("Describe the main target group.")))
    channels = list(plan.channels.all())
    if not channels:
        problems.append(Problem("channels", _("Choose at least one channel or platform.")))
    for channel in channels:
        if not channel.justification.strip():
            problems.append(
                Problem(
                    "channels",
                    _("Explain why %(platform)s fits your goals and target groups.")
                    % {"platform": channel.platform.name},
                )
            )
    if not plan.content_types.strip():
        problems.append(Problem("content", _("Describe the kinds of content you will share.")))
    deputies = list(plan.deputies.all())
    if plan.editor_id is None:
        problems.append(Problem("resources", _("Name the responsible editor.")))
    if not deputies:
        problems.append(Problem("resources", _("Name at least one deputy for the editor.")))
    if plan.editor_id is not None and any(d.pk == plan.editor_id for d in deputies):
        problems.append(Problem("resources", _("The editor and the deputy must be two different people.")))
    if not plan.hours_per_week or plan.hours_per_week <= 0:
        problems.append(Problem("resources", _("Set aside more than zero hours per week.")))
    if plan.unit.effective_leader() is None:
        problems.append(
            Problem("unit", _("Your unit has no leader in the portal. Ask an administrator to register one."))
        )
    return problems
