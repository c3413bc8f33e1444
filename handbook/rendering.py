"""Markdown to safe HTML. Whatever an editor types, no script, no event handler and
no javascript: link survives: the HTML is cleaned with an allow-list after rendering."""

import re
from collections.abc import Callable

import markdown
import nh3
from django.urls import reverse
from django.utils.html import strip_tags

TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td", "abbr", "sup", "sub", "del", "ins",
}  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
SCHEMES = {"http", "https", "mailto"}

# Portal pages a chapter may link to with [text](portal:name). Names whose page does
# not exist yet render as plain text until it does.
PORTAL_LINKS = {
    "plan-ny": "plans:create",
    "register": "registry:public_list",
    "verifiser": "registry:verify",
    "meld-fra": "registry:report",
}

# [text](felt:name) links to an address kept outside the text (see `expand`); until the
# page is shown it stays a fragment link that the sanitiser lets through.
FIELD_LINK_PREFIX = "#felt-"

LINK = re.compile(r"\]\((kapittel|portal|felt):([a-z0-9-]+)\)")


def _resolve(match: re.Match) -> str:
    kind, name = match.groups()
    if kind == "kapittel":
        return f"]({reverse('handbook:chapter', args=[name])})"
    if kind == "felt":
        return f"]({FIELD_LINK_PREFIX}{name})"
    url_name = PORTAL_LINKS.get(name)
    return f"]({reverse(url_name)})" if url_name else "](#)"


def render_markdown(text: str) -> str:
    html = markdown.markdown(LINK.sub(_resolve, text), extensions=["tables", "sane_lists"], output_format="html")
    html = re.sub(r"<h1>", "<h2>", html).replace("</h1>", "</h2>")  # the page has the only h1
    html = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="noopener noreferrer")
    return html.replace(' href="#"', "")


# Text kept outside the chapters and filled in when a page is shown: `{{name}}` in the
# Markdown, and [text](felt:name) links. Another app registers an expander that replaces
# them in the sanitised HTML; with none registered the markers stay as they are.
MARKER = re.compile(r"\{\{\s*([a-z0-9-]+)\s*\}\}")

_expanders: list[tuple[Callable[[str], str], Callable[[], str], str | None]] = []


def register_expander(expand_html: Callable[[str], str], *, version: Callable[[], str], help_template=None) -> None:
    """Add a step that fills in markers in published HTML. `version` names the state of what
    it fills in (so a cached PDF is made again when it changes); `help_template` is shown to
    advisers beside the editor."""
    if all(e[0] is not expand_html for e in _expanders):
        _expanders.append((expand_html, version, help_template))


def expand(html: str) -> str:
    for expand_html, _version, _help in _expanders:
        html = expand_html(html)
    return html


def expansion_version() -> str:
    return "|".join(version() for _expand, version, _help in _expanders)


def editor_help_templates() -> list[str]:
    return [help_template for _expand, _version, help_template in _expanders if help_template]


BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|tr|pre)>")


def plain_text(html: str) -> str:
    """The text of rendered HTML, with each heading, paragraph and list item on its own."""
    text = strip_tags(BLOCK_END.sub(lambda m: m.group(0) + "\n\n", html))
    text = MARKER.sub("[…]", text)  # filled in only when the page is shown
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def split_title(text: str) -> tuple[str, str]:
    """A Markdown file's first-level heading as its title, and the rest as its body."""
    first, _, rest = text.lstrip().partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest.lstrip("\n")
    return "", text
