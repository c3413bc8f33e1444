"""Every change to evaluations, schedules and key figures goes through here: one function
per action, each atomic and audited. Views, the periodic job, the demo loader and tests
call these. Split by what they do:

- `dates`: the cycle's due dates;
- `schedules`: each account's schedule and the tallies the overview counts;
- `reminders`: reminders of evaluations due, and accounts flagged for closure;
- `trend`: the governance trend, month by month;
- `evaluations`: start, save, send to the leader, confirm or return, send and answer an evaluation;
- `figures`: key figures read from a platform's export, checked and saved.

Read-only queries are in evaluations/selectors.py."""

from ..selectors import figures_for, schedule_for, submit_problems
from .base import (
    ChangedSinceSeen,
    DraftExists,
    EvaluationError,
    InvalidEvaluation,
    NotActive,
    NotAllowed,
    NotReady,
    WrongState,
    closure_after_days,
    remind_before_days,
)
from .dates import add_months, first_due, next_due
from .evaluations import (
    CONTENT_FIELDS,
    GOAL_FIELDS,
    EvaluationContent,
    GoalContent,
    evaluation_close_account,
    evaluation_confirm,
    evaluation_feedback,
    evaluation_return,
    evaluation_save,
    evaluation_send_to_leader,
    evaluation_start,
)
from .figures import Preview, figures_map, figures_read, figures_save, import_preview
from .reminders import reminder_stage, reminders_send
from .schedules import schedule_set_due, schedules_refresh, tallies_recount
from .trend import governance_record

__all__ = [
    "closure_after_days",
    "remind_before_days",
    "CONTENT_FIELDS",
    "GOAL_FIELDS",
    "ChangedSinceSeen",
    "DraftExists",
    "EvaluationContent",
    "EvaluationError",
    "GoalContent",
    "InvalidEvaluation",
    "NotActive",
    "NotAllowed",
    "NotReady",
    "Preview",
    "WrongState",
    "add_months",
    "evaluation_close_account",
    "evaluation_confirm",
    "evaluation_feedback",
    "evaluation_return",
    "evaluation_send_to_leader",
    "evaluation_save",
    "evaluation_start",
    "figures_for",
    "figures_map",
    "figures_read",
    "figures_save",
    "first_due",
    "governance_record",
    "import_preview",
    "next_due",
    "reminder_stage",
    "reminders_send",
    "schedule_for",
    "schedule_set_due",
    "schedules_refresh",
    "submit_problems",
    "tallies_recount",
]
