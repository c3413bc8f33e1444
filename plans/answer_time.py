"""When the Communications Department answers a plan that has been sent.

Working days are Monday to Friday that are not Norwegian public holidays (helligdagar: New
Year's Day, Maundy Thursday, Good Friday, Easter Monday, 1 May, 17 May, Ascension Day, Whit
Monday, Christmas Day and Boxing Day). Christmas Eve and New Year's Eve are working days by law,
and are counted as such."""

from datetime import date, datetime, timedelta
from functools import cache

from django.conf import settings
from django.utils import timezone


def easter_sunday(year: int) -> date:
    """The Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741 (the algorithm's own name)
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return date(year, month, day + 1)


@cache
def public_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    moving = [-3, -2, 1, 39, 50]  # Maundy Thursday, Good Friday, Easter Monday, Ascension, Whit Monday
    fixed = [(1, 1), (5, 1), (5, 17), (12, 25), (12, 26)]
    return frozenset([easter + timedelta(days=n) for n in moving] + [date(year, m, d) for m, d in fixed])


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in public_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def answer_due(sent_at: datetime) -> date:
    """The day by which a plan sent at `sent_at` is answered."""
    return add_working_days(timezone.localdate(sent_at), settings.PLAN_ANSWER_WORKING_DAYS)


def is_overdue(sent_at: datetime | None, now: datetime | None = None) -> bool:
    if sent_at is None:
        return False
    return timezone.localdate(now or timezone.now()) > answer_due(sent_at)
