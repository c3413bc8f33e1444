from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

AUDIT_TEXT = {
    "session.created": _("The session was created"),
    "session.updated": _("The session was changed"),
    "session.cancelled": _("The session was cancelled"),
}


@register.filter
def course_audit_text(entry) -> str:
    return str(AUDIT_TEXT.get(entry.action, entry.action))
