"""The dates of the evaluation cycle.

An account's first evaluation is due EVALUATION_FIRST_MONTHS after it went live (or after it
came into the cycle, for an account that was live before the portal knew it), then
EVALUATION_INTERVAL_MONTHS after each evaluation sent; an adviser may set another date."""

import calendar
from datetime import date

from django.conf import settings


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_due(live_since: date | None, today: date) -> date:
    """The first evaluation: a set period after the account went live. An account that was
    live for longer than that before the portal followed it gets a full period from now,
    rather than being overdue (and soon flagged for closure) the day it is registered."""
    due = add_months(live_since or today, settings.EVALUATION_FIRST_MONTHS)
    return due if due >= today else add_months(today, settings.EVALUATION_FIRST_MONTHS)


def next_due(evaluated_on: date) -> date:
    return add_months(evaluated_on, settings.EVALUATION_INTERVAL_MONTHS)
