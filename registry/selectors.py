"""What the register's pages and services read: the actions an account's status allows, what
still stands between an account and going live, and the counts at the top of the register.
Nothing here writes; every change is in registry/services.py."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from accounts.models import Unit
from plans.models import PlanStatus

from . import competence
from .models import CHECKLIST, COMPUTED_CHECKS, Account, AccountStatus

S = AccountStatus


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[str]
    target: str
    label: object
    button: str = "secondary"


# being set up → active ⇄ paused → closed. Closed accounts stay on record.
TRANSITIONS = {
    t.name: t
    for t in [
        Transition("activate", frozenset({S.SETUP}), S.ACTIVE, _("Make the account active"), "primary"),
        Transition("pause", frozenset({S.ACTIVE}), S.PAUSED, _("Pause the account")),
        Transition("resume", frozenset({S.PAUSED}), S.ACTIVE, _("Make the account active again"), "primary"),
        Transition("close", frozenset({S.SETUP, S.ACTIVE, S.PAUSED}), S.CLOSED, _("Close the account"), "danger"),
    ]
}


def available_transitions(account: Account) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if account.status in t.sources]


def missing_checks(account: Account) -> list:
    """What stands between the account and going live: items not ticked, and the editors'
    training (worked out, with the names of who lacks what)."""
    done = set(account.checks.values_list("item", flat=True))
    missing = [label for key, label in CHECKLIST if key not in done and key not in COMPUTED_CHECKS]
    gaps = competence.gaps_in_words(competence.account_people(account))
    if gaps:
        missing.append(f"{dict(CHECKLIST)['course']} ({'; '.join(gaps)})")
    return missing


def plan_missing(account: Account) -> bool:
    """The account has no approved plan behind it."""
    return account.plan is None or account.plan.status != PlanStatus.APPROVED


# The overview of the whole register is remembered in the shared cache until an account or a
# plan changes (the events registry/subscribers.py subscribes to).
OVERVIEW_CACHE = "register-overview"


def register_overview(accounts) -> dict:
    """The counts at the top of the register: how many accounts, and the gaps."""
    by_status = dict.fromkeys(S.values, 0)
    for row in accounts.values("status").order_by().annotate(n=Count("id")):
        by_status[row["status"]] = row["n"]
    live = accounts.exclude(status=S.CLOSED)
    live_total = sum(n for status, n in by_status.items() if status != S.CLOSED)
    return {
        "by_status": by_status,
        "needs_new_editor": live.filter(needs_new_editor=True).count(),
        "training_missing": live.filter(training_missing=True).count(),
        # Counted from the approved plans' side: few plans, each with an index to its accounts.
        "plan_missing": live_total - live.plan_in_place().count(),
    }


def units_for_register(user):
    """The active units an adviser may register accounts for: those of the organisations they
    advise (none for anybody else)."""
    return Unit.objects.advised_by(user).filter(is_active=True)
