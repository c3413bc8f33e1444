"""The adviser's day, deadlines first: the front page lists the urgent tasks first, then each
task by the day it is to be done (its deadline, or the day it began to wait), the oldest first.

The dataset is made so that the order is known from it alone: one plan past its answer
deadline, feedback that has waited since October last year, an account set up three days
ago, a report that came in an hour ago, and two plans whose answer deadlines are in the
coming weeks, the one sent earlier due earlier."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.worklist import worklist_for
from evaluations import services as evaluations
from evaluations.models import Decision, Evaluation
from plans.answer_time import answer_due
from plans.models import Plan
from registry import reports
from registry.models import Account

from .evaluation_steps import send_through_leader


def sent(plan, days_ago: int) -> Plan:
    Plan.objects.filter(pk=plan.pk).update(submitted_at=timezone.now() - timedelta(days=days_ago))
    return Plan.objects.get(pk=plan.pk)


def review(plan) -> str:
    return reverse("plans:review", args=[plan.pk])


@pytest.fixture
def day(cast, make_plan, make_account):
    now = timezone.now()
    # Sent six weeks ago and nobody has taken it: past the answer deadline, so urgent.
    late = sent(make_plan("submitted", title="Facebook for givarar"), 42)
    # Feedback on an evaluation, waiting since 3 October last year (and no deadline of its own).
    evaluated = make_account("https://www.tiktok.com/@blodbanken", status="active", plan=make_plan("approved"))
    evaluation = evaluations.evaluation_start(account=evaluated, actor=cast["member"])
    evaluations.evaluation_save(
        evaluation=evaluation,
        actor=cast["member"],
        content=evaluations.EvaluationContent(
            period_start=evaluation.period_start,
            period_end=evaluation.period_end,
            result="Fleire givarar enn venta",
            goals=[evaluations.GoalContent(attainment="met")],
        ),
    )
    send_through_leader(evaluation, writer=cast["member"], decision=Decision.CONTINUE)
    october = timezone.make_aware(datetime(now.year - 1, 10, 3, 9, 0))
    Evaluation.objects.filter(pk=evaluation.pk).update(submitted_at=october)
    # An account being set up for three days, and a report that came in an hour ago.
    setup = make_account("https://www.facebook.com/blodbankenbergen", display_name="Blodbanken på Facebook")
    Account.objects.filter(pk=setup.pk).update(created_at=now - timedelta(days=3))
    report = reports.report_submit(
        url="https://www.instagram.com/blodbank_falsk/", what_is_wrong="Falsk", client_key="r"
    )
    # Two plans in time: the one sent six days ago is due before the one sent yesterday (six
    # days hold at least three working days, and ten working days have not passed since).
    earlier = sent(make_plan("in_review", title="LinkedIn for rekruttering"), 6)
    later = sent(make_plan("submitted", title="Instagram for studentar"), 1)
    return {
        "late": late,
        "evaluation": evaluation,
        "setup": setup,
        "report": report,
        "earlier": earlier,
        "later": later,
    }


def test_the_advisers_tasks_are_sorted_by_urgency_then_deadline_and_waiting_time_oldest_first(cast, day):
    items = worklist_for(cast["adviser"])
    assert [(item.kind, item.url) for item in items] == [
        ("plan.untaken", review(day["late"])),
        ("evaluation.feedback", reverse("evaluations:detail", args=[day["evaluation"].pk])),
        ("account.setup", reverse("registry:detail", args=[day["setup"].pk]) + "#checklist"),
        ("report.new", reverse("registry:report_detail", args=[day["report"].pk])),
        ("plan.review", review(day["earlier"])),
        ("plan.untaken", review(day["later"])),
    ]
    assert [item.urgent for item in items] == [True, False, False, False, False, False]
    # The plans carry their answer deadline, worked out once from when they were sent.
    earlier, later = items[-2:]
    assert earlier.due == answer_due(day["earlier"].submitted_at) < later.due == answer_due(day["later"].submitted_at)
    assert earlier.due > timezone.localdate()


def test_a_plan_due_later_comes_after_one_due_sooner_even_when_both_are_on_the_same_kind(cast, make_plan):
    plans = [sent(make_plan("submitted", title=f"Plan {n}"), days) for n, days in enumerate([1, 6, 3])]
    items = [item for item in worklist_for(cast["adviser"]) if item.kind == "plan.untaken"]
    assert [item.url for item in items] == [review(plans[1]), review(plans[2]), review(plans[0])]
    assert [item.due for item in items] == sorted(item.due for item in items)
