"""The advisers' tasks for barrier reports: each new one until it is closed. See core/worklist.py."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.worklist import WorkItem, capped, work_asked

from .models import BarrierReport, BarrierStatus

LIMIT = 5
# The statement promises an answer; a report nobody has looked at for this long is urgent.
URGENT_AFTER = timedelta(days=7)


@work_asked.subscribe
def barrier_tasks(user) -> list[WorkItem]:
    if not user.advised_organisation_ids():
        return []
    rows = (
        BarrierReport.objects.visible_to(user)
        .filter(status=BarrierStatus.NEW)
        .only("pk", "reference", "page", "what_was_hard", "created_at")
        .order_by("created_at", "pk")
    )
    now = timezone.now()

    def item(report):
        return WorkItem(
            kind="barrier.new",
            text=_("Look at the barrier report %(reference)s") % {"reference": report.reference},
            url=reverse("accessibility:barrier_detail", args=[report.pk]),
            since=report.created_at,
            urgent=now - report.created_at > URGENT_AFTER,
            detail=report.page or Truncator(report.what_was_hard).chars(80),
        )

    return capped(
        rows,
        LIMIT,
        item,
        lambda count, first: WorkItem(
            kind="barrier.new",
            text=ngettext("%(count)s more new barrier report", "%(count)s more new barrier reports", count)
            % {"count": count},
            url=reverse("accessibility:barrier_list"),
            urgent=now - first.created_at > URGENT_AFTER,
            count=count,
        ),
    )
