"""What the register does when something happens elsewhere, and what it answers when asked
(core/events.py)."""

from accounts.events import units_changed
from core import caching
from core.pagecache import public_data

from .services import OVERVIEW_CACHE
from .verification import CACHE_NAME


@public_data.subscribe
def _public_register() -> str:
    # The public pages show the register: kept ones are dropped whenever it changes.
    return CACHE_NAME


@units_changed.subscribe
def _units_changed(unit_ids) -> None:
    # A unit's name is part of public answers and of the department's overview.
    caching.renew(CACHE_NAME)
    caching.renew(OVERVIEW_CACHE)
