"""What the archive shows: the advisers' page, the tasks, and the references on a plan, an
evaluation or an account."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Max, Q
from django.utils import timezone

from .models import Package, PackageStatus


def unacknowledged_after() -> timedelta:
    return timedelta(hours=settings.ARCHIVE_RECEIPT_HOURS)


def overview(user, now=None) -> dict:
    """The counts of each status of the packages this person sees (their organisation's), the
    waiting packages the outbox refused, and those delivered without a receipt for too long:
    one query."""
    now = now or timezone.now()
    late = now - unacknowledged_after()
    return Package.objects.visible_to(user).aggregate(
        waiting=Count("pk", filter=Q(status=PackageStatus.WAITING)),
        delivered=Count("pk", filter=Q(status=PackageStatus.DELIVERED)),
        acknowledged=Count("pk", filter=Q(status=PackageStatus.ACKNOWLEDGED)),
        failed=Count("pk", filter=Q(status=PackageStatus.FAILED)),
        stuck=Count("pk", filter=Q(status=PackageStatus.WAITING, attempts__gt=0) & ~Q(last_error="")),
        late=Count("pk", filter=Q(status=PackageStatus.DELIVERED, delivered_at__lt=late)),
        oldest_stuck=Max("created_at", filter=Q(status=PackageStatus.WAITING, attempts__gt=0) & ~Q(last_error="")),
    )


def last_outbox_error(user) -> str:
    return (
        Package.objects.visible_to(user)
        .stuck()
        .order_by("-next_attempt_at")
        .values_list("last_error", flat=True)
        .first()
        or ""
    )


def packages(user, status: str | None):
    rows = Package.objects.visible_to(user).for_page()
    return rows.filter(status=status) if status else rows


def references_for(*, plan=None, evaluation=None, account=None) -> list[Package]:
    """The packages of a plan, an evaluation or an account, oldest first, for their history."""
    if plan is not None:
        rows = Package.objects.filter(plan=plan)
    elif evaluation is not None:
        rows = Package.objects.filter(evaluation=evaluation)
    elif account is not None:
        rows = Package.objects.filter(account=account)
    else:
        return []
    return list(rows.order_by("happened_at", "pk"))
