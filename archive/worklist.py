"""The archive's tasks for the advisers: packages the outbox refuses, packages the archive
refused, and packages it has not acknowledged for too long (core/worklist.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.worklist import WorkItem, work_asked

from .selectors import overview


@work_asked.subscribe
def archive_tasks(user) -> list[WorkItem]:
    if not user.advised_organisation_ids():
        return []
    counts = overview(user)
    page = reverse("archive:index")
    items = []
    if counts["stuck"]:
        items.append(
            WorkItem(
                kind="archive.outbox",
                text=ngettext(
                    "%(count)d package for the archive cannot be delivered: the outbox refuses it",
                    "%(count)d packages for the archive cannot be delivered: the outbox refuses them",
                    counts["stuck"],
                )
                % {"count": counts["stuck"]},
                url=page + "?status=waiting",
                since=counts["oldest_stuck"],
                urgent=True,
                count=counts["stuck"],
            )
        )
    if counts["failed"]:
        items.append(
            WorkItem(
                kind="archive.failed",
                text=ngettext(
                    "%(count)d package for the archive failed",
                    "%(count)d packages for the archive failed",
                    counts["failed"],
                )
                % {"count": counts["failed"]},
                url=page + "?status=failed",
                urgent=True,
                count=counts["failed"],
            )
        )
    if counts["late"]:
        items.append(
            WorkItem(
                kind="archive.unacknowledged",
                text=ngettext(
                    "%(count)d package delivered to the archive has no receipt yet",
                    "%(count)d packages delivered to the archive have no receipt yet",
                    counts["late"],
                )
                % {"count": counts["late"]},
                url=page + "?status=delivered",
                detail=_("Check that the archive's import reads the outbox."),
                count=counts["late"],
            )
        )
    return items
