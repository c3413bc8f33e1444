"""The review queue's answer deadline ("svarfrist"): each plan the department owes an answer
shows the day it is due, from the answer time and the working days, and the plans past it are
marked. The queue lists the earliest deadline first."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans.answer_time import answer_due
from plans.models import Plan

QUEUE = reverse("plans:queue")


def sent(plan, days_ago: int) -> Plan:
    Plan.objects.filter(pk=plan.pk).update(submitted_at=timezone.now() - timedelta(days=days_ago))
    return Plan.objects.get(pk=plan.pk)


def rows(page: str) -> list[str]:
    return re.findall(r"<tr>(.*?)</tr>", page.split("<tbody>", 1)[1], re.S)


def deadline(row: str) -> str | None:
    found = re.search(r'<time datetime="([\d-]+)">', row)
    return found.group(1) if found else None


@pytest.fixture
def waiting(cast, make_plan):
    return {
        "late": sent(make_plan("in_review", title="Facebook for givarar"), 30),
        "soon": sent(make_plan("submitted", title="LinkedIn for rekruttering"), 6),
        "new": sent(make_plan("submitted", title="Instagram for studentar"), 1),
    }


def test_the_queue_shows_each_plans_answer_deadline_earliest_first_and_marks_those_past_it(client, cast, waiting):
    client.force_login(cast["adviser"])
    page = client.get(QUEUE).content.decode()
    assert '<th scope="col">Svarfrist</th>' in page
    found = rows(page)
    assert [plan.title in row for plan, row in zip(waiting.values(), found, strict=True)] == [True, True, True]
    dues = [answer_due(plan.submitted_at).isoformat() for plan in waiting.values()]
    assert [deadline(row) for row in found] == dues == sorted(dues)
    assert ["Forsinket" in row for row in found] == [True, False, False]  # only the one past its deadline


def test_a_plan_with_the_unit_for_changes_has_no_deadline_of_the_departments(client, cast, make_plan):
    sent(make_plan("changes_requested", title="Facebook for givarar"), 30)
    client.force_login(cast["adviser"])
    [row] = rows(client.get(QUEUE, {"status": "changes_requested"}).content.decode())
    assert deadline(row) is None and "Forsinket" not in row
