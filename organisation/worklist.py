from django.urls import reverse
from django.utils.translation import ngettext

from core.worklist import WorkItem, worklist_provider

from .services import closed_units_to_hand_over


@worklist_provider
def closed_units(user) -> list[WorkItem]:
    """Advisers: closed units that still own plans or accounts."""
    if not user.is_adviser:
        return []
    entries = closed_units_to_hand_over()
    if not entries:
        return []
    return [
        WorkItem(
            kind="organisation.handover",
            text=ngettext(
                "A closed unit still owns plans or accounts: hand them over",
                "%(count)d closed units still own plans or accounts: hand them over",
                len(entries),
            )
            % {"count": len(entries)},
            url=reverse("organisation:closed"),
            since=max(e["unit"].closed_at for e in entries),
        )
    ]
