"""What waits for whom in the evaluation cycle ("Mine oppgåver"), with a fixed number of queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.worklist import worklist_for, worklist_of_one
from evaluations import services, worklist
from evaluations.models import Decision, Schedule

from .evaluation_steps import send_through_leader


@pytest.fixture
def account(cast, make_plan, make_account):
    return make_account(status="active", plan=make_plan("approved"))


def kinds(user):
    return [item.kind for item in worklist_of_one(worklist.items, user)]


def test_an_evaluation_due_soon_or_overdue_waits_for_the_units_people(account, cast):
    today = timezone.localdate()
    Schedule.objects.filter(pk=account.pk).update(due_on=today + timedelta(days=20))
    assert kinds(cast["member"]) == []
    Schedule.objects.filter(pk=account.pk).update(due_on=today + timedelta(days=3))
    assert kinds(cast["member"]) == ["evaluation.due"] and kinds(cast["leader"]) == ["evaluation.due"]
    Schedule.objects.filter(pk=account.pk).update(due_on=today - timedelta(days=3))
    [item] = worklist_of_one(worklist.items, cast["member"])
    assert item.kind == "evaluation.overdue" and item.urgent
    assert item.url == reverse("evaluations:account", args=[account.pk])
    assert kinds(cast["other"]) == [] and kinds(cast["adviser"]) == []
    # Once started, the task leads to the draft.
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    assert worklist_of_one(worklist.items, cast["member"])[0].url == reverse("evaluations:edit", args=[evaluation.pk])


def test_a_started_draft_not_yet_due_waits_too(account, cast):
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    [item] = worklist_of_one(worklist.items, cast["deputy"])
    assert item.kind == "evaluation.draft" and item.url == reverse("evaluations:edit", args=[evaluation.pk])


def test_advisers_get_the_feedback_to_write_and_the_candidates_for_closure(account, cast):
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    services.evaluation_save(
        evaluation=evaluation,
        actor=cast["member"],
        content=services.EvaluationContent(
            period_start=evaluation.period_start,
            period_end=evaluation.period_end,
            result="Ferdig",
            goals=[services.GoalContent(attainment="met")],
        ),
    )
    send_through_leader(evaluation, writer=cast["member"], decision=Decision.CLOSE)
    assert sorted(kinds(cast["adviser"])) == ["evaluation.closure", "evaluation.feedback"]
    services.evaluation_feedback(evaluation=evaluation, actor=cast["adviser"], text="Greitt")
    assert kinds(cast["adviser"]) == ["evaluation.closure"]
    assert "evaluation.closure" in [i.kind for i in worklist_for(cast["adviser"])]


def test_the_query_count_is_fixed(cast, make_plan, make_account):
    plan = make_plan("approved")
    today = timezone.localdate()

    def queries():
        user = type(cast["member"]).objects.get(pk=cast["member"].pk)
        with CaptureQueriesContext(connection) as captured:
            worklist_of_one(worklist.items, user)
        return len(captured)

    # More than the list shows already, so the rest is counted: one query more, however many.
    for n in range(6):
        make_account(url=f"https://www.instagram.com/first_{n}/", status="active", plan=plan)
    Schedule.objects.update(due_on=today)
    some = queries()
    for n in range(6):
        make_account(url=f"https://www.instagram.com/more_{n}/", status="active", plan=plan)
    Schedule.objects.update(due_on=today)
    found = worklist_of_one(worklist.items, cast["member"])
    assert len(found) == 6  # the first five, then one item for the rest
    assert [i.count for i in found] == [1, 1, 1, 1, 1, 7]
    assert found[-1].url == reverse("evaluations:index") + "?show=soon"
    assert queries() == some


def test_many_overdue_become_a_few_and_a_count_that_leads_to_the_overdue_list(cast, make_plan, make_account):
    plan = make_plan("approved")
    for n in range(8):
        make_account(url=f"https://www.instagram.com/overdue_{n}/", status="active", plan=plan)
    Schedule.objects.update(due_on=timezone.localdate() - timedelta(days=2))
    found = worklist_of_one(worklist.items, cast["leader"])
    assert [i.kind for i in found] == ["evaluation.overdue"] * 6
    assert found[-1].count == 3 and found[-1].urgent
    assert found[-1].url == reverse("evaluations:index") + "?show=overdue"
    assert found[-1].text == "3 kontoer til skal evalueres"  # Bokmål, the default
