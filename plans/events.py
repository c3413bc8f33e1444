"""What happens to a plan, announced by plans/services.py (see core/events.py)."""

from core.events import Event

plan_sent = Event(
    "plan.sent",
    "A version of a plan was sent to the Communications Department: the first time, or again "
    "after changes (plan=Plan, version=PlanVersion, actor=User).",
)
plan_decided = Event(
    "plan.decided",
    "The department decided on a plan: approved, not approved, or changes asked for "
    "(plan=Plan, decision=str, a plans.models.Decision value, comment=str, actor=User).",
)
plan_changed = Event(
    "plan.changed",
    "A plan changed in any other way: created (a new draft), its text saved, sent to the "
    "leader, returned, taken, withdrawn, reopened, or deleted (announced just before the row "
    "goes, so it can still be read) (plan=Plan, actor=User).",
)
