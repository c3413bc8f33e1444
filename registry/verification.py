"""Is this account official? One answer for the public page and the open API."""

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Value
from django.db.models.functions import Lower, Replace
from django.utils.translation import get_language

from core import caching
from platforms.profiles import (
    ASCII_LOOKALIKES,
    HandleNeedsPlatform,
    Profile,
    all_platforms,
    read_profile,
    skeleton,
    swapped_parts,
)

from .models import Account, AccountStatus

# The answers are remembered in the shared cache until the register changes (registry/subscribers.py).
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
    # For an unknown account: its handle and platform (None: any), to look for what it imitates.
    look_for: tuple = ()
    rows: Callable | None = field(default=None, repr=False, compare=False)

    @cached_property
    def resembles(self) -> tuple:
        """For an unknown account, the official accounts its handle looks like, each as (account as
        `rows` gave it, the swapped parts such as (("0", "o"),)). Read only when asked for: one
        more query, which the open API does not pay."""
        if not self.look_for:
            return ()
        handle, platform = self.look_for
        return resembling(handle, platform=platform, rows=self.rows)


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
            return Verdict(
                "unknown",
                None,
                None,
                handle=needs.handle,
                lookalikes=tuple(needs.lookalikes),
                look_for=(needs.handle, None),
                rows=rows,
            )
        platform_ids = {_value(match, "platform_id") for match in matches}
        if len(platform_ids) > 1:
            raise HandleOnSeveralPlatforms from None
        chosen = next(p for p in (platforms or all_platforms()) if p.pk in platform_ids)
        profile = read_profile(text, platform=chosen, platforms=platforms)
    else:
        matches = list(rows(known.filter(url=profile.url))[:1])
    account = next((match for match in matches if _value(match, "url") == profile.url), None)
    if account is None:
        return Verdict("unknown", None, profile, look_for=(profile.handle, profile.platform), rows=rows)
    closed = _value(account, "status") == AccountStatus.CLOSED
    return Verdict("closed" if closed else "official", account, profile)


MAX_RESEMBLING = 3


def resembling(handle: str, *, platform=None, rows=None) -> tuple:
    """The official accounts (on `platform`, or on any) whose handle looks like `handle` once
    look-alike characters are read as what they imitate (platforms.profiles.skeleton), with
    where they differ. The register's handles are plain a to z, so its side of the comparison
    is the same replacements in SQL: one query, however large the register."""
    rows = rows or (lambda accounts: accounts)
    wanted = skeleton(handle)
    if not wanted:
        return ()
    handle_skeleton = Lower("handle_key")
    for written, read in ASCII_LOOKALIKES:
        handle_skeleton = Replace(handle_skeleton, Value(written), Value(read))
    accounts = Account.objects.known().exclude(status=AccountStatus.CLOSED)
    if platform is not None:
        accounts = accounts.filter(platform=platform)
    found = accounts.annotate(handle_skeleton=handle_skeleton).filter(handle_skeleton=wanted)
    matches = rows(found.order_by("display_name", "id"))[:MAX_RESEMBLING]
    return tuple((match, swapped_parts(handle, _value(match, "handle"))) for match in matches)


def _value(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)
