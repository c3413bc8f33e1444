"""What happens to the platform catalogue, announced by platforms/services.py (see core/events.py)."""

from core.events import Event

platform_changed = Event(
    "platform.changed",
    "A platform was added, changed (its name, address rules, icon, whether it is offered) or "
    "deleted (announced just before the row goes) (platform=Platform, actor=User or None).",
)
