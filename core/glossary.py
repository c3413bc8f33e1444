"""The portal's one vocabulary (docs/glossary.toml): the forms chosen in each language and
the forms and slips that are not used, checked against any text by `problems`."""

import re
import tomllib
from dataclasses import dataclass
from functools import cache

from django.conf import settings

QUOTED = re.compile(r"«[^»]*»")


@dataclass(frozen=True)
class Rule:
    name: str
    language: str
    pattern: re.Pattern
    outside_quotes: bool = False


def load(path=None) -> dict:
    with open(path or settings.BASE_DIR / "docs" / "glossary.toml", "rb") as f:
        return tomllib.load(f)


@cache
def rules(language: str) -> tuple[list[Rule], tuple[str, ...]]:
    """The rules for one language, and the phrases that are exempt from all of them."""
    glossary = load()
    found, allowed = [], []
    for entry in glossary.get("term", []) + glossary.get("rule", []):
        name = entry.get("name") or entry["concept"]
        allowed += entry.get("allow", [])
        for expression in entry.get("reject", {}).get(language, []):
            pattern = re.compile(rf"(?<!\w){expression}(?!\w)", re.IGNORECASE)
            found.append(Rule(name, language, pattern, entry.get("outside_quotes", False)))
    return found, tuple(allowed)


def problems(text: str, language: str) -> list[tuple[str, str]]:
    """(rule, the text that broke it) for every rejected form in `text`."""
    found, allowed = rules(language)
    for phrase in allowed:
        text = text.replace(phrase, " ")
    unquoted = QUOTED.sub(" ", text)
    return [
        (rule.name, match.group(0))
        for rule in found
        for match in rule.pattern.finditer(unquoted if rule.outside_quotes else text)
    ]


PLURAL_YOU = re.compile(r"\b(de|dykk|dykkar)\b", re.IGNORECASE)
SINGULAR_YOU = re.compile(r"\b(du|deg|din|ditt|dine)\b", re.IGNORECASE)


def mixed_address(markdown: str) -> list[str]:
    """Headings of the sections of a Nynorsk text that speak to the reader both as «de» and
    as «du». Quotes, example replies (block quotes) and table rows are the public's voice
    and do not count."""
    mixed, heading, lines = [], "(start)", []

    def check():
        text = QUOTED.sub(" ", " ".join(lines))
        if PLURAL_YOU.search(text) and SINGULAR_YOU.search(text):
            mixed.append(heading)

    for line in markdown.splitlines():
        if line.startswith("#"):
            check()
            heading, lines = line.lstrip("# ").strip(), []
        elif not line.lstrip().startswith((">", "|")):
            # Code and the text of links (a chapter is called «FØR de startar») do not count.
            lines.append(re.sub(r"`[^`]*`|\[[^\]]*\]\([^)]*\)", " ", line))
    check()
    return mixed
