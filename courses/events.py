"""What happens to people's training, announced by courses/services (see core/events.py)."""

from core.events import Event

training_changed = Event(
    "training.changed",
    "People's completed training changed: a course passed, a completion expired or was "
    "withdrawn (user_ids=list of int).",
)
