"""The demo's evaluations: some due, one overdue, one done with feedback, and a year of
key figures, so the overview's charts show something real."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from core.models import OutboundEmail
from evaluations.models import DailyFigure, Evaluation, EvaluationStatus, GovernanceMonth, PostFigure, Schedule


@pytest.fixture
def demo(catalogue):
    call_command("demo_load", verbosity=0)


def test_the_demo_has_evaluations_due_overdue_and_done(demo):
    today = timezone.localdate()
    active = Schedule.objects.active()
    assert active.filter(due_on__gte=today, due_on__lte=today + timedelta(days=14)).count() >= 2
    overdue = active.get(due_on__lt=today)
    assert overdue.closure_candidate
    done = Evaluation.objects.get(status=EvaluationStatus.REVIEWED)
    assert done.feedback and done.goals.get().attainment == "partly"
    assert OutboundEmail.objects.filter(template="evaluation_overdue").exists()
    assert OutboundEmail.objects.filter(template="evaluation_due_soon").exists()


def test_the_demo_has_a_year_of_key_figures_for_the_charts(demo, client):
    span = DailyFigure.objects.aggregate(first=Min("day"), last=Max("day"))
    assert (span["last"] - span["first"]).days >= 365
    assert PostFigure.objects.count() > 50
    assert GovernanceMonth.objects.values("month").distinct().count() == 12
    client.force_login(Evaluation.objects.get(status=EvaluationStatus.REVIEWED).feedback_by)
    data = client.get(reverse("evaluations:overview")).context["data"]
    assert len(data.tables["followers"].rows) >= 2
    assert len(data.tables["governance_trend"].rows) == 12
    assert data.tables["goals_platform"].rows


def test_the_demo_has_an_account_due_whose_evaluation_scores_an_approved_plans_goals(demo, client, settings):
    """A newcomer sees goals scored against a plan: an account due soon, with an approved
    plan and its goals, and key figures the import page offers as a file."""
    from evaluations import services
    from plans.models import PlanStatus

    settings.DEMO = True
    today = timezone.localdate()
    due = Schedule.objects.active().filter(
        due_on__gte=today,
        due_on__lte=today + timedelta(days=14),
        account__plan__status=PlanStatus.APPROVED,
    )
    schedule = due.select_related("account").get()
    account = schedule.account
    assert account.plan.goals.exists()
    member = User.objects.get(email="medlem@eksempel.no")  # the demo's unit member writes it
    client.force_login(member)
    response = client.post(reverse("evaluations:start", args=[account.pk]))
    evaluation = Evaluation.objects.get(account=account, status=EvaluationStatus.DRAFT)
    assert response.status_code == 302
    assert [g.goal for g in evaluation.goals.all()] == [g.goal for g in account.plan.goals.all()]
    assert not PostFigure.objects.filter(account=account, published_on__gte=evaluation.period_start).exists()

    page = client.get(reverse("evaluations:import", args=[evaluation.pk])).content.decode()
    example = reverse("evaluations:import_example", args=[evaluation.pk])
    assert example in page
    content = client.get(example).content
    figure_import = services.figures_read(evaluation=evaluation, actor=member, filename="x.csv", content=content)
    assert figure_import.file_format == account.platform.slug and figure_import.post_rows > 10
    evaluation = services.figures_save(figure_import=figure_import, actor=member)
    assert evaluation.views > 0
