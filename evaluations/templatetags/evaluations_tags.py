from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

register = template.Library()

AUDIT_TEXT = {
    "evaluation.started": _("The evaluation was started"),
    "evaluation.saved": _("The evaluation was saved"),
    "evaluation.sent_to_leader": _("Sent to the leader for confirmation"),
    "evaluation.returned": _("Returned to the writer by the leader"),
    "evaluation.confirmed": _("Confirmed by the leader"),
    "evaluation.submitted": _("Sent to the Communications Department"),
    "evaluation.feedback": _("Feedback given"),
    "evaluation.account_closed": _("The account was closed in the register"),
}


@register.filter
def evaluation_audit_text(entry) -> str:
    return str(AUDIT_TEXT.get(entry.action, entry.action))


@register.filter
def figure(value) -> str:
    """A number as the reader's language writes it, thousands grouped ("195 520", "12,5"); "–" for none."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    return number_format(value, use_l10n=True, force_grouping=True)
