"""What facts does when something happens (core/events.py)."""

from handbook.events import filled_in_changed

from .events import placeholder_changed, platform_terms_changed


@platform_terms_changed.subscribe
@placeholder_changed.subscribe
def _handbook_shows_it(*, actor, **_payload) -> None:
    # The handbook's published pages show what is filled in (facts is one of the apps that
    # fill in its text: facts/apps.py): a number or a link saved now is on them at once,
    # not when they next expire.
    filled_in_changed.announce(actor=actor)
