"""What happens to people and units, announced by accounts' and organisation's services (see core/events.py)."""

from core.events import Event

units_changed = Event(
    "units.changed",
    "Units were created, renamed, moved, closed or given a new leader, one or many at once "
    "(unit_ids=list of int, or None when they are many or not known one by one).",
)
person_left = Event(
    "person.left",
    "A person left the organisation (deactivated or deleted) or one unit (taken out of it) "
    "(user=User, unit=Unit or None, actor=User or None).",
)
