"""What the evaluation has to say on an account's page in the register."""

from django.urls import reverse
from django.utils.translation import gettext as _

from registry.models import AccountStatus
from registry.notices import Notice, notices_asked

from .models import ClosureReason, Schedule


@notices_asked.subscribe
def closure(*, account) -> list[Notice]:
    schedule = Schedule.objects.filter(pk=account.pk, closure_candidate=True).only("closure_reason").first()
    if schedule is None or account.status == AccountStatus.CLOSED:
        return []
    if schedule.closure_reason == ClosureReason.DECIDED:
        text = _("The unit has evaluated the account and decided to close it.")
    else:
        text = _("The account's evaluation is long overdue: it is a candidate for closure.")
    return [
        Notice(
            text=text,
            link=reverse("evaluations:account", args=[account.pk]),
            link_text=_("See the evaluations"),
            urgent=True,
        )
    ]
