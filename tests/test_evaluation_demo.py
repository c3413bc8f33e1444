"""The demo's evaluations: some due, one overdue, one done with feedback, and a year of
key figures, so the overview's charts show something real."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Max, Min
from django.urls import reverse
from django.utils import timezone

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
