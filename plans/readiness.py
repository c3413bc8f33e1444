"""The readiness panel: before a plan is sent, say in plain words what to fix.

The same rules read the saved plan (before sending) and the form as it is being typed
(the panel that updates while the person writes), through `Draft`."""

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Problem:
    field: str  # the anchor of the form section to fix
    message: Promise


@dataclass
class Draft:
    """What readiness looks at, whether saved or still in the form."""

    goals: list[dict] = field(default_factory=list)
    main_target_group: str = ""
    channels: list[tuple[str, str]] = field(default_factory=list)  # (platform name, justification)
    content_types: str = ""
    editor_id: int | None = None
    deputy_ids: list[int] = field(default_factory=list)
    hours_per_week: object = None
    has_leader: bool = True


def draft_of(plan) -> Draft:
    return Draft(
        goals=[g.as_dict() for g in plan.goals.all()],
        main_target_group=plan.main_target_group,
        channels=[(c.platform.name, c.justification) for c in plan.channels.all()],
        content_types=plan.content_types,
        editor_id=plan.editor_id,
        deputy_ids=[d.pk for d in plan.deputies.all()],
        hours_per_week=plan.hours_per_week,
        has_leader=plan.unit.effective_leader() is not None,
    )


def plan_problems(plan) -> list[Problem]:
    return draft_problems(draft_of(plan))


def _filled(value) -> bool:
    return bool((value or "").strip())


def draft_problems(draft: Draft) -> list[Problem]:
    problems: list[Problem] = []
    if not any(
        _filled(g.get("indicator")) and _filled(g.get("target_value")) and _filled(g.get("time_frame"))
        for g in draft.goals
    ):
        problems.append(
            Problem("goals", _("Add at least one goal with an indicator, a target value and a time frame."))
        )
    if not _filled(draft.main_target_group):
        problems.append(Problem("target_groups", _("Describe the main target group.")))
    if not draft.channels:
        problems.append(Problem("channels", _("Choose at least one channel or platform.")))
    for platform, justification in draft.channels:
        if not _filled(justification):
            problems.append(
                Problem(
                    "channels",
                    _("Explain why %(platform)s fits your goals and target groups.") % {"platform": platform},
                )
            )
    if not _filled(draft.content_types):
        problems.append(Problem("content", _("Describe the kinds of content you will share.")))
    if draft.editor_id is None:
        problems.append(Problem("resources", _("Name the responsible editor.")))
    if not draft.deputy_ids:
        problems.append(Problem("resources", _("Name at least one deputy for the editor.")))
    if draft.editor_id is not None and draft.editor_id in draft.deputy_ids:
        problems.append(Problem("resources", _("The editor and the deputy must be two different people.")))
    if not draft.hours_per_week or draft.hours_per_week <= 0:
        problems.append(Problem("resources", _("Set aside more than zero hours per week.")))
    if not draft.has_leader:
        problems.append(
            Problem("unit", _("Your unit has no leader in the portal. Ask an administrator to register one."))
        )
    return problems
