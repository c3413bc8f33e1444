"""The department's answer date counts working days: Monday to Friday, public holidays out."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from plans.answer_time import add_working_days, answer_due, easter_sunday, public_holidays


@pytest.mark.parametrize(
    "year,easter",
    [(2024, date(2024, 3, 31)), (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28))],
)
def test_easter_sunday(year, easter):
    assert easter_sunday(year) == easter


def test_the_norwegian_public_holidays_of_2026():
    assert sorted(public_holidays(2026)) == [
        date(2026, 1, 1),
        date(2026, 4, 2),  # skjærtorsdag
        date(2026, 4, 3),  # langfredag
        date(2026, 4, 6),  # 2. påskedag
        date(2026, 5, 1),
        date(2026, 5, 14),  # Kristi himmelfartsdag
        date(2026, 5, 17),
        date(2026, 5, 25),  # 2. pinsedag
        date(2026, 12, 25),
        date(2026, 12, 26),
    ]


@pytest.mark.parametrize(
    "start,days,expected",
    [
        (date(2026, 11, 26), 10, date(2026, 12, 10)),  # an ordinary fortnight
        (date(2026, 3, 27), 10, date(2026, 4, 15)),  # across Easter: three days more
        (date(2026, 12, 18), 10, date(2027, 1, 5)),  # across Christmas and New Year's Day
        (date(2026, 12, 23), 1, date(2026, 12, 24)),  # Christmas Eve is a working day
        (date(2026, 5, 13), 1, date(2026, 5, 15)),  # over Ascension Day
    ],
)
def test_working_days_leave_out_weekends_and_public_holidays(start, days, expected):
    assert add_working_days(start, days) == expected


def test_the_answer_date_of_a_plan_sent_in_the_evening_counts_from_the_norwegian_day(settings):
    settings.PLAN_ANSWER_WORKING_DAYS = 10
    sent = datetime(2026, 3, 26, 23, 30, tzinfo=ZoneInfo("UTC"))  # already Friday 27 March in Bergen
    assert answer_due(sent) == date(2026, 4, 15)
