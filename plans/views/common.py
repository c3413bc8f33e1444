"""What several plan pages share: finding the plan, the queue's filters, and the confirmations and messages of the workflow actions."""

from django.http import QueryDict
from django.utils.translation import gettext_lazy

from core.access import get_visible_or_404

from ..models import Plan

PAGE_SIZE = 25
# The transitions that send the plan on, which the edit page offers once it is ready.
SENDING = ("send_to_leader", "submit", "resubmit")


def _plan(request, pk) -> Plan:
    return get_visible_or_404(Plan.objects.with_details(), request.user, pk=pk)


# The review queue and the decision. The queue's filters travel in the address, from the
# queue to a plan's review page and on to the next plan after a decision; nothing is
# stored between visits.

QUEUE_KEYS = ("q", "who", "status", "unit", "platform", "sort")


def _queue_params(source) -> QueryDict:
    params = QueryDict(mutable=True)
    for key in QUEUE_KEYS:
        if source.get(key):
            params[key] = source[key]
    return params


def _queue_query(request) -> str:
    """The queue's filters as "?…" (or ""), from the page's address or the form's field."""
    if request.method == "POST":
        params = _queue_params(QueryDict(request.POST.get("queue", "")))
    else:
        params = _queue_params(request.GET)
    return f"?{params.urlencode()}" if params else ""


CONFIRMATIONS = {
    "withdraw": {
        "title": gettext_lazy("Withdraw the plan?"),
        "consequences": [
            gettext_lazy(
                "It leaves the Communications Department's queue; an adviser working on it is told by e-mail."
            ),
            gettext_lazy("The unit can reopen it as a draft later and send it again."),
        ],
        "button": gettext_lazy("Yes, withdraw the plan"),
    },
    "reject": {
        "title": gettext_lazy("Do not approve the plan?"),
        "consequences": [
            gettext_lazy("The plan ends here: it cannot be revised and sent again."),
            gettext_lazy("The unit's leader and the author are told by e-mail, with your reason."),
        ],
        "button": gettext_lazy("Yes, do not approve the plan"),
    },
    "delete": {
        "title": gettext_lazy("Delete the draft?"),
        "consequences": [
            gettext_lazy("The draft and everything written in it are deleted; it disappears from every list."),
            gettext_lazy("Nobody has been sent it. The audit log keeps a note of who deleted it, and when."),
        ],
        "button": gettext_lazy("Yes, delete the draft"),
    },
}


DONE_MESSAGES = {
    "send_to_leader": gettext_lazy("The plan was sent to the leader for confirmation."),
    "submit": gettext_lazy("The plan was sent to the Communications Department. A receipt is on its way by e-mail."),
    "return_to_author": gettext_lazy("The plan was returned to the author."),
    "resubmit": gettext_lazy("The revised plan was sent to the Communications Department."),
    "withdraw": gettext_lazy("The plan was withdrawn."),
    "reopen": gettext_lazy("The plan is a draft again."),
    "take": gettext_lazy("You have taken the plan. The unit can see that it is in review."),
    "request_changes": gettext_lazy("The unit was asked for changes and has been told by e-mail."),
    "approve": gettext_lazy("The plan was approved and the unit has been told by e-mail."),
    "reject": gettext_lazy("The plan was not approved, and the unit has been told why by e-mail."),
}
