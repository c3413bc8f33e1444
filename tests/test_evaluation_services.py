"""Writing, sending and following up an evaluation: the services, the decision paths into
the plan workflow and the register, the feedback, and the tagged PDF."""

import subprocess
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry, OutboundEmail
from evaluations import services
from evaluations.models import Decision, EvaluationStatus, GoalResult, Schedule
from plans.models import Plan, PlanStatus
from registry.models import AccountStatus

from .evaluation_steps import send_through_leader


@pytest.fixture
def account(cast, make_plan, make_account):
    return make_account(status="active", plan=make_plan("approved"))


def content(evaluation, **changes) -> services.EvaluationContent:
    values = {
        "period_start": evaluation.period_start,
        "period_end": evaluation.period_end,
        "hours_per_week": Decimal("3.5"),
        "people_involved": 2,
        "posts_photo": 20,
        "posts_video": 6,
        "followers_start": 1200,
        "followers_end": 1500,
        "result": "Vi nådde målet om nye givarar.",
        "goals": [
            services.GoalContent(
                reached_value=Decimal("412"),
                attainment="met",
                comment="Godt over målet",
                outcome="412 nye givarar registrerte",
                outcome_source="Blodbanken sitt register",
            )
        ],
    }
    values.update(changes)
    return services.EvaluationContent(**values)


def written(account, cast, **changes):
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    return services.evaluation_save(evaluation=evaluation, actor=cast["member"], content=content(evaluation, **changes))


def test_an_evaluation_starts_with_the_goals_of_the_approved_plan(account, cast):
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    assert evaluation.status == EvaluationStatus.DRAFT
    assert evaluation.plan == account.plan and evaluation.plan_version.number == 1
    goal = evaluation.goals.get()
    assert (goal.goal, goal.indicator, goal.target_value, goal.time_frame) == (
        "Fleire blodgivarar",
        "Nye givarar",
        "400",
        "2027",
    )
    assert evaluation.period_start == account.live_since and evaluation.period_end == timezone.localdate()
    assert evaluation.due_on == Schedule.objects.get(pk=account.pk).due_on
    assert AuditEntry.objects.filter(action="evaluation.started", target_id=evaluation.pk).exists()


def test_an_account_not_yet_active_is_not_evaluated(cast, make_account):
    account = make_account(status="setup")
    with pytest.raises(services.NotActive) as error:
        services.evaluation_start(account=account, actor=cast["member"])
    assert "Being set up" in str(error.value.message) or "Under oppsett" in str(error.value.message)


def test_only_the_accounts_own_unit_writes_its_evaluation(account, cast):
    for person in ("adviser", "other", "other_leader"):
        with pytest.raises(services.NotAllowed):
            services.evaluation_start(account=account, actor=cast[person])
    assert services.evaluation_start(account=account, actor=cast["leader"])


def test_a_second_draft_is_refused_and_points_to_the_first(account, cast):
    first = services.evaluation_start(account=account, actor=cast["member"])
    with pytest.raises(services.DraftExists) as error:
        services.evaluation_start(account=account, actor=cast["deputy"])
    assert error.value.evaluation == first


def test_a_period_that_ends_before_it_starts_is_refused_and_nothing_changes(account, cast):
    evaluation = written(account, cast)
    with pytest.raises(services.InvalidEvaluation) as error:
        services.evaluation_save(
            evaluation=evaluation,
            actor=cast["member"],
            content=content(evaluation, period_start=date(2026, 6, 1), period_end=date(2026, 5, 1), result="Nytt"),
        )
    assert "period_end" in error.value.errors
    evaluation.refresh_from_db()
    assert evaluation.result == "Vi nådde målet om nye givarar."


def test_followers_falling_is_allowed(account, cast):
    evaluation = written(account, cast, followers_start=1500, followers_end=1400)
    assert evaluation.follower_change == -100


def test_it_cannot_be_sent_without_the_result_and_an_answer_for_each_goal(account, cast):
    evaluation = written(account, cast, result="", goals=[services.GoalContent()])
    with pytest.raises(services.NotReady) as error:
        send_through_leader(evaluation, writer=cast["member"], decision=Decision.CONTINUE)
    assert len(error.value.problems) == 2
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT


def test_continue_sends_it_and_starts_the_next_cycle(account, cast):
    evaluation = written(account, cast)
    evaluation = send_through_leader(evaluation, writer=cast["member"], decision=Decision.CONTINUE)
    today = timezone.localdate()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.submitted_on == today
    schedule = Schedule.objects.get(pk=account.pk)
    assert schedule.last_evaluated_on == today
    assert schedule.due_on == services.add_months(today, 12)
    assert schedule.hours_reported == Decimal("3.5") and schedule.followers == 1500
    goal = GoalResult.objects.get(evaluation=evaluation)
    assert (goal.unit_id, goal.platform_id, goal.evaluated_on) == (account.unit_id, account.platform_id, today)
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    with pytest.raises(services.WrongState):
        services.evaluation_save(evaluation=evaluation, actor=cast["member"], content=content(evaluation))


def test_adjust_opens_a_new_draft_of_the_plan_prefilled_from_the_approved_one(account, cast):
    approved = account.plan
    evaluation = written(account, cast)
    evaluation = send_through_leader(evaluation, writer=cast["member"], decision=Decision.ADJUST)
    draft = evaluation.new_plan
    assert draft.status == PlanStatus.DRAFT and draft.unit == approved.unit and draft.author == cast["member"]
    assert draft.main_target_group == approved.main_target_group
    assert draft.hours_per_week == approved.hours_per_week
    assert [g.goal for g in draft.goals.all()] == [g.goal for g in approved.goals.all()]
    assert [c.platform for c in draft.channels.all()] == [c.platform for c in approved.channels.all()]
    assert list(draft.deputies.all()) == list(approved.deputies.all())
    assert draft.result == "Vi nådde målet om nye givarar."
    approved.refresh_from_db()
    assert approved.status == PlanStatus.APPROVED  # the accounts keep serving it until the new one is approved
    account.refresh_from_db()
    assert account.plan == approved and account.status == AccountStatus.ACTIVE
    assert AuditEntry.objects.filter(action="plan.created", target_id=draft.pk).get().data == {"from_plan": approved.pk}


def test_close_by_the_unit_asks_the_department_which_closes_it_in_the_register(account, cast):
    evaluation = written(account, cast)
    evaluation = send_through_leader(evaluation, writer=cast["member"], decision=Decision.CLOSE)
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    schedule = Schedule.objects.get(pk=account.pk)
    assert schedule.closure_candidate and schedule.closure_reason == "decided"
    assert OutboundEmail.objects.filter(template="evaluation_close_requested", to=[cast["adviser"].email]).exists()
    with pytest.raises(services.NotAllowed):
        services.evaluation_close_account(evaluation=evaluation, actor=cast["member"])
    services.evaluation_close_account(evaluation=evaluation, actor=cast["adviser"])
    account.refresh_from_db()
    assert account.status == AccountStatus.CLOSED and account.closed_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="account.close", target_id=account.pk).exists()
    schedule.refresh_from_db()
    assert schedule.status == "closed" and not schedule.closure_candidate


def test_the_registers_page_tells_the_department_that_the_unit_decided_to_close(account, cast, client):
    page = reverse("registry:detail", args=[account.pk])
    client.force_login(cast["adviser"])
    assert "decided to close it" not in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.CLOSE)
    client.cookies["some_language"] = "en"
    body = client.get(page).content.decode()
    assert "The unit has evaluated the account and decided to close it." in body
    assert reverse("evaluations:account", args=[account.pk]) in body
    client.force_login(cast["member"])  # the unit reads its account's page, without the department's notes
    assert "decided to close it" not in client.get(page).content.decode()


def test_closing_is_only_for_an_evaluation_that_decided_it(account, cast):
    evaluation = send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.CONTINUE)
    with pytest.raises(services.WrongState):
        services.evaluation_close_account(evaluation=evaluation, actor=cast["adviser"])


def test_feedback_is_given_by_an_adviser_and_the_unit_is_told(account, cast):
    evaluation = send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.CONTINUE)
    with pytest.raises(services.NotAllowed):
        services.evaluation_feedback(evaluation=evaluation, actor=cast["leader"], text="Bra")
    with pytest.raises(services.InvalidEvaluation):
        services.evaluation_feedback(evaluation=evaluation, actor=cast["adviser"], text="  ")
    evaluation = services.evaluation_feedback(
        evaluation=evaluation, actor=cast["adviser"], text="Godt arbeid. Prøv fleire videoar."
    )
    assert evaluation.status == EvaluationStatus.REVIEWED and evaluation.feedback_by == cast["adviser"]
    told = {e.to[0] for e in OutboundEmail.objects.filter(template="evaluation_feedback")}
    assert told == {cast["member"].email, cast["leader"].email}


def test_feedback_waits_until_the_evaluation_is_sent(account, cast):
    with pytest.raises(services.WrongState):
        services.evaluation_feedback(evaluation=written(account, cast), actor=cast["adviser"], text="For tidleg")


def test_the_next_evaluation_covers_the_period_after_the_last(account, cast):
    first = written(account, cast, period_start=date(2025, 1, 1), period_end=date(2025, 12, 31))
    send_through_leader(first, writer=cast["member"], decision=Decision.CONTINUE)
    second = services.evaluation_start(account=account, actor=cast["member"])
    assert second.period_start == date(2026, 1, 1)


def test_the_pdf_is_tagged_and_holds_the_evaluation_and_the_plan_it_measured(account, cast, client, tmp_path):
    evaluation = send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.CONTINUE)
    services.evaluation_feedback(evaluation=evaluation, actor=cast["adviser"], text="Godt arbeid med videoane.")
    client.force_login(cast["member"])
    response = client.get(reverse("evaluations:pdf", args=[evaluation.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "evaluation.pdf"
    path.write_bytes(response.content)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "Tagged:          yes" in info
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    for expected in ["Blodbanken i Bergen", "Fleire blodgivarar", "412", "Godt arbeid med videoane", "Resultat"]:
        assert expected in text
    assert "Definerte kommunikasjonsmål" in text  # the plan it measured


def test_a_new_draft_can_only_come_from_an_approved_plan(cast, make_plan):
    from plans.services import NotAllowed, WrongState, plan_draft_from

    with pytest.raises(WrongState):
        plan_draft_from(plan=make_plan("in_review"), actor=cast["member"])
    with pytest.raises(NotAllowed):
        plan_draft_from(plan=make_plan("approved"), actor=cast["other"])
    assert Plan.objects.filter(status=PlanStatus.DRAFT).count() == 0


def test_an_evaluation_submitted_late_is_counted_from_the_day_it_was_sent(account, cast):
    Schedule.objects.filter(pk=account.pk).update(due_on=timezone.localdate() - timedelta(days=30))
    evaluation = send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.CONTINUE)
    assert Schedule.objects.get(pk=account.pk).due_on == services.add_months(evaluation.submitted_on, 12)


def test_sending_and_answering_are_announced_so_the_archive_keeps_each_once(account, cast, settings, tmp_path):
    from archive.models import Package, PackageKind

    settings.ARCHIVE_ENABLED = True
    settings.ARCHIVE_OUTBOX, settings.ARCHIVE_INBOX = tmp_path / "utboks", tmp_path / "innboks"
    evaluation = send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.CONTINUE)
    services.evaluation_feedback(evaluation=evaluation, actor=cast["adviser"], text="Godt arbeid.")
    kinds = sorted(Package.objects.filter(kind__startswith="evaluation").values_list("kind", flat=True))
    assert kinds == sorted([PackageKind.EVALUATION_SENT, PackageKind.EVALUATION_ANSWERED])
