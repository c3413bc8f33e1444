"""Read-only answers about accessibility: where the statement is, and the barrier reports."""

import threading
import time

from django.conf import settings
from django.db import connection
from django.urls import reverse

from .models import BarrierReport, StatementLink

# Every page's footer asks for its organisation's statement: the links are kept in each process
# (as accounts.organisations keeps the organisations) and read again after a change in this
# process, and at the latest after FRESH_SECONDS for a change made on another web node.
FRESH_SECONDS = 60
_lock = threading.Lock()
_links: dict = {"read_at": None}


def forget_links() -> None:
    with _lock:
        _links["read_at"] = None


def _statement_links() -> dict[int, str]:
    now = time.monotonic()
    read_at = _links["read_at"]
    if read_at is not None and now - read_at < FRESH_SECONDS and _links.get("vendor") == connection.vendor:
        return _links["by_organisation"]
    found = dict(StatementLink.objects.values_list("organisation_id", "url"))
    with _lock:
        _links.update(by_organisation=found, read_at=now, vendor=connection.vendor)
    return found


def _organisation_id(request) -> int | None:
    organisation = getattr(request, "organisation", None) if request is not None else None
    return organisation.pk if organisation is not None else None


def external_statement_url(request=None) -> str:
    """The organisation's own statement on uustatus.no: the page's organisation's link (kept in
    the administration), else the portal's setting ACCESSIBILITY_STATEMENT_URL; empty if neither."""
    organisation_id = _organisation_id(request)
    own = _statement_links().get(organisation_id, "") if organisation_id is not None else ""
    return own or settings.ACCESSIBILITY_STATEMENT_URL


def statement_url(request=None) -> str:
    """The address of the accessibility statement the page's footer links to: its organisation's
    own on uustatus.no when there is one, otherwise the portal's own statement page."""
    return external_statement_url(request) or reverse("accessibility:statement")


def statement_is_external(request=None) -> bool:
    return bool(external_statement_url(request))


def barrier_reports(user, status: str | None):
    reports = BarrierReport.objects.visible_to(user).select_related("sender", "closed_by")
    return reports.filter(status=status) if status else reports
