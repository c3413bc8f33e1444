"""What happens to an evaluation, announced by evaluations/services (see core/events.py)."""

from core.events import Event

evaluation_sent = Event(
    "evaluation.sent",
    "A unit's evaluation of an account reached the department, with its decision (continue, adjust, "
    "close), confirmed by the unit's leader; `actor` is the one who sent it on, the confirming leader "
    "(evaluation=Evaluation, actor=User).",
)
evaluation_answered = Event(
    "evaluation.answered",
    "The department gave its feedback on a sent evaluation (evaluation=Evaluation, actor=User).",
)
