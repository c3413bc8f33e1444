"""Reading what people paste as a profile: any form of a profile's address, or a handle.

Each platform's `url_rules` (described on `Platform`) say how its profile addresses look; this
module is the engine that applies them. `read_profile` turns text into one `Profile` with one
canonical address, or says in plain words why the text is not a profile.

Handles are never Unicode-normalised or case-folded beyond ASCII: a handle spelt with look-alike
letters (Cyrillic а, the Kelvin sign, full-width letters) stays what it is, gets an address of its
own, and lists its unusual characters in `Profile.lookalikes` so pages can show it for what it is.
"""

import copy
import difflib
import logging
import re
import string
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qsl, quote, unquote

from django.db.models import Count, Max
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError

from .models import Platform

logger = logging.getLogger(__name__)

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


# -- Look-alike handles ------------------------------------------------------------------------

# Letters from other scripts drawn like a to z, as the Unicode confusables list (UTS #39) pairs
# them: the Cyrillic and Greek letters and the Latin variants copies of real accounts are seen to
# use. NFKC (in `skeleton`) takes care of full-width letters, the Kelvin sign and the like first.
# A short table kept here rather than the whole confusables list (thousands of pairs, most of them
# between scripts no handle allows): a skeleton only needs to meet the register's a to z.
_LOOKALIKE_LETTERS = str.maketrans(
    "аеорсухѕіјԁһӏԛԝɑɡıꜱ"  # Cyrillic and Latin small letters
    "АВЕКМНОРСТХУЅІЈ"  # Cyrillic capitals
    "αοριυνκτ"  # Greek small letters
    "ΑΒΕΖΗΙΚΜΝΟΡΤΧΥ",  # Greek capitals
    "aeopcyxsijdhlqwagis"
    "abekmhopctxysij"
    "aopiuvkt"
    "abezhikmnoptxy",
)  # fmt: skip
# Plain characters read as others, replaced in this order on both sides of a comparison (the
# register's side in SQL, registry/verification.py): the digit 0 as o, the digit 1, a capital I
# and a small i as l, "rn" as m, "vv" as w.
ASCII_LOOKALIKES = (("0", "o"), ("1", "l"), ("i", "l"), ("|", "l"), ("rn", "m"), ("vv", "w"))


def skeleton(handle: str) -> str:
    """What a handle looks like, as a string two look-alike handles share: `bl0dbanken`,
    `blodb\u0430nken` and `BIodbanken` all read as `blodbanken`'s skeleton (UTS #39's idea,
    limited to the characters above). For finding the official account a handle imitates,
    never for deciding that two handles are the same profile."""
    text = unicodedata.normalize("NFKC", handle).translate(_LOOKALIKE_LETTERS).lower()
    for written, read in ASCII_LOOKALIKES:
        text = text.replace(written, read)
    return text


def swapped_parts(asked: str, official: str) -> tuple[tuple[str, str], ...]:
    """Where `asked` differs from the `official` handle it looks like: (what was written, what the
    official handle has there), such as ("0", "o"), in the order they appear."""
    matcher = difflib.SequenceMatcher(None, asked, official, autojunk=False)
    return tuple(
        (asked[i1:i2], official[j1:j2])
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal" and ascii_lower(asked[i1:i2]) != ascii_lower(official[j1:j2])
    )


# -- The rules, checked and compiled -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PathRule:
    path: re.Pattern
    query: tuple[tuple[str, re.Pattern], ...]
    url: str
    case: str
    drop: dict
    follow: bool


@dataclass(frozen=True, slots=True)
class _HandleRule:
    pattern: re.Pattern
    url: str
    alone: bool


@dataclass(frozen=True, slots=True)
class _Rules:
    hosts: re.Pattern | None
    any_host: bool
    excluded_hosts: re.Pattern | None
    link_hosts: dict
    locale_prefix: re.Pattern | None
    reserved: dict
    other_pages: tuple[tuple[re.Pattern, str], ...]
    paths: tuple[_PathRule, ...]
    tabs: frozenset
    handles: tuple[_HandleRule, ...]
    display: str
    example: str


class _Problems(Exception):
    pass


def _template_fields(template: str) -> set[str] | None:
    """The names a template uses, or None when it is not a plain `{name}` template."""
    fields = set()
    try:
        for _literal, name, spec, conversion in string.Formatter().parse(template):
            if name is None:
                continue
            if not name.isidentifier() or spec or conversion:
                return None
            fields.add(name)
    except ValueError:
        return None
    return fields


class _Checker:
    def __init__(self):
        self.problems = []

    def problem(self, text, **params):
        self.problems.append(interpolated(text, params) if params else text)

    def regex(self, where: str, value, *, flags=0) -> re.Pattern | None:
        if not isinstance(value, str) or not value:
            self.problem(_("%(where)s must be a regular expression."), where=where)
            return None
        try:
            return re.compile(value, flags)
        except re.error as error:
            self.problem(_("%(where)s is not a valid regular expression: %(error)s"), where=where, error=str(error))
            return None

    def kind(self, where: str, value) -> str:
        if value not in KINDS:
            self.problem(
                _("%(where)s: “%(kind)s” is not a kind of page; use one of %(kinds)s."),
                where=where,
                kind=value,
                kinds=", ".join(KINDS),
            )
        return value

    def kinds(self, where: str, value) -> dict:
        if not isinstance(value, dict):
            self.problem(_("%(where)s must be an object."), where=where)
            return {}
        return {ascii_lower(str(key)): self.kind(f"{where} “{key}”", kind) for key, kind in value.items()}

    def template(self, where: str, value, *, names: set[str]) -> str:
        if not isinstance(value, str) or not value:
            self.problem(_("%(where)s must be a text."), where=where)
            return ""
        fields = _template_fields(value)
        if fields is None:
            self.problem(_("%(where)s may only use names in braces, such as {handle}."), where=where)
        elif "handle" not in fields:
            self.problem(_("%(where)s must contain {handle}."), where=where)
        elif fields - names:
            self.problem(
                _("%(where)s uses {%(name)s}, which the pattern does not give."),
                where=where,
                name=sorted(fields - names)[0],
            )
        return value

    def address_template(self, where: str, value, *, names: set[str]) -> str:
        value = self.template(where, value, names=names)
        if value and not value.startswith("https://"):
            self.problem(_("%(where)s must start with https://."), where=where)
        return value

    def flag(self, where: str, value) -> bool:
        if not isinstance(value, bool):
            self.problem(_("%(where)s must be true or false."), where=where)
        return bool(value)


def _compile(rules) -> _Rules | None:
    """The rules compiled, None for no rules; raises _Problems listing everything wrong."""
    if rules in (None, {}):
        return None
    check = _Checker()
    if not isinstance(rules, dict):
        raise _Problems([_("The rules must be a JSON object.")])
    for key in sorted(set(rules) - RULE_KEYS):
        check.problem(_("“%(key)s” is not a known rule."), key=key)

    any_host = check.flag("any_host", rules.get("any_host", False))
    hosts = check.regex("hosts", rules["hosts"]) if "hosts" in rules else None
    if hosts is None and not any_host and "hosts" not in rules:
        check.problem(_("The rules need “hosts”, or “any_host” for a platform on any server."))
    excluded_hosts = check.regex("excluded_hosts", rules["excluded_hosts"]) if "excluded_hosts" in rules else None
    link_hosts = check.kinds("link_hosts", rules.get("link_hosts", {}))
    locale_prefix = check.regex("locale_prefix", rules["locale_prefix"]) if "locale_prefix" in rules else None
    reserved = check.kinds("reserved", rules.get("reserved", {}))

    other_pages = []
    raw_other = rules.get("other_pages", [])
    if not isinstance(raw_other, list):
        check.problem(_("%(where)s must be a list."), where="other_pages")
        raw_other = []
    for number, entry in enumerate(raw_other, start=1):
        where = f"other_pages {number}"
        if not isinstance(entry, dict) or set(entry) != {"path", "kind"}:
            check.problem(_("%(where)s must be an object with “path” and “kind”."), where=where)
            continue
        regex = check.regex(f"{where} path", entry["path"])
        kind = check.kind(where, entry["kind"])
        if regex:
            other_pages.append((regex, kind))

    paths = []
    group_names = set()
    raw_paths = rules.get("paths")
    if not isinstance(raw_paths, list) or not raw_paths:
        check.problem(_("The rules need “paths”, a list of profile addresses."))
        raw_paths = []
    for number, entry in enumerate(raw_paths, start=1):
        where = f"paths {number}"
        if not isinstance(entry, dict):
            check.problem(_("%(where)s must be an object."), where=where)
            continue
        for key in sorted(set(entry) - PATH_KEYS):
            check.problem(_("%(where)s: “%(key)s” is not a known rule."), where=where, key=key)
        regex = check.regex(f"{where} path", entry.get("path"))
        names = set(regex.groupindex) if regex else set()
        query = []
        raw_query = entry.get("query", {})
        if not isinstance(raw_query, dict):
            check.problem(_("%(where)s must be an object."), where=f"{where} query")
            raw_query = {}
        for parameter, value in raw_query.items():
            value_regex = check.regex(f"{where} query “{parameter}”", value)
            if value_regex:
                query.append((parameter, value_regex))
                names |= set(value_regex.groupindex)
        if regex and "handle" not in names:
            check.problem(_("%(where)s has no group named handle, (?P<handle>…)."), where=where)
        url = check.address_template(f"{where} url", entry.get("url"), names=names | {"host"})
        case = entry.get("case", "ignore")
        if case not in CASES:
            check.problem(_("%(where)s: case must be “ignore”, “keep” or “upper”."), where=where)
        drop = entry.get("drop", "")
        if not isinstance(drop, str):
            check.problem(_("%(where)s must be a text."), where=f"{where} drop")
            drop = ""
        follow = check.flag(f"{where} follow", entry.get("follow", False))
        group_names |= names
        if regex:
            paths.append(
                _PathRule(
                    path=re.compile(f"(?:{regex.pattern})(?=/|$)"),
                    query=tuple(query),
                    url=url,
                    case=case,
                    drop=str.maketrans("", "", drop),
                    follow=follow,
                )
            )

    tabs = rules.get("tabs", [])
    if not isinstance(tabs, list) or not all(isinstance(tab, str) for tab in tabs):
        check.problem(_("%(where)s must be a list of texts."), where="tabs")
        tabs = []

    handles = []
    raw_handles = rules.get("handles", [])
    if not isinstance(raw_handles, list):
        check.problem(_("%(where)s must be a list."), where="handles")
        raw_handles = []
    for number, entry in enumerate(raw_handles, start=1):
        where = f"handles {number}"
        if not isinstance(entry, dict):
            check.problem(_("%(where)s must be an object."), where=where)
            continue
        for key in sorted(set(entry) - HANDLE_KEYS):
            check.problem(_("%(where)s: “%(key)s” is not a known rule."), where=where, key=key)
        regex = check.regex(f"{where} pattern", entry.get("pattern"))
        names = set(regex.groupindex) if regex else set()
        if regex and "handle" not in names:
            check.problem(_("%(where)s has no group named handle, (?P<handle>…)."), where=where)
        url = check.address_template(f"{where} url", entry.get("url"), names=names)
        alone = check.flag(f"{where} alone", entry.get("alone", False))
        if regex:
            handles.append(_HandleRule(pattern=regex, url=url, alone=alone))

    display = check.template("display", rules.get("display", "{handle}"), names={"handle", "host"})
    example = rules.get("example", "")
    if not isinstance(example, str):
        check.problem(_("%(where)s must be a text."), where="example")
        example = ""

    if check.problems:
        raise _Problems(check.problems)
    return _Rules(
        hosts=hosts,
        any_host=any_host,
        excluded_hosts=excluded_hosts,
        link_hosts=link_hosts,
        locale_prefix=locale_prefix,
        reserved=reserved,
        other_pages=tuple(other_pages),
        paths=tuple(paths),
        tabs=frozenset(ascii_lower(tab) for tab in tabs),
        handles=tuple(handles),
        display=display,
        example=example,
    )


def rule_problems(rules) -> list:
    """What is wrong with a platform's `url_rules`, in words for the administrator; empty when fine."""
    try:
        _compile(rules)
    except _Problems as problems:
        return list(problems.args[0])
    return []


# One compiled copy of each platform's rules, replaced when the rules change.
_compiled: dict[int, tuple[dict, _Rules | None]] = {}


def _rules_of(platform: Platform) -> _Rules | None:
    # Remembered on the instance too, so that reading twice with the same platforms compares no
    # rules; assigning new rules (as forms and refresh_from_db do) is noticed.
    raw = platform.url_rules
    remembered = platform.__dict__.get("_compiled_rules")
    if remembered is not None and remembered[0] is raw:
        return remembered[1]
    cached = _compiled.get(platform.pk)
    if cached is not None and cached[0] == raw:
        platform._compiled_rules = (raw, cached[1])
        return cached[1]
    try:
        rules = _compile(raw)
    except _Problems:
        logger.warning("The address rules of platform %s are broken; it recognises no addresses.", platform.slug)
        rules = None
    if platform.pk is not None:
        _compiled[platform.pk] = (copy.deepcopy(raw), rules)
    platform._compiled_rules = (raw, rules)
    return rules


# -- Reading -----------------------------------------------------------------------------------

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+\-]*):")
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TOP_LEVEL = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_HANDLE_LIKE = re.compile(r"[\w.\-]{1,100}")
_EMAIL = re.compile(r"[^@]+@[^@]+\.[^@]+")
_ASCII_ODD = re.compile(r"[\x00-\x20\x7f]")
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}


class _Catalogue:
    """The platforms being read against, with their compiled rules."""

    def __init__(self, platforms: Iterable[Platform], others: Iterable[Platform] = ()):
        self.all = [(platform, rules) for platform in platforms if (rules := _rules_of(platform)) is not None]
        self.named = [(platform, rules) for platform, rules in self.all if rules.hosts is not None]
        self.wide = [(platform, rules) for platform, rules in self.all if rules.any_host]
        self.others = others

    def for_host(self, host: str) -> tuple[list, bool]:
        """The platforms to try for `host`, and whether they were found only as "any server"."""
        for platform, rules in self.named:
            kind = rules.link_hosts.get(host)
            if kind:
                raise NotAProfile(interpolated(KINDS[kind], {"platform": platform.name}), platform=platform)
            if rules.hosts.fullmatch(host):
                return [(platform, rules)], False
        wide = [
            (platform, rules)
            for platform, rules in self.wide
            if not (rules.excluded_hosts and rules.excluded_hosts.fullmatch(host))
        ]
        # A platform on any server, chosen alone, must not claim another platform's address.
        if wide and not self.owner(host):
            return wide, True
        raise self.unknown(host)

    def owner(self, host: str) -> Platform | None:
        """Another platform than the one chosen whose address this is."""
        chosen = [platform for platform, _rules in self.all]
        for other in self.others:
            rules = _rules_of(other)
            if other in chosen or not (rules and rules.hosts):
                continue
            if host in rules.link_hosts or rules.hosts.fullmatch(host):
                return other
        return None

    def unknown(self, host: str) -> NotAProfile:
        if len(self.all) == 1:
            chosen = self.all[0][0]
            other = self.owner(host)
            if other is not None:
                return NotAProfile(
                    interpolated(OTHER_PLATFORM, {"found": other.name, "platform": chosen.name}), platform=other
                )
            return NotAProfile(interpolated(WRONG_PLATFORM, {"platform": chosen.name}), platform=chosen)
        return NotAProfile(interpolated(UNKNOWN_SITE, {"host": host}))

    def is_host(self, text: str) -> bool:
        host = ascii_lower(text).rstrip(".")
        return any(host in rules.link_hosts or rules.hosts.fullmatch(host) for _platform, rules in self.named)


_cached: tuple = (None, [])


def all_platforms() -> list[Platform]:
    """Every platform, read from the database only when a platform has changed since the
    last read: one small query tells (the newest change, how many, the highest id)."""
    global _cached
    version = Platform.objects.aggregate(changed=Max("updated_at"), count=Count("pk"), last=Max("pk"))
    key = (version["changed"], version["count"], version["last"])
    cached_key, platforms = _cached
    if cached_key != key:
        platforms = list(Platform.objects.all())
        _cached = (key, platforms)
    return platforms


def read_profile(
    text: str, *, platform: Platform | None = None, platforms: Iterable[Platform] | None = None
) -> Profile:
    """The profile `text` names: a profile's address in any form people paste, or a handle.

    `platforms` are the platforms to recognise (all of them by default, active or not: a platform
    no longer offered in new plans still has profiles). `platform`, when given, is the only one
    tried, and lets a bare `handle` or `@handle` be read. Raises NotAProfile, whose message says
    what is wrong; HandleNeedsPlatform for a bare handle when no platform is given."""
    text = _trimmed(text)
    if platform is not None:
        rules = _rules_of(platform)
        if rules is None:
            raise NotAProfile(interpolated(NO_RULES, {"platform": platform.name}), platform=platform)
        if platforms is None and rules.any_host:
            # Mastodon's profiles are on any server but those of the other platforms.
            platforms = [p for p in all_platforms() if p.pk != platform.pk]
        catalogue = _Catalogue([platform], others=list(platforms or ()))
    else:
        catalogue = _Catalogue(all_platforms() if platforms is None else platforms)
    return _read(text, catalogue, chosen=platform is not None)


def _blank(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) == "Cf"


def _odd_characters(text: str) -> bool:
    if text.isascii():
        return _ASCII_ODD.search(text) is not None
    return any(character.isspace() or unicodedata.category(character) in _INVISIBLE for character in text)


def _trimmed(text) -> str:
    text = "" if text is None else str(text)
    start, end = 0, len(text)
    while start < end and _blank(text[start]):
        start += 1
    while end > start and _blank(text[end - 1]):
        end -= 1
    text = text[start:end]
    if not text:
        raise NotAProfile(EMPTY)
    if len(text) > MAX_LENGTH:
        raise NotAProfile(TOO_LONG)
    if text.isascii():
        odd = _ASCII_ODD.search(text)
        if odd:
            raise NotAProfile(SPACES if odd.group().isspace() else INVISIBLE)
    else:
        for character in text:
            if character.isspace():
                raise NotAProfile(SPACES)
            if unicodedata.category(character) in _INVISIBLE:
                raise NotAProfile(INVISIBLE)
    return text


def _read(text: str, catalogue: _Catalogue, *, chosen: bool) -> Profile:
    scheme = _SCHEME.match(text)
    if scheme:
        if ascii_lower(scheme.group(1)) in ("http", "https"):
            return _read_address(text[scheme.end() :].lstrip("/"), catalogue, depth=0)
        if "/" not in text:
            # A Bluesky DID (did:plc:…) looks like a scheme but is a handle.
            try:
                return _read_handle(text, catalogue, chosen=chosen)
            except NotAProfile:
                pass
        raise NotAProfile(NOT_WEB)
    if text.startswith("//"):
        return _read_address(text[2:], catalogue, depth=0)
    if any(mark in text for mark in "/?#") or ascii_lower(text).startswith("www.") or catalogue.is_host(text):
        return _read_address(text, catalogue, depth=0)
    return _read_handle(text, catalogue, chosen=chosen)


def _read_handle(text: str, catalogue: _Catalogue, *, chosen: bool) -> Profile:
    lowered = ascii_lower(text)
    for platform, rules in catalogue.all:
        for rule in rules.handles:
            if not (chosen or rule.alone):
                continue
            found = rule.pattern.fullmatch(lowered)
            if not found:
                continue
            values = {
                name: text[found.start(name) : found.end(name)]
                for name in rule.pattern.groupindex
                if found.group(name) is not None
            }
            address = rule.url.format(**{name: quote(value, safe="@:") for name, value in values.items()})
            try:
                return _read_address(address.removeprefix("https://"), catalogue, depth=1)
            except NotAProfile:
                if chosen:
                    raise _bad_handle(text, platform, rules) from None
                raise
    handle = text.removeprefix("@")
    if chosen:
        raise _bad_handle(text, *catalogue.all[0])
    if _HANDLE_LIKE.fullmatch(handle):
        raise HandleNeedsPlatform(handle)
    if _EMAIL.fullmatch(text):
        raise NotAProfile(EMAIL)
    raise NotAProfile(NOT_ADDRESS)


def _bad_handle(text: str, platform: Platform, rules: _Rules) -> NotAProfile:
    params = {"handle": text, "platform": platform.name, "example": rules.example}
    return NotAProfile(interpolated(BAD_HANDLE_EXAMPLE if rules.example else BAD_HANDLE, params), platform=platform)


def _host(authority: str) -> str:
    if not authority:
        raise NotAProfile(NOT_ADDRESS)
    if "@" in authority:
        raise NotAProfile(USERINFO)
    if authority.startswith("["):
        raise NotAProfile(IP_ADDRESS)
    name, colon, _port = authority.partition(":")
    if colon:
        raise NotAProfile(PORT)
    if not name.isascii():
        raise NotAProfile(UNUSUAL_HOST)
    name = name.lower().rstrip(".")
    labels = name.split(".")
    if _NUMERIC_LABEL.fullmatch(labels[-1]):
        raise NotAProfile(IP_ADDRESS)
    if len(labels) < 2 or not _TOP_LEVEL.fullmatch(labels[-1]) or not all(map(_LABEL.fullmatch, labels)):
        raise NotAProfile(NOT_ADDRESS)
    return name


def _segments(path: str) -> list[str]:
    segments = []
    for raw in path.split("/"):
        if not raw:
            continue
        try:
            segment = unquote(raw, errors="strict")
        except UnicodeDecodeError:
            raise NotAProfile(BAD_PATH) from None
        if segment in (".", "..") or "/" in segment or "\\" in segment or _odd_characters(segment):
            raise NotAProfile(BAD_PATH)
        segments.append(segment)
    return segments


def _read_address(rest: str, catalogue: _Catalogue, *, depth: int) -> Profile:
    """Read an address given without its scheme: host, path, query and fragment."""
    rest, _hash, fragment = rest.partition("#")
    rest, _mark, query = rest.partition("?")
    authority, _slash, path = rest.partition("/")
    host = _host(authority)
    candidates, wide = catalogue.for_host(host)
    segments = _segments(path)
    if not segments and fragment.startswith("!/"):
        # The old "#!" addresses (twitter.com/#!/name) kept the path in the fragment.
        path, _mark, query = fragment[2:].partition("?")
        segments = _segments(path)
    parameters = dict(parse_qsl(query, keep_blank_values=True)) if query else {}

    for platform, rules in candidates:
        found = _match(platform, rules, segments, parameters, host, catalogue, depth=depth, wide=wide)
        if found is not None:
            return found
    raise catalogue.unknown(host)


def _match(platform, rules: _Rules, segments, parameters, host, catalogue, *, depth, wide) -> Profile | None:
    """The profile the path names on `platform`; None when it names none on a platform of any server."""
    if segments and rules.locale_prefix and rules.locale_prefix.fullmatch(ascii_lower(segments[0])):
        segments = segments[1:]
    original = "/".join(segments)
    lowered = ascii_lower(original)
    if not wide:
        if not segments:
            raise NotAProfile(interpolated(FRONT_PAGE, {"platform": platform.name}), platform=platform)
        kind = rules.reserved.get(lowered.partition("/")[0])
        if kind is None:
            kind = next((kind for regex, kind in rules.other_pages if regex.fullmatch(lowered)), None)
        if kind is not None:
            raise NotAProfile(interpolated(KINDS[kind], {"platform": platform.name}), platform=platform)

    for rule in rules.paths:
        found = rule.path.match(lowered)
        if not found:
            continue
        values = {
            name: original[found.start(name) : found.end(name)]
            for name in rule.path.groupindex
            if found.group(name) is not None
        }
        for parameter, regex in rule.query:
            value = parameters.get(parameter)
            matched = regex.fullmatch(ascii_lower(value)) if value is not None else None
            if matched is None:
                break
            values.update(
                (name, value[matched.start(name) : matched.end(name)])
                for name in regex.groupindex
                if matched.group(name) is not None
            )
        else:
            profile = _profile(platform, rules, rule, values, host, catalogue, depth=depth)
            if profile is None:
                continue
            after = lowered[found.end() :]
            if after and after[1:] not in rules.tabs:
                raise NotAProfile(
                    interpolated(UNDER_PROFILE, {"platform": profile.platform.name, "url": profile.url}),
                    platform=profile.platform,
                    suggestion=profile,
                )
            return profile

    if wide:
        return None
    if rules.example:
        message = interpolated(NOT_A_PROFILE_EXAMPLE, {"platform": platform.name, "example": rules.example})
    else:
        message = interpolated(NOT_A_PROFILE, {"platform": platform.name})
    raise NotAProfile(message, platform=platform)


def _profile(platform, rules: _Rules, rule: _PathRule, values: dict, host: str, catalogue, *, depth) -> Profile | None:
    handle = values.pop("handle", None)
    if handle is None:
        return None
    if rule.case == "ignore":
        handle = ascii_lower(handle)
    elif rule.case == "upper":
        handle = handle.translate(_UPPER)
    written, handle = handle, handle.translate(rule.drop)
    if not handle:
        return None
    fields = {name: ascii_lower(value) for name, value in values.items()}
    fields["handle"] = handle
    fields.setdefault("host", host)
    url = rule.url.format(**{name: quote(value, safe="@:") for name, value in fields.items()})
    if rule.follow or handle != written:
        # The address is read again: it may be another server's, or, with characters dropped,
        # it must still be a valid handle that names the profile it seems to (a Facebook
        # "1234.5" is not profile number 12345).
        if depth >= MAX_FOLLOWS:
            return None
        if rule.follow:
            return _read_address(url.removeprefix("https://"), catalogue, depth=depth + 1)
        try:
            again = _read_address(url.removeprefix("https://"), catalogue, depth=depth + 1)
        except NotAProfile:
            return None
        return again if again.url == url else None
    shown = rules.display.format(handle=handle, host=fields["host"])
    return Profile(
        platform=platform,
        handle=shown,
        key=ascii_lower(shown) if rule.case == "ignore" else shown,
        url=url,
        lookalikes=describe_lookalikes(shown),
    )
