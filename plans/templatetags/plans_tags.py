from django import template
from django.utils.translation import gettext_lazy as _

from plans.workflow import review_conflict

register = template.Library()

AUDIT_TEXT = {
    "plan.created": _("The draft was created"),
    "plan.saved": _("The plan was saved"),
    "plan.send_to_leader": _("Sent to the leader for confirmation"),
    "plan.submit": _("Confirmed by the leader and sent to the Communications Department"),
    "plan.return_to_author": _("Returned to the author by the leader"),
    "plan.resubmit": _("The revised plan was sent"),
    "plan.withdraw": _("Withdrawn by the unit"),
    "plan.reopen": _("Reopened as a draft"),
    "plan.take": _("Taken for review"),
    "plan.request_changes": _("Changes requested"),
    "plan.approve": _("Approved"),
    "plan.reject": _("Not approved"),
    "plan.commented": _("Comment added"),
}


@register.filter
def review_conflict_for(plan, user) -> bool:
    return review_conflict(user, plan)


@register.filter
def audit_text(entry) -> str:
    return str(AUDIT_TEXT.get(entry.action, entry.action))
