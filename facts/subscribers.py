"""What facts does when something happens, and what it answers when asked (core/events.py)."""

from core.pagecache import public_data
from courses.events import training_changed
from handbook.events import filled_in_changed, fillers_asked
from handbook.rendering import Filler

from . import portal_facts
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


@public_data.subscribe
def _portal_settings() -> str:
    # The handbook states the portal's settings ({{portal:…}}); they change only at a restart,
    # so the kept public pages belong to a generation named after them: pages kept with other
    # settings are never shown again.
    return f"handbook-portal-{portal_facts.settings_fingerprint()}"


@training_changed.subscribe
def _courses_changed(*, user_ids, **_payload) -> None:
    # A change to what counts as trained for anyone (user_ids None) may be a course made required
    # or not, or its validity changed: the handbook names the required courses and their validity.
    if user_ids is None:
        filled_in_changed.announce(actor=None)
