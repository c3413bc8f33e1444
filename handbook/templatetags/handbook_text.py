from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from ..models import edits_base
from ..rendering import expand

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_text(context, version, organisation=None):
    """A published version's text as this reader is shown it on `organisation`'s page (its own
    facts filled in; None: the page's organisation): an adviser who keeps that organisation's
    text sees what is still missing and where to fill it in; everyone else reads it as the public does."""
    request = context.get("request")
    organisation = organisation or context.get("organisation") or getattr(request, "organisation", None)
    user = context.get("user")
    keeps = bool(
        getattr(user, "is_authenticated", False)
        and organisation is not None
        and (user.advises(organisation.pk) or (edits_base(user) and user.organisation_id == organisation.pk))
    )
    html = expand(version.body_html, for_editors=keeps, organisation=organisation)
    if context.get("organisation_slug"):
        # On an organisation's own pages (/o/<slug>/), its links to other chapters stay there.
        html = html.replace(
            f'href="{reverse("handbook:index")}', f'href="{reverse("handbook:org_index", args=[organisation.slug])}'
        )
    return mark_safe(html)  # sanitised when it was published
