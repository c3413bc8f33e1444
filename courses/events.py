"""What happens to people's training, announced by courses/services (see core/events.py)."""

from core.events import Event

training_changed = Event(
    "training.changed",
    "People's completed training changed: a course passed, a completion recorded, expired or "
    "withdrawn (user_ids=list of int, or None for anyone's: the periodic check of what ran "
    "out, or a change to what a course counts as; day=date the training is counted on).",
)
