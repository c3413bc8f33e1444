"""What happens to what only the hospital knows, announced by facts/services.py (see core/events.py)."""

from core.events import Event

platform_terms_changed = Event(
    "facts.platform_terms_changed",
    "The hospital's terms for a platform were set, or confirmed as they are (terms=PlatformTerms, actor=User).",
)
placeholder_changed = Event(
    "facts.placeholder_changed",
    "A value the handbook fills in (a phone number, an address, a link) was filled in or "
    "emptied (placeholder=Placeholder, actor=User).",
)
