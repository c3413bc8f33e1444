"""What happens to an evaluation, announced by evaluations/services (see core/events.py)."""

from core.events import Event

evaluation_sent = Event(
    "evaluation.sent",
    "A unit sent its evaluation of an account, with its decision (continue, adjust, close) "
    "(evaluation=Evaluation, actor=User).",
)
evaluation_answered = Event(
    "evaluation.answered",
    "The department gave its feedback on a sent evaluation (evaluation=Evaluation, actor=User).",
)
