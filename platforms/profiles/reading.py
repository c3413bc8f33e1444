"""Reading pasted text into a profile with the catalogue of platforms."""

import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, unquote

from django.db.models import Count, Max

from ..models import Platform
from .base import (
    _UPPER,
    BAD_HANDLE,
    BAD_HANDLE_EXAMPLE,
    BAD_PATH,
    EMAIL,
    EMPTY,
    FRONT_PAGE,
    INVISIBLE,
    IP_ADDRESS,
    KINDS,
    MAX_FOLLOWS,
    MAX_LENGTH,
    NO_RULES,
    NOT_A_PROFILE,
    NOT_A_PROFILE_EXAMPLE,
    NOT_ADDRESS,
    NOT_WEB,
    OTHER_PLATFORM,
    PORT,
    SPACES,
    TOO_LONG,
    UNDER_PROFILE,
    UNKNOWN_SITE,
    UNUSUAL_HOST,
    USERINFO,
    WRONG_PLATFORM,
    HandleNeedsPlatform,
    NotAProfile,
    Profile,
    ascii_lower,
    describe_lookalikes,
    interpolated,
)
from .rules import _PathRule, _Rules, _rules_of

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
