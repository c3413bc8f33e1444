"""The plan's workflow, written once: which action moves a plan from which states to
which state, and who may take it. The services enforce it; the templates read it to
show only the buttons that apply.

draft → awaiting leader → submitted → in review ⇄ changes requested → approved | rejected;
the unit can withdraw before a decision and reopen a withdrawn plan as a draft.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .models import Plan, PlanStatus

S = PlanStatus


class Role(StrEnum):
    UNIT = "unit"  # a member of the plan's unit (the leader is one too)
    LEADER = "leader"  # the unit's leader, who answers for the content
    ADVISER = "adviser"  # an adviser in the Communications Department of the plan's organisation


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    role: Role
    label: Promise
    needs_comment: bool = False
    needs_ready: bool = False
    not_for_leader: bool = False  # the leader confirms and sends in one step instead
    button: str = "secondary"


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "send_to_leader",
            frozenset({S.DRAFT}),
            S.AWAITING_LEADER,
            Role.UNIT,
            _("Send to the leader for confirmation"),
            needs_ready=True,
            not_for_leader=True,
            button="primary",
        ),
        Transition(
            "submit",
            frozenset({S.DRAFT, S.AWAITING_LEADER}),
            S.SUBMITTED,
            Role.LEADER,
            _("Confirm and send to the Communications Department"),
            needs_ready=True,
            button="primary",
        ),
        Transition(
            "return_to_author",
            frozenset({S.AWAITING_LEADER}),
            S.DRAFT,
            Role.LEADER,
            _("Return to the author"),
            needs_comment=True,
        ),
        Transition(
            "resubmit",
            frozenset({S.CHANGES_REQUESTED}),
            S.IN_REVIEW,
            Role.UNIT,
            _("Send the revised plan"),
            needs_ready=True,
            button="primary",
        ),
        Transition(
            "withdraw",
            frozenset({S.AWAITING_LEADER, S.SUBMITTED, S.IN_REVIEW, S.CHANGES_REQUESTED}),
            S.WITHDRAWN,
            Role.UNIT,
            _("Withdraw the plan"),
            button="tertiary",
        ),
        Transition("reopen", frozenset({S.WITHDRAWN}), S.DRAFT, Role.UNIT, _("Reopen as a draft")),
        Transition("take", frozenset({S.SUBMITTED}), S.IN_REVIEW, Role.ADVISER, _("Take the plan"), button="primary"),
        Transition(
            "request_changes",
            frozenset({S.IN_REVIEW}),
            S.CHANGES_REQUESTED,
            Role.ADVISER,
            _("Ask for changes"),
            needs_comment=True,
        ),
        Transition("approve", frozenset({S.IN_REVIEW}), S.APPROVED, Role.ADVISER, _("Approve"), button="primary"),
        Transition(
            "reject", frozenset({S.IN_REVIEW}), S.REJECTED, Role.ADVISER, _("Do not approve"), needs_comment=True
        ),
    ]
}

EDITABLE_STATES = frozenset({S.DRAFT, S.CHANGES_REQUESTED})
DECIDED_STATES = frozenset({S.APPROVED, S.REJECTED})


def roles_for(user, plan: Plan) -> set[Role]:
    roles: set[Role] = set()
    if not user.is_authenticated or not user.is_active:
        return roles
    if user.advises(plan.unit.organisation_id):
        roles.add(Role.ADVISER)
    if plan.unit_id in user.unit_ids():
        roles.add(Role.UNIT)
    leader = plan.unit.effective_leader()
    if leader is not None and leader.pk == user.pk:
        roles.update({Role.UNIT, Role.LEADER})
    return roles


def may(transition: Transition, roles: set[Role]) -> bool:
    if transition.role not in roles:
        return False
    if transition.role == Role.ADVISER and Role.UNIT in roles:
        # An adviser who belongs to the plan's unit does not review it (conflict of
        # interest): another adviser takes it and decides.
        return False
    return not (transition.not_for_leader and Role.LEADER in roles)


def review_conflict(user, plan: Plan) -> bool:
    """An adviser who belongs to the plan's own unit, and so must leave its review to another."""
    return {Role.ADVISER, Role.UNIT} <= roles_for(user, plan)


def available_transitions(user, plan: Plan) -> list[Transition]:
    roles = roles_for(user, plan)
    return [t for t in TRANSITIONS.values() if plan.status in t.sources and may(t, roles)]


def can_edit(user, plan: Plan) -> bool:
    return plan.status in EDITABLE_STATES and Role.UNIT in roles_for(user, plan)
