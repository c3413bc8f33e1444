from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

AUDIT_TEXT = {
    "evaluation.started": _("The evaluation was started"),
    "evaluation.saved": _("The evaluation was saved"),
    "evaluation.submitted": _("Sent to the Communications Department"),
    "evaluation.feedback": _("Feedback given"),
    "evaluation.account_closed": _("The account was closed in the register"),
}


@register.filter
def evaluation_audit_text(entry) -> str:
    return str(AUDIT_TEXT.get(entry.action, entry.action))
