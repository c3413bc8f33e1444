from django.urls import reverse
from django.utils.translation import ngettext

from core.worklist import WorkItem, work_asked

from .services import closed_units_waiting


@work_asked.subscribe
def closed_units(user) -> list[WorkItem]:
    """Advisers: closed units of their organisation that still own plans or accounts."""
    if not user.advised_organisation_ids():
        return []
    waiting = closed_units_waiting(user=user)
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
