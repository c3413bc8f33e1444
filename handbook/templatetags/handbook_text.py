from django import template
from django.utils.safestring import mark_safe

from ..rendering import expand

register = template.Library()


@register.filter
def expanded(html: str):
    """Published HTML (sanitised when it was published) with its markers filled in."""
    return mark_safe(expand(html))  # noqa: S308 - the expanders escape what they insert
