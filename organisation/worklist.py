from django.urls import reverse
from django.utils.translation import ngettext

from core.worklist import WorkItem, work_asked

from .services import closed_units_waiting


@work_asked.subscribe
def closed_units(user) -> list[WorkItem]:
    """Advisers: closed units that still own plans or accounts."""
    if not user.is_adviser:
        return []
    waiting = closed_units_waiting()
    if not waiting["count"]:
        return []
    return [
        WorkItem(
            kind="organisation.handover",
            text=ngettext(
                "A closed unit still owns plans or accounts: hand them over",
                "%(count)d closed units still own plans or accounts: hand them over",
                waiting["count"],
            )
            % {"count": waiting["count"]},
            url=reverse("organisation:closed"),
            since=waiting["since"],
        )
    ]
