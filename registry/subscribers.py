"""What the register does when something happens elsewhere, and what it answers when asked
(core/events.py).

The register keeps two caches (core/caching.py): the public answers (verify, the public
list's counts: `verification.CACHE_NAME`) and the department's overview (`OVERVIEW_CACHE`).
Each is renewed here and nowhere else, by the subscriber of the events that change what it
holds."""

from accounts.events import person_left, units_changed
from core import caching
from core.pagecache import public_data
from plans.events import plan_changed, plan_decided, plan_sent
from platforms.events import platform_changed

from . import services
from .events import account_changed, account_status_changed
from .selectors import OVERVIEW_CACHE
from .verification import CACHE_NAME


@public_data.subscribe
def _public_register() -> str:
    # The public pages show the register: kept ones are dropped whenever it changes.
    return CACHE_NAME


@account_changed.subscribe
@account_status_changed.subscribe
@units_changed.subscribe
@platform_changed.subscribe
def _register_changed(**_payload) -> None:
    # An account's address, name, people, marks or status, a unit's name, a platform's name or
    # address rules: each is part of some public answer (verify, the count of the public list)
    # and of the department's overview.
    caching.renew(CACHE_NAME)
    caching.renew(OVERVIEW_CACHE)


@plan_sent.subscribe
@plan_decided.subscribe
@plan_changed.subscribe
def _plan_changed(**_payload) -> None:
    # A plan approved (or no longer) changes how many accounts have a plan in place.
    caching.renew(OVERVIEW_CACHE)


@person_left.subscribe
def _editor_left(*, user, unit, actor) -> None:
    # The accounts the person ran (in that unit) need a new editor; editor_left announces
    # account_changed for those it marks. A unit's leader answers for it without being a
    # member, so a leader taken off the members still runs its accounts.
    if unit is not None and unit.leader_id == user.pk:
        return
    services.editor_left(user=user, unit=unit, actor=actor)
