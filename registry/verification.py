"""Is this account official? One answer for the public page and the open API."""

from dataclasses import dataclass

from django.utils.translation import get_language

from core import caching
from platforms.profiles import HandleNeedsPlatform, Profile, all_platforms, read_profile

from .models import Account, AccountStatus

# The answers are remembered in the shared cache until the register changes (registry/signals.py).
CACHE_NAME = "register"


def remembered(kind: str, text: str, platform, compute):
    """compute() for this question, from the shared cache while the register is unchanged.

    What is remembered is the whole answer in the current language, so it must pickle (model
    objects and plain data do)."""
    return caching.remembered(CACHE_NAME, (kind, text, platform, get_language()), compute)


class HandleOnSeveralPlatforms(Exception):
    """A bare handle the register has on more than one platform: the asker must choose one."""


@dataclass(frozen=True)
class Verdict:
    result: str  # "official", "closed" or "unknown"
    account: object  # the register's account as `rows` gave it, or None
    profile: Profile | None  # None for a bare handle the register does not know
    handle: str = ""  # that bare handle, as read
    lookalikes: tuple = ()


def verify(text: str, *, platform=None, platforms=None, rows=None) -> Verdict:
    """Check `text` (a profile's address in any form, or a handle) against the register.

    Accounts still being set up are unknown to the public. A bare handle without a
    platform is answered for the one platform the register has it on. `rows` turns a
    queryset of accounts into what the caller shows (model objects or dicts).
    Raises NotAProfile for what is not a profile, HandleOnSeveralPlatforms as above."""
    rows = rows or (lambda accounts: accounts)
    known = Account.objects.known()
    try:
        profile = read_profile(text, platform=platform, platforms=platforms)
    except HandleNeedsPlatform as needs:
        matches = list(rows(known.filter(handle_key=needs.key))[:50])
        if not matches:
            return Verdict("unknown", None, None, handle=needs.handle, lookalikes=tuple(needs.lookalikes))
        platform_ids = {_value(match, "platform_id") for match in matches}
        if len(platform_ids) > 1:
            raise HandleOnSeveralPlatforms from None
        chosen = next(p for p in (platforms or all_platforms()) if p.pk in platform_ids)
        profile = read_profile(text, platform=chosen, platforms=platforms)
    else:
        matches = list(rows(known.filter(url=profile.url))[:1])
    account = next((match for match in matches if _value(match, "url") == profile.url), None)
    if account is None:
        return Verdict("unknown", None, profile)
    closed = _value(account, "status") == AccountStatus.CLOSED
    return Verdict("closed" if closed else "official", account, profile)


def _value(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)
