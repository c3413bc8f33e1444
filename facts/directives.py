"""Fill in the handbook's markers when a page is shown.

- `{{key}}`: the placeholder's value (the page's organisation's own where it has one, else the
  shared one); a link placeholder becomes a link.
- `{{portal:key}}`: what the portal itself does, read from its settings and data (facts/portal_facts.py),
  such as `{{portal:svartid-plan}}` ("10 arbeidsdagar") or `{{portal:postkasse}}` (the page's
  organisation's Communications Department's mailbox as a mailto link). The `portal:` prefix
  keeps them apart from the advisers' placeholders.
- `[text](felt:key)`: a link to the placeholder's address.
- `{{plattformliste}}` on a line of its own: the hospital's terms for every platform.

Nothing is ever made up. What is missing is marked for the advisers, with a link to where they
fill it in; everyone else reads the text without it (a missing link is its words alone, a
missing value the words that say what it is). Values are escaped, so a value typed by an
adviser can only ever be text or an http(s) link."""

import re

from django.db.models import Count, Max, Value
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.translation import gettext

from handbook.rendering import FIELD_LINK_PREFIX, MARKER
from platforms.models import Platform

from . import portal_facts
from .models import Placeholder, PlatformTerms

PLATFORM_LIST = "plattformliste"
PLATFORM_LIST_PARAGRAPH = re.compile(r"<p>\s*\{\{\s*" + PLATFORM_LIST + r"\s*\}\}\s*</p>")
TAG = re.compile(r"(<[^>]*>)")
PORTAL_FACT = re.compile(r"\{\{\s*portal:([a-z0-9-]+)\s*\}\}")
FIELD_LINK = re.compile(r'<a href="' + re.escape(FIELD_LINK_PREFIX) + r'([a-z0-9-]+)"[^>]*>(.*?)</a>', re.S)


def version(organisation=None) -> str:
    """Changes whenever anything this module fills in for `organisation` changes: the
    placeholders, the terms, the platforms, the courses (the required ones are named), the
    portal's settings and the organisation's mailbox. One query."""
    from courses.models import Course

    def state(model, name):
        return model.objects.order_by().values(m=Value(name)).annotate(n=Count("pk"), t=Max("updated_at"))

    rows = (
        state(Placeholder, "placeholders")
        .union(state(PlatformTerms, "terms"), state(Platform, "platforms"), state(Course, "courses"), all=True)
        .order_by()
    )
    counted = sorted((row["m"], row["n"], str(row["t"])) for row in rows)
    return f"facts:{counted}portal:{portal_facts.settings_fingerprint()}:{portal_facts.mailbox_of(organisation)}"


def _missing(key: str, label: str, *, in_link: bool = False) -> str:
    """What an adviser sees where a placeholder is empty: that it is missing, and where to fill it in.
    In Nynorsk, as the text around it."""
    if in_link:
        return format_html('<mark class="portal-missing">[Manglar: {}]</mark>', label)
    return format_html(
        '<mark class="portal-missing">[Manglar: {}]</mark> (<a href="{}">fyll inn</a>)',
        label,
        reverse("facts:placeholder_edit", args=[key]),
    )


def _label(key: str, placeholder: Placeholder | None) -> str:
    return placeholder.label if placeholder else key.replace("-", " ")


def _value(key: str, placeholders: dict[str, Placeholder], *, for_editors: bool, in_link: bool = False) -> str:
    placeholder = placeholders.get(key)
    if placeholder is None or placeholder.missing:
        # Labels say what the value is ("telefonnummeret til sentralbordet"), so the sentence
        # still reads; nothing made up, nothing about what the portal lacks.
        label = _label(key, placeholder)
        return _missing(key, label, in_link=in_link) if for_editors else escape(label)
    if placeholder.kind == Placeholder.Kind.LINK and not in_link:
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', placeholder.value, placeholder.value)
    return escape(placeholder.value)


def _portal_fact(name: str, *, in_link: bool, organisation) -> str:
    # A fact the portal has not got (a misspelt name) stays as written, so an adviser sees it.
    shown = portal_facts.value(name, in_link=in_link, organisation=organisation)
    return f"{{{{portal:{escape(name)}}}}}" if shown is None else shown


def _link(match: re.Match, placeholders: dict[str, Placeholder], *, for_editors: bool) -> str:
    key, text = match.groups()  # text is already sanitised HTML from the published version
    placeholder = placeholders.get(key)
    if placeholder is None or placeholder.missing or placeholder.kind != Placeholder.Kind.LINK:
        # The words of the link, without it ("på samtykkeskjemaet til sjukehuset").
        return f"{text} {_missing(key, _label(key, placeholder))}" if for_editors else text
    return format_html('<a href="{}" rel="noopener noreferrer">', placeholder.value) + f"{text}</a>"


def platform_rows():
    """Every platform that can be chosen, with its terms (or None when not assessed), in catalogue order."""
    platforms = (
        Platform.objects.active()
        .select_related("terms")
        .only(
            "name",
            "slug",
            "position",
            "terms__policy",
            "terms__reason",
            "terms__assessed_on",
            "terms__updated_at",
            "terms__updated_by_id",
        )
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
                if terms.assessed_on:
                    # The same words as beside the position everywhere else ("Vurdert desember 2026").
                    assessed = gettext("Assessed %(date)s") % {"date": date_format(terms.assessed_on, "F Y")}
                    policy = format_html('{}<br><span class="portal-assessed-on">{}</span>', policy, assessed)
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


def expand(html: str, *, for_editors: bool = False, organisation=None) -> str:
    """Fill in the markers as `organisation`'s pages show them (None: the default organisation):
    for the advisers who keep the text (`for_editors`), with what is missing marked and a link
    to fill it in; for everyone else, without a word about it."""
    if PLATFORM_LIST_PARAGRAPH.search(html):
        html = PLATFORM_LIST_PARAGRAPH.sub(lambda _m: platform_table(), html)
    if "{{" not in html and FIELD_LINK_PREFIX not in html:
        return html
    placeholders = Placeholder.objects.shown_for(organisation)
    html = FIELD_LINK.sub(lambda m: _link(m, placeholders, for_editors=for_editors), html)
    # Markers are filled in in text only, never inside a tag's attributes; inside a link the
    # adviser's mark has no link of its own (a link in a link is no link at all).
    shown, in_link = [], False
    for part in TAG.split(html):
        if part.startswith("<"):
            in_link = (in_link or part.startswith("<a ") or part == "<a>") and not part.startswith("</a")
            shown.append(part)
        else:
            part = PORTAL_FACT.sub(
                lambda m, in_link=in_link: _portal_fact(m.group(1), in_link=in_link, organisation=organisation), part
            )
            shown.append(
                MARKER.sub(
                    lambda m, in_link=in_link: _value(
                        m.group(1), placeholders, for_editors=for_editors, in_link=in_link
                    ),
                    part,
                )
            )
    return "".join(shown)
