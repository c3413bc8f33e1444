"""Read-only answers about accessibility: where the statement is, and the barrier reports."""

from django.conf import settings
from django.urls import reverse

from .models import BarrierReport, BarrierStatus


def statement_url(request=None) -> str:
    """The address of the accessibility statement every page's footer links to: the
    organisation's own on uustatus.no when the setting ACCESSIBILITY_STATEMENT_URL gives one,
    otherwise the portal's own statement page. The one place that decides, so that it can
    become a lookup per organisation when the portal serves more than one."""
    return settings.ACCESSIBILITY_STATEMENT_URL or reverse("accessibility:statement")


def statement_is_external(request=None) -> bool:
    return bool(settings.ACCESSIBILITY_STATEMENT_URL)


def barrier_reports(status: str | None):
    reports = BarrierReport.objects.select_related("sender", "closed_by")
    return reports.filter(status=status) if status else reports


def open_barrier_count() -> int:
    return BarrierReport.objects.filter(status=BarrierStatus.NEW).count()
