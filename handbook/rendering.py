"""Markdown to safe HTML. Whatever an editor types, no script, no event handler and
no javascript: link survives: the HTML is cleaned with an allow-list after rendering."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from html import unescape

import markdown
import nh3
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape, strip_tags
from django.utils.text import slugify

from .events import fillers_asked

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr", "sup", "sub", "del", "ins",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
SCHEMES = {"http", "https", "mailto"}

# Portal pages a chapter may link to with [text](portal:name). The link is kept in the stored
# HTML as a marker (href="#portal:name") and made when the page is shown: to the page when its
# URL name exists, as plain text until then (the courses page comes later), never a dead link.
PORTAL_LINKS = {
    "plan-ny": "plans:create",
    "register": "registry:public_list",
    "verifiser": "registry:verify",
    "meld-fra": "registry:report",
    "kurs": "courses:list",
}

# [text](felt:name) links to an address kept outside the text (see `expand`); until the
# page is shown it stays a fragment link that the sanitiser lets through.
FIELD_LINK_PREFIX = "#felt-"

LINK = re.compile(r"\]\((kapittel|portal|felt):([a-z0-9-]+)\)")
PORTAL_MARKER = re.compile(r'<a href="#portal:([a-z0-9-]+)"[^>]*>(.*?)</a>', re.S)

# A chapter this long (in words) starts with a list of its sections.
CONTENTS_FROM_WORDS = 1500


def _resolve(match: re.Match) -> str:
    kind, name = match.groups()
    if kind == "kapittel":
        return f"]({reverse('handbook:chapter', args=[name])})"
    if kind == "felt":
        return f"]({FIELD_LINK_PREFIX}{name})"
    return f"](#portal:{name})"


def portal_link(name: str) -> str:
    """The address of a portal page a chapter names, or "" while that page does not exist."""
    url_name = PORTAL_LINKS.get(name)
    if url_name is None:
        return ""
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return ""


def with_portal_links(html: str) -> str:
    """Stored HTML as shown: each portal marker a link to its page, or its text alone."""

    def link(match: re.Match) -> str:
        url = portal_link(match.group(1))
        return f'<a href="{url}">{match.group(2)}</a>' if url else match.group(2)

    return PORTAL_MARKER.sub(link, html)


def portal_links_state() -> str:
    """Which portal links resolve now (for caches of shown HTML, such as the handbook PDF)."""
    return ",".join(f"{name}={portal_link(name)}" for name in sorted(PORTAL_LINKS))


def render_markdown(text: str) -> str:
    html = markdown.markdown(LINK.sub(_resolve, text), extensions=["tables", "sane_lists"], output_format="html")
    html = re.sub(r"<h1>", "<h2>", html).replace("</h1>", "</h2>")  # the page has the only h1
    html = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="noopener noreferrer")
    html = html.replace(' href="#"', "")
    # What follows only adds fixed markup to HTML that is already clean.
    return _tables(_task_lists(_heading_ids(html)))


TASK = re.compile(r"<li>(\s*<p>)?\[([ xX])\] (.*?)(?=</p>|</li>|<ul>|<ol>)", re.S)


def _task_lists(html: str) -> str:
    """Markdown task lists ("- [ ] …", "- [x] …") as lists of check boxes."""

    def task(match: re.Match) -> str:
        paragraph, mark, text = match.groups()
        checked = " checked" if mark in "xX" else ""
        return (
            f'<li class="portal-task">{paragraph or ""}<label><input type="checkbox" disabled{checked}> {text}</label>'
        )

    html = TASK.sub(task, html)
    return re.sub(r'<ul>(\s*<li class="portal-task">)', r'<ul class="portal-tasks">\1', html)


H2 = re.compile(r"<h2>(.*?)</h2>", re.S)


def _heading_ids(html: str) -> str:
    """Give each section heading an id, so a contents list and other pages can link to it."""
    taken = set()

    def heading(match: re.Match) -> str:
        base = "del-" + (slugify(strip_tags(match.group(1)), allow_unicode=True) or "tekst")
        anchor, number = base, 2
        while anchor in taken:
            anchor, number = f"{base}-{number}", number + 1
        taken.add(anchor)
        return f'<h2 id="{anchor}">{match.group(1)}</h2>'

    return H2.sub(heading, html)


TABLE_OR_HEADING = re.compile(
    r'<table>(?P<table>.*?)</table>|<(?P<h>h[234])(?: id="(?P<id>[^"]+)")?>(?P<text>.*?)</(?P=h)>', re.S
)
CELL = re.compile(r"<(th|td)>")


def _tables(html: str) -> str:
    """Tables that show each row as a card on a phone (portal-table-cards), in a wrapper that
    scrolls sideways where a table is wider than the page. The wrapper takes focus, so a keyboard
    can scroll it, and is a group named by the heading above the table, as every wide table in the
    portal is (docs/accessibility.md); a table with no heading above it is named by its columns."""
    above = None  # (id, text) of the last heading before the table

    def wrapper(labels: list[str]) -> str:
        if above and above[0]:
            name = f'aria-labelledby="{above[0]}"'
        else:
            words = above[1] if above else ", ".join(unescape(label) for label in labels)
            name = f'aria-label="{escape(words)}"'
        return f'<div class="portal-table-wrap" tabindex="0" role="group" {name}>'

    def table(inner: str) -> str:
        head, _, body = inner.partition("</thead>")
        labels = [escape(unescape(strip_tags(h)).strip()) for h in re.findall(r"<th>(.*?)</th>", head, re.S)]
        if not body or not labels:
            return f"{wrapper(labels)}<table>{inner}</table></div>"

        def row(row_match: re.Match) -> str:
            cells = iter(labels)
            return CELL.sub(lambda c: f'<{c.group(1)} data-label="{next(cells, "")}">', row_match.group(0))

        body = re.sub(r"<tr>.*?</tr>", row, body, flags=re.S)
        return f'{wrapper(labels)}<table class="ds-table portal-table-cards">{head}</thead>{body}</table></div>'

    def each(match: re.Match) -> str:
        nonlocal above
        if match.group("h"):
            above = (match.group("id"), " ".join(unescape(strip_tags(match.group("text"))).split()))
            return match.group(0)
        return table(match.group("table"))

    return TABLE_OR_HEADING.sub(each, html)


def headings(html: str) -> list[tuple[str, str]]:
    """(id, text) of each section heading in rendered HTML."""
    return [
        (anchor, unescape(strip_tags(text))) for anchor, text in re.findall(r'<h2 id="([^"]+)">(.*?)</h2>', html, re.S)
    ]


def contents(html: str, text: str) -> list[tuple[str, str]]:
    """The contents list for the top of a long chapter: its section headings, when it has
    over CONTENTS_FROM_WORDS words and at least two sections; otherwise none."""
    if len(text.split()) <= CONTENTS_FROM_WORDS:
        return []
    found = headings(html)
    return found if len(found) >= 2 else []


# Text kept outside the chapters and filled in when a page is shown: `{{name}}` in the
# Markdown, and [text](felt:name) links. Another app registers an expander that replaces
# them in the sanitised HTML; with none registered the markers stay as they are.
MARKER = re.compile(r"\{\{\s*([a-z0-9-]+)\s*\}\}")
# Every marker a filler fills in when the page is shown: the advisers' placeholders and the
# portal's own facts (`{{portal:key}}`), for text that is read without filling in (search).
ANY_MARKER = re.compile(r"\{\{\s*(?:[a-z]+:)?[a-z0-9-]+\s*\}\}")


@dataclass(frozen=True)
class Filler:
    """An app's step that fills in markers in published HTML, given when the handbook asks
    (`handbook.events.fillers_asked`). `expand_html(html, for_editors=..., organisation=...)`:
    for the people who keep the text (the advisers) it marks what is missing and links to where
    it is filled in; for everyone else, the public included, it says nothing of what is missing.
    `organisation` is the one whose page or PDF it is (its own values win; None: the default
    organisation). `version(organisation)` names the state of what it fills in for that
    organisation (so a cached PDF is made again when it changes);
    `help_template` is shown to advisers beside the editor."""

    expand_html: Callable[..., str]
    version: Callable[..., str]
    help_template: str | None = None


def _fillers() -> list[Filler]:
    return [filler for filler in fillers_asked.ask() if filler is not None]


def expand(html: str, *, for_editors: bool = False, organisation=None) -> str:
    """Stored HTML as shown: portal links made (or plain text), then every app's filler, for
    `organisation`'s page (None: the default organisation).

    Readers (and the PDF) get the text as the public reads it; `for_editors` is the adviser's
    view, with what is missing marked. Kept public pages are only ever the readers' view
    (core/pagecache.py keeps nothing made for a logged-in person)."""
    html = with_portal_links(html)
    for filler in _fillers():
        html = filler.expand_html(html, for_editors=for_editors, organisation=organisation)
    return html


def expansion_version(organisation=None) -> str:
    return "|".join(filler.version(organisation) for filler in _fillers())


def editor_help_templates() -> list[str]:
    return [filler.help_template for filler in _fillers() if filler.help_template]


BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|tr|pre)>")


def plain_text(html: str) -> str:
    """The text of rendered HTML, with each heading, paragraph and list item on its own."""
    text = strip_tags(BLOCK_END.sub(lambda m: m.group(0) + "\n\n", html))
    text = ANY_MARKER.sub("[…]", text)  # filled in only when the page is shown
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def split_title(text: str) -> tuple[str, str]:
    """A Markdown file's first-level heading as its title, and the rest as its body."""
    first, _, rest = text.lstrip().partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest.lstrip("\n")
    return "", text
