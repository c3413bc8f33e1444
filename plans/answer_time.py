"""When the Communications Department answers a plan that has been sent.

Working days are Monday to Friday; public holidays are not counted out (a plan sent just
before Easter is told a day or two early, which errs on the side of the unit)."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import timezone


def add_working_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def answer_due(sent_at: datetime) -> date:
    """The day by which a plan sent at `sent_at` is answered."""
    return add_working_days(timezone.localdate(sent_at), settings.PLAN_ANSWER_WORKING_DAYS)


def is_overdue(sent_at: datetime | None, now: datetime | None = None) -> bool:
    if sent_at is None:
        return False
    return timezone.localdate(now or timezone.now()) > answer_due(sent_at)
