"""The platforms' address rules, checked and compiled (and remembered per platform)."""

import copy
import logging
import re
import string
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from ..models import Platform
from .base import CASES, HANDLE_KEYS, KINDS, PATH_KEYS, RULE_KEYS, ascii_lower, interpolated

logger = logging.getLogger(__name__)


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
