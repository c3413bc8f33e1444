"""The translation catalogues as data, and the words on a page as text, for the tests that
look for words of the wrong language in what people see."""

import ast
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import django
from django.conf import settings

BASE = Path(settings.BASE_DIR)
LANGUAGES = ["nb", "nn", "en"]
# The project's catalogue, and those of the apps that keep their own (<app>/locale/).
LOCALE_DIRS = [BASE / "locale", *sorted(p for p in BASE.glob("*/locale") if p.is_dir())]
DJANGO_LOCALE = Path(django.__file__).parent / "conf" / "locale"


@dataclass
class Entry:
    msgid: str
    plural: str = ""
    translations: list = field(default_factory=list)  # msgstr, or msgstr[0], msgstr[1] …
    fuzzy: bool = False

    @property
    def translated(self) -> list[str]:
        """What the compiled catalogue gives: nothing for a fuzzy or empty entry."""
        return [] if self.fuzzy else [t for t in self.translations if t]


def _unquote(line: str) -> str:
    return ast.literal_eval(line.strip())


def read_po(path: Path) -> dict[str, Entry]:
    """A .po file's entries by message id (the header left out)."""
    entries: dict[str, Entry] = {}
    entry, target, fuzzy = None, None, False

    def close():
        if entry is not None and entry.msgid:
            entries[entry.msgid] = entry

    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgid "):
            close()
            entry = Entry(_unquote(line[6:]), fuzzy=fuzzy)
            target, fuzzy = "msgid", False
        elif line.startswith("msgid_plural "):
            entry.plural = _unquote(line[13:])
            target = "plural"
        elif line.startswith("msgstr"):
            entry.translations.append(_unquote(line.split(" ", 1)[1]))
            target = "msgstr"
        elif line.startswith('"') and entry is not None:
            text = _unquote(line)
            if target == "msgid":
                entry.msgid += text
            elif target == "plural":
                entry.plural += text
            else:
                entry.translations[-1] += text
    close()
    return entries


def project_catalogue(language: str) -> dict[str, Entry]:
    entries = {}
    for directory in LOCALE_DIRS:
        po = directory / language / "LC_MESSAGES" / "django.po"
        if po.exists():
            entries.update(read_po(po))
    return entries


def django_catalogue(language: str) -> dict[str, Entry]:
    po = DJANGO_LOCALE / language / "LC_MESSAGES" / "django.po"
    return read_po(po) if po.exists() else {}


# Blocks of text: their ends separate words that inline elements (a link in a sentence) do not.
BLOCKS = {
    "p", "div", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "title", "label",
    "legend", "button", "option", "caption", "summary", "section", "article", "nav", "header", "footer",
    "main", "aside", "form", "fieldset", "ul", "ol", "dl", "table", "tr", "br", "blockquote", "pre", "select",
}  # fmt: skip
SKIPPED = {"script", "style", "code", "pre", "textarea", "svg"}
VOID = {"br", "input", "img", "meta", "link", "hr", "source", "wbr", "col", "area", "base", "embed"}
SPOKEN_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt", "data-label"}


class _Text(HTMLParser):
    """Collects what a reader meets in the page's own language: text and the attributes that
    are read or shown. Parts marked as another language (lang="nn" for the handbook's chapters
    on a Bokmål page) are left out, as are code, scripts and what people typed into fields."""

    def __init__(self, language):
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack = []  # (tag, skipped)
        self.chunks = []

    def _skipped(self):
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        lang = attrs.get("lang")
        skipped = (
            self._skipped()
            or tag in SKIPPED
            or (lang is not None and lang.split("-")[0] != self.language)
            or "portal-prose" in (attrs.get("class") or "").split()
        )
        if tag in BLOCKS:
            self.chunks.append("\n")
        if not skipped:
            for name in SPOKEN_ATTRIBUTES & attrs.keys():
                self.chunks.append(f"\n{attrs[name]}\n")
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.chunks.append(f"\n{attrs['value']}\n")
        if tag not in VOID:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        # Close up to the matching tag (browsers forgive a missing end tag; so does this).
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag in BLOCKS:
            self.chunks.append("\n")

    def handle_data(self, data):
        if not self._skipped():
            self.chunks.append(data)


def page_text(html: str, language: str) -> list[str]:
    """The page's blocks of text in `language`, each with its white space made single."""
    parser = _Text(language)
    parser.feed(html)
    parser.close()
    blocks = (" ".join(block.split()) for block in "".join(parser.chunks).split("\n"))
    return [block for block in blocks if block]


PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\{ *\w+ *\}\}|\{\w*\}")
TAG = re.compile(r"<[^>]+>")


def fragments(message: str) -> list[str]:
    """The fixed parts of a message (its placeholders and markup taken out), as they read."""
    text = unescape(TAG.sub("\x00", message))
    return [" ".join(part.split()) for part in PLACEHOLDER.sub("\x00", text).split("\x00") if part.strip()]
