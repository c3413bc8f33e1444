"""What facts does when something happens, and what it answers when asked (core/events.py)."""

from handbook.events import filled_in_changed, fillers_asked
from handbook.rendering import Filler

from .directives import expand, version
from .events import placeholder_changed, platform_terms_changed


@fillers_asked.subscribe
def _filler() -> Filler:
    # The handbook's text names phone numbers, links and the hospital's terms for a platform
    # with markers; facts fills them in.
    return Filler(expand, version=version, help_template="facts/_editor_help.html")


@platform_terms_changed.subscribe
@placeholder_changed.subscribe
def _handbook_shows_it(*, actor, **_payload) -> None:
    # The handbook's published pages show what is filled in (facts is one of the apps that
    # fill in its text, see _filler): a number or a link saved now is on them at once,
    # not when they next expire.
    filled_in_changed.announce(actor=actor)
