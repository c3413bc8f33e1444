"""Markdown to safe HTML. Whatever an editor types, no script, no event handler and
no javascript: link survives: the HTML is cleaned with an allow-list after rendering."""

import re

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
PORTAL_LINKS = {"plan-ny": "plans:create", "register": "registry:public_list", "verifiser": "registry:verify"}

LINK = re.compile(r"\]\((kapittel|portal):([a-z0-9-]+)\)")


def _resolve(match: re.Match) -> str:
    kind, name = match.groups()
    if kind == "kapittel":
        return f"]({reverse('handbook:chapter', args=[name])})"
    url_name = PORTAL_LINKS.get(name)
    return f"]({reverse(url_name)})" if url_name else "](#)"


def render_markdown(text: str) -> str:
    html = markdown.markdown(LINK.sub(_resolve, text), extensions=["tables", "sane_lists"], output_format="html")
    html = re.sub(r"<h1>", "<h2>", html).replace("</h1>", "</h2>")  # the page has the only h1
    html = nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=SCHEMES, link_rel="noopener noreferrer")
    return html.replace(' href="#"', "")


BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|tr|pre)>")


def plain_text(html: str) -> str:
    """The text of rendered HTML, with each heading, paragraph and list item on its own."""
    text = strip_tags(BLOCK_END.sub(lambda m: m.group(0) + "\n\n", html))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def split_title(text: str) -> tuple[str, str]:
    """A Markdown file's first-level heading as its title, and the rest as its body."""
    first, _, rest = text.lstrip().partition("\n")
    if first.startswith("# "):
        return first[2:].strip(), rest.lstrip("\n")
    return "", text
