from django import template
from django.forms.boundfield import BoundField

register = template.Library()

STATUS_COLORS = {
    "draft": "neutral",
    "awaiting_leader": "warning",
    "submitted": "info",
    "in_review": "info",
    "changes_requested": "warning",
    "approved": "success",
    "rejected": "danger",
    "withdrawn": "neutral",
    # Accounts in the register
    "setup": "info",
    "active": "success",
    "paused": "warning",
    "closed": "neutral",
    # Reports of fake accounts
    "new": "info",
    "fake": "danger",
    "unofficial": "warning",
    "official": "success",
    "dismissed": "neutral",
}


@register.filter
def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "neutral")


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters replaced (for pagination links)."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query[key] = value
    return query.urlencode()


@register.filter
def described(field: BoundField, guidance: str = "") -> BoundField:
    """Give a field's control the Designsystemet class and link it to its help and error."""
    ids = []
    if field.help_text or guidance:
        ids.append(f"{field.auto_id}-help")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    attrs = field.field.widget.attrs
    attrs["class"] = "ds-input"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    else:
        attrs.pop("aria-describedby", None)
    if field.errors:
        attrs["aria-invalid"] = "true"
    else:
        attrs.pop("aria-invalid", None)
    return field


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
