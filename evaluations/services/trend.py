"""The governance trend: each month's figures per unit, kept as the month ended."""

from django.db import transaction
from django.db.models import Count, Q

from ..models import GovernanceMonth, Schedule
from .base import _today


def governance_record(*, now) -> int:
    """Keep this month's governance figures per unit (the trend shows each month as it ended)."""
    today = _today(now)
    month = today.replace(day=1)
    counts = (
        Schedule.objects.active()
        .values("unit_id")
        .order_by()
        .annotate(
            n=Count("pk"),
            plan=Count("pk", filter=Q(plan_approved=True)),
            trained=Count("pk", filter=Q(training_missing=False)),
            on_time=Count("pk", filter=Q(due_on__isnull=True) | Q(due_on__gte=today)),
        )
    )
    seen = set()
    with transaction.atomic():
        for row in counts:
            seen.add(row["unit_id"])
            GovernanceMonth.objects.update_or_create(
                month=month,
                unit_id=row["unit_id"],
                defaults={
                    "active": row["n"],
                    "plan_approved": row["plan"],
                    "trained": row["trained"],
                    "on_time": row["on_time"],
                },
            )
        GovernanceMonth.objects.filter(month=month).exclude(unit_id__in=seen).update(
            active=0, plan_approved=0, trained=0, on_time=0
        )
    return len(seen)
