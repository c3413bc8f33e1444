"""Fill in the handbook's markers when a page is shown.

- `{{key}}`: the placeholder's value; a link placeholder becomes a link.
- `[text](felt:key)`: a link to the placeholder's address.
- `{{plattformliste}}` on a line of its own: the hospital's terms for every platform.

What is missing says so in the text, never with a made-up number. Values are escaped, so a
value typed by an adviser can only ever be text or an http(s) link."""

import re

from django.db.models import Count, Max
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape, format_html

from handbook.rendering import FIELD_LINK_PREFIX, MARKER
from platforms.models import Platform

from .models import Placeholder, PlatformTerms

PLATFORM_LIST = "plattformliste"
PLATFORM_LIST_PARAGRAPH = re.compile(r"<p>\s*\{\{\s*" + PLATFORM_LIST + r"\s*\}\}\s*</p>")
TAG = re.compile(r"(<[^>]*>)")
FIELD_LINK = re.compile(r'<a href="' + re.escape(FIELD_LINK_PREFIX) + r'([a-z0-9-]+)"[^>]*>(.*?)</a>', re.S)


def version() -> str:
    """Changes whenever anything this module fills in changes."""
    placeholders = Placeholder.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    terms = PlatformTerms.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    platforms = Platform.objects.aggregate(n=Count("pk"), t=Max("updated_at"))
    return f"facts:{placeholders}{terms}{platforms}"


def _missing(label: str) -> str:
    return format_html('<mark class="portal-missing">[Manglar: {}]</mark>', label)


def _value(key: str, placeholders: dict[str, Placeholder]) -> str:
    placeholder = placeholders.get(key)
    if placeholder is None:
        return _missing(key)
    if placeholder.missing:
        return _missing(placeholder.label)
    if placeholder.kind == Placeholder.Kind.LINK:
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', placeholder.value, placeholder.value)
    return escape(placeholder.value)


def _link(match: re.Match, placeholders: dict[str, Placeholder]) -> str:
    key, text = match.groups()  # text is already sanitised HTML from the published version
    placeholder = placeholders.get(key)
    if placeholder is None or placeholder.missing or placeholder.kind != Placeholder.Kind.LINK:
        label = placeholder.label if placeholder else key
        return f"{text} {_missing(label)}"
    return format_html('<a href="{}" rel="noopener noreferrer">', placeholder.value) + f"{text}</a>"


def platform_rows():
    """Every platform that can be chosen, with its terms (or None when not assessed), in catalogue order."""
    platforms = (
        Platform.objects.active()
        .select_related("terms")
        .only("name", "slug", "position", "terms__policy", "terms__reason", "terms__updated_at", "terms__updated_by_id")
    )
    return [(platform, getattr(platform, "terms", None)) for platform in platforms]


def platform_table() -> str:
    """The platform list as the handbook shows it, in Nynorsk whatever the reader's language."""
    with translation.override("nn"):
        heading = ("Plattform", "Vurdering", "Grunngjeving og vilkår")
        rows = []
        for platform, terms in platform_rows():
            if terms is None:
                policy, reason, note = (
                    "Ikkje vurdert",
                    "Ta kontakt med Kommunikasjonsavdelinga før de vel denne plattforma.",
                    "",
                )
            else:
                policy, reason = terms.get_policy_display(), terms.reason
                note = (
                    f"Gjennomgått av Kommunikasjonsavdelinga {date_format(terms.updated_at, 'DATE_FORMAT')}."
                    if terms.reviewed
                    else "Utgangspunkt frå portalen, ikkje gjennomgått av Kommunikasjonsavdelinga enno."
                )
            rows.append(
                format_html(
                    '<tr><th scope="row" data-label="{}">{}</th><td data-label="{}">{}</td>'
                    '<td data-label="{}">{}{}</td></tr>',
                    heading[0],
                    platform.name,
                    heading[1],
                    policy,
                    heading[2],
                    reason,
                    format_html(" <em>{}</em>", note) if note else "",
                )
            )
    head = format_html(
        '<thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead>', *heading
    )
    return f'<table class="portal-table-cards">{head}<tbody>{"".join(rows)}</tbody></table>'


def expand(html: str) -> str:
    if PLATFORM_LIST_PARAGRAPH.search(html):
        html = PLATFORM_LIST_PARAGRAPH.sub(lambda _m: platform_table(), html)
    if "{{" not in html and FIELD_LINK_PREFIX not in html:
        return html
    placeholders = {p.key: p for p in Placeholder.objects.all()}
    html = FIELD_LINK.sub(lambda m: _link(m, placeholders), html)
    # Markers are filled in in text only, never inside a tag's attributes.
    parts = TAG.split(html)
    return "".join(
        part if part.startswith("<") else MARKER.sub(lambda m: _value(m.group(1), placeholders), part) for part in parts
    )
