from django import template

from handbook.models import chapter_using

from ..directives import PLATFORM_LIST, platform_rows
from ..models import PlatformTerms

register = template.Library()


@register.simple_tag
def portal_fact_keys() -> str:
    """The names after `portal:` that the handbook's text may use, as the editors' help lists them."""
    from ..portal_facts import KEYS

    return ", ".join(KEYS)


@register.simple_tag(takes_context=True)
def channel_terms(context, channels=None):
    """The hospital's terms beside the plan form's choice of channel: every platform that can be
    chosen, a warning for each chosen one that is not approved or not assessed, and the chapter
    of the page's organisation's handbook that shows the terms in full (its address and title)."""
    rows = platform_rows()
    chosen = set()
    for form in getattr(channels, "forms", []):
        value = form["platform"].value()
        if value not in (None, ""):
            chosen.add(str(value))
    warnings = [
        (platform, terms)
        for platform, terms in rows
        if str(platform.pk) in chosen and (terms is None or terms.policy == PlatformTerms.Policy.NOT_APPROVED)
    ]
    groups = {policy: [] for policy in PlatformTerms.Policy}
    unassessed = []
    for platform, terms in rows:
        (groups[terms.policy] if terms else unassessed).append(platform.name)
    summary = [(PlatformTerms.Policy(policy).label, names) for policy, names in groups.items() if names]
    request = context.get("request")
    organisation = context.get("organisation") or getattr(request, "organisation", None)
    chapter = chapter_using("{{" + PLATFORM_LIST + "}}", organisation)
    return {"rows": rows, "warnings": warnings, "summary": summary, "unassessed": unassessed, "chapter": chapter}
