from django import template
from django.utils.html import format_html

from platforms import display
from platforms.models import ICON_MAX_LENGTH, ICON_PATH

register = template.Library()


@register.simple_tag
def platform_icon(platform) -> str:
    """The platform's icon as inline SVG, hidden from screen readers (the name is written beside it).

    The width, height and fill attributes are only a fallback for pages without the site's style
    sheet; the `platform-icon` class sizes and colours it."""
    path = getattr(platform, "icon", "") or ""
    # Checked again here: the icon goes into the page as markup, whatever reached the database.
    if not path or len(path) > ICON_MAX_LENGTH or not ICON_PATH.fullmatch(path):
        return ""
    return format_html(
        '<svg viewBox="0 0 24 24" width="1em" height="1em" fill="currentColor" aria-hidden="true" '
        'focusable="false" class="platform-icon"><path d="{}"/></svg>',
        path,
    )


@register.filter
def readable_address(text) -> str:
    """A profile address decoded for reading (plain text: for e-mails' text parts and subjects)."""
    return display.plain_address(str(text or ""))


@register.filter
def marked_address(text) -> str:
    """A profile address decoded for reading, each character outside ASCII marked and named."""
    return display.marked_address(str(text or ""))
