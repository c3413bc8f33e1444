from django import template
from django.utils.safestring import mark_safe

from ..rendering import expand

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_text(context, version):
    """A published version's text as this reader is shown it: an adviser, who keeps the text,
    sees what is still missing and where to fill it in; everyone else reads it as the public does."""
    user = context.get("user")
    for_editors = bool(getattr(user, "is_authenticated", False) and getattr(user, "is_adviser", False))
    return mark_safe(expand(version.body_html, for_editors=for_editors))  # sanitised when it was published
