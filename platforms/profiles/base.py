"""What reading a profile answers: the profile, the refusals and their messages, and the kinds of pages."""

import string
import unicodedata
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from ..models import Platform

MAX_LENGTH = 500
# A Mastodon server may show another server's account; reading its address again is one step.
MAX_FOLLOWS = 2

RULE_KEYS = {
    "hosts",
    "any_host",
    "excluded_hosts",
    "link_hosts",
    "locale_prefix",
    "reserved",
    "other_pages",
    "paths",
    "tabs",
    "handles",
    "display",
    "example",
}
PATH_KEYS = {"path", "query", "url", "case", "drop", "follow"}
HANDLE_KEYS = {"pattern", "url", "alone"}
CASES = {"ignore", "keep", "upper"}

# What a link that is not a profile is instead, and what to tell the person who pasted it.
KINDS = {
    "post": _(
        "This is a link to a post on %(platform)s, not to a profile. Open the profile of whoever posted it "
        "and copy that address."
    ),
    "video": _(
        "This is a link to a video on %(platform)s, not to a profile. Open the channel or profile that "
        "published it and copy that address."
    ),
    "search": _("This is a link to a search on %(platform)s, not to a profile. Open the profile and copy its address."),
    "hashtag": _(
        "This is a link to a hashtag on %(platform)s, not to a profile. Open the profile and copy its address."
    ),
    "settings": _(
        "This is a link to settings on %(platform)s, not to a profile. Open the profile and copy its address."
    ),
    "login": _(
        "This is a link to the login page of %(platform)s, not to a profile. Open the profile and copy its address."
    ),
    "share": _(
        "This is a share link or short link from %(platform)s. Open it, and copy the address of the profile it "
        "leads to."
    ),
    "group": _("This is a link to a group on %(platform)s, not to a profile. Open the profile and copy its address."),
    "event": _("This is a link to an event on %(platform)s, not to a profile. Open the profile and copy its address."),
    "help": _(
        "This is a link to help or information pages of %(platform)s, not to a profile. Open the profile and copy "
        "its address."
    ),
    "other": _(
        "This link goes to a page on %(platform)s that is not a profile. Open the profile and copy its address."
    ),
}

EMPTY = _("Paste the address of the profile, or its handle.")
TOO_LONG = _("This is too long to be the address of a profile. Paste only the profile's address.")
SPACES = _(
    "An address or a handle has no spaces in it. Paste the profile's address as it appears in the browser's "
    "address bar, not the profile's name."
)
INVISIBLE = _(
    "The text has invisible characters in it, which profile addresses never have. Type the address again, "
    "or copy it from the browser's address bar."
)
NOT_WEB = _("Only web addresses, starting with https://, can be profile addresses.")
NOT_ADDRESS = _(
    "This is neither the address of a profile nor a handle. Paste the profile's address as it appears in "
    "the browser's address bar."
)
EMAIL = _(
    "This looks like an e-mail address, not a profile. Paste the profile's address; a Mastodon handle starts "
    "with @, as in @name@server."
)
USERINFO = _(
    "This address has a name and an @ before the site's name. Profile addresses never have that, and fake "
    "links use it to hide where they lead."
)
PORT = _(
    "This address has a port number (a colon and a number) after the site's name. Profile addresses never have that."
)
IP_ADDRESS = _("This address leads to a numeric internet address, not to a social media site.")
UNUSUAL_HOST = _(
    "The site's name in this address has letters that are not plain a to z. Fake links use look-alike letters; "
    "copy the address from the browser's address bar."
)
BAD_PATH = _("This address has characters in it that a profile address never has.")
UNKNOWN_SITE = _(
    "%(host)s is not one of the social media platforms the portal knows. Paste the address of a profile on one of them."
)
WRONG_PLATFORM = _(
    "This is not an address on %(platform)s. Choose the right platform, or paste the address of the profile "
    "on %(platform)s."
)
OTHER_PLATFORM = _(
    "This is an address on %(found)s, not on %(platform)s. Choose %(found)s as the platform, or paste the "
    "address of the profile on %(platform)s."
)
FRONT_PAGE = _("This is the front page of %(platform)s, not a profile. Open the profile and copy its address.")
UNDER_PROFILE = _(
    "This link goes to something on a profile on %(platform)s, such as a post, not to the profile itself. "
    "The profile's address is %(url)s"
)
NOT_A_PROFILE = _("This link to %(platform)s is not the address of a profile. Open the profile and copy its address.")
NOT_A_PROFILE_EXAMPLE = _(
    "This link to %(platform)s is not the address of a profile. Open the profile and copy its address; it "
    "looks like %(example)s"
)
BAD_HANDLE = _("“%(handle)s” is not a handle %(platform)s allows. Check the spelling, or paste the profile's address.")
BAD_HANDLE_EXAMPLE = _(
    "“%(handle)s” is not a handle %(platform)s allows. Check the spelling, or paste the profile's address, "
    "which looks like %(example)s"
)
NO_RULES = _("The portal does not know yet how addresses on %(platform)s look, so it cannot read them.")
NEEDS_PLATFORM = _(
    "“%(handle)s” could be a handle on more than one platform. Choose the platform, or paste the profile's "
    "whole address."
)


def _interpolated(text, params):
    return str(text) % params


# Stays lazy: the message is put together in the language of whoever reads it.
interpolated = lazy(_interpolated, str)


class NotAProfile(DomainError):
    """The text is not a profile. `message` tells the person what is wrong and what to paste instead.

    `platform`, when set, is the platform the text was recognised as belonging to; `suggestion`,
    when set, is the profile a link belongs to (a link to a post under a profile)."""

    def __init__(self, message, *, platform: Platform | None = None, suggestion: "Profile | None" = None):
        super().__init__(message)
        self.platform = platform
        self.suggestion = suggestion


class HandleNeedsPlatform(NotAProfile):
    """A bare handle, given without a platform, that could be a handle on several platforms.

    `key` is its comparison form (as `Profile.key`), so callers can look for it across platforms."""

    def __init__(self, handle: str):
        super().__init__(interpolated(NEEDS_PLATFORM, {"handle": handle}))
        self.handle = handle
        self.key = ascii_lower(handle)
        self.lookalikes = describe_lookalikes(handle)


@dataclass(frozen=True)
class Profile:
    """One profile on one platform, read from what someone pasted.

    - `handle`: the handle as pages show it, without a leading @, in its canonical spelling: ASCII
      letters lower-cased where the platform ignores case, so every spelling of one profile gives
      the same handle. Mastodon: `name@server` (`helsebergen@mastodon.social`); Bluesky: the
      domain handle (`helsebergen.bsky.social`) or the DID (`did:plc:…`); YouTube: the @handle's
      name, the custom or user name, or the channel id (`UC…`, case kept); Facebook profiles
      known only by number: the number.
    - `key`: the form handles are compared in: ASCII letters lower-cased where the platform
      ignores case, nothing else changed. Handles of different kinds on one platform can share
      a key (a LinkedIn company and a person with the same name); `url` tells them apart.
    - `url`: the canonical address: one per profile, unique across platforms. Characters outside
      ASCII are percent-encoded, so a look-alike address never reads like the real one.
    - `lookalikes`: one description for each different non-ASCII character in `handle`, such as
      "а (U+0430 CYRILLIC SMALL LETTER A)".
    """

    platform: Platform
    handle: str
    key: str
    url: str
    lookalikes: tuple[str, ...] = ()


_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_UPPER = str.maketrans(string.ascii_lowercase, string.ascii_uppercase)


def ascii_lower(text: str) -> str:
    """`text` with A–Z lower-cased and every other character left alone (the Kelvin sign stays)."""
    # str.lower() would turn the Kelvin sign into k; on ASCII text it is exact, and fast.
    return text.lower() if text.isascii() else text.translate(_LOWER)


def describe_lookalikes(handle: str) -> tuple[str, ...]:
    seen = []
    for character in handle:
        if not character.isascii() and character not in seen:
            seen.append(character)
    return tuple(
        f"{character} (U+{ord(character):04X} {unicodedata.name(character, 'UNNAMED CHARACTER')})" for character in seen
    )
