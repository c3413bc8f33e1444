"""The evaluation form in the browser's place: bad input gets a clear message in the
person's language and loses nothing already saved; sending it with each decision."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Decision, Evaluation, EvaluationStatus
from plans.models import PlanStatus


@pytest.fixture
def evaluation(cast, make_plan, make_account):
    account = make_account(status="active", plan=make_plan("approved"))
    return services.evaluation_start(account=account, actor=cast["member"])


def form_data(evaluation, **changes) -> dict:
    goal = evaluation.goals.get()
    data = {
        "period_start": "01.11.2026",
        "period_end": "30.11.2026",
        "hours_per_week": "3,5",
        "people_involved": "2",
        "posts_photo": "20",
        "posts_video": "6",
        "followers_start": "1 200",
        "followers_end": "1 500",
        "views": "12 345",
        "messages_received": "40",
        "messages_answered": "38",
        "median_response_hours": "4,5",
        "result": "Vi nådde målet.",
        f"goal-{goal.pk}-reached_value": "412",
        f"goal-{goal.pk}-attainment": "met",
        f"goal-{goal.pk}-outcome": "412 nye givarar",
        f"goal-{goal.pk}-outcome_source": "Registeret",
        "action": "save",
    }
    data.update(changes)
    return data


@pytest.fixture
def member(client, cast):
    client.force_login(cast["member"])
    return client


def edit(client, evaluation, data):
    return client.post(reverse("evaluations:edit", args=[evaluation.pk]), data)


def confirmed(client, cast, evaluation):
    """The leader confirms what the member sent, from the evaluation's page; the member again after."""
    client.force_login(cast["leader"])
    revision = Evaluation.objects.get(pk=evaluation.pk).revision
    response = client.post(reverse("evaluations:confirm", args=[evaluation.pk]), {"revision": revision})
    client.force_login(cast["member"])
    return response


def test_it_saves_numbers_as_people_type_them(member, evaluation):
    response = edit(member, evaluation, form_data(evaluation))
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert (evaluation.period_start, evaluation.period_end) == (date(2026, 11, 1), date(2026, 11, 30))
    assert str(evaluation.hours_per_week) == "3.5" and evaluation.views == 12345 and evaluation.followers_start == 1200
    assert str(evaluation.median_response_hours) == "4.5"
    goal = evaluation.goals.get()
    assert goal.reached_value == 412 and goal.attainment == "met"
    page = member.get(reverse("evaluations:edit", args=[evaluation.pk])).content.decode()
    assert 'value="3,5"' in page and 'value="12\xa0345"' in page


def bad(client, evaluation, field_changes, *messages):
    edit(client, evaluation, form_data(evaluation))  # something saved first
    response = edit(client, evaluation, form_data(evaluation, **field_changes))
    assert response.status_code == 400
    page = response.content.decode()
    for message in messages:
        assert message in page, message
    assert "Nothing you wrote has been lost" in page or "har gått tapt" in page
    for value in field_changes.values():
        assert f'value="{value}"' in page or value in page  # what was typed is still in the form
    evaluation.refresh_from_db()
    assert evaluation.views == 12345 and evaluation.result == "Vi nådde målet."
    return page


def test_a_reached_value_that_is_not_a_number(member, evaluation):
    goal = evaluation.goals.get()
    bad(
        member, evaluation, {f"goal-{goal.pk}-reached_value": "om lag fire hundre", "result": "Endra"}, "412 eller 12,5"
    )


def test_negative_figures(member, evaluation):
    bad(member, evaluation, {"views": "-5"}, "negativt")
    bad(member, evaluation, {"hours_per_week": "-1"}, "negativt")
    bad(member, evaluation, {"posts_photo": "2,5"}, "1 234")


def test_a_period_that_ends_before_it_starts(member, evaluation):
    bad(member, evaluation, {"period_start": "30.11.2026", "period_end": "01.11.2026"}, "slutter før den begynner")


def test_more_answered_than_received_and_too_many_hours(member, evaluation):
    bad(member, evaluation, {"messages_answered": "41"}, "Flere besvart enn mottatt")
    bad(member, evaluation, {"hours_per_week": "81"}, "80")


def test_followers_falling_is_saved_and_shown_as_a_fall(member, evaluation):
    assert edit(member, evaluation, form_data(evaluation, followers_end="1 100")).status_code == 302
    page = member.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert "a fall of 100" in page or "en nedgang på 100" in page


def test_it_is_not_sent_without_a_decision_or_the_result(member, evaluation):
    response = edit(member, evaluation, form_data(evaluation, action="submit"))
    assert response.status_code == 400
    assert Evaluation.objects.get().status == EvaluationStatus.DRAFT
    response = edit(member, evaluation, form_data(evaluation, action="submit", result="", decision="continue"))
    assert response.status_code == 400
    assert "Resultat" in response.content.decode()
    assert Evaluation.objects.get().status == EvaluationStatus.DRAFT


@pytest.mark.parametrize("decision", [Decision.CONTINUE, Decision.ADJUST, Decision.CLOSE])
def test_it_is_sent_with_each_decision(member, evaluation, decision, cast):
    response = edit(member, evaluation, form_data(evaluation, action="submit", decision=decision))
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:detail", args=[evaluation.pk])
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.AWAITING_LEADER and evaluation.decision == decision
    confirmed(member, cast, evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.decision == decision
    page = member.get(response["Location"]).content.decode()
    if decision == Decision.ADJUST:
        assert evaluation.new_plan.status == PlanStatus.DRAFT
        assert reverse("plans:detail", args=[evaluation.new_plan.pk]) in page
    # A sent evaluation is no longer edited.
    assert edit(member, evaluation, form_data(evaluation)).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED


def test_the_adviser_closes_the_account_and_gives_feedback_from_the_page(client, member, evaluation, cast):
    edit(member, evaluation, form_data(evaluation, action="submit", decision="close"))
    confirmed(client, cast, evaluation)
    client.force_login(cast["adviser"])
    page = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert reverse("evaluations:close_account", args=[evaluation.pk]) in page
    client.post(reverse("evaluations:close_account", args=[evaluation.pk]))
    evaluation.account.refresh_from_db()
    assert evaluation.account.status == "closed"
    response = client.post(reverse("evaluations:feedback", args=[evaluation.pk]), {"feedback": "Takk for innsatsen."})
    assert response.status_code == 302
    client.force_login(cast["member"])
    page = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert "Takk for innsatsen." in page


def test_an_empty_feedback_is_refused(client, member, evaluation, cast):
    edit(member, evaluation, form_data(evaluation, action="submit", decision="continue"))
    confirmed(client, cast, evaluation)
    client.force_login(cast["adviser"])
    client.post(reverse("evaluations:feedback", args=[evaluation.pk]), {"feedback": ""})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.feedback == ""


def test_a_due_date_in_the_past_is_refused_on_the_page(client, cast, evaluation):
    client.force_login(cast["adviser"])
    url = reverse("evaluations:schedule", args=[evaluation.account.pk])
    response = client.post(url, {"due_on": "01.01.2020"}, follow=True)
    assert "today or a later date" in response.content.decode() or "i dag eller" in response.content.decode()
    response = client.post(url, {"due_on": "01.01.2099", "note": "Kampanje"})
    assert response.status_code == 302
    assert evaluation.account.evaluation_schedule.__class__.objects.get(pk=evaluation.account.pk).due_on == date(
        2099, 1, 1
    )


def test_starting_an_evaluation_of_an_account_not_active_gives_a_message(client, cast, make_account):
    account = make_account(url="https://www.instagram.com/blodbanken_test/", status="paused")
    client.force_login(cast["member"])
    response = client.post(reverse("evaluations:start", args=[account.pk]), follow=True)
    assert "Only an active account" in response.content.decode() or "Bare en aktiv konto" in response.content.decode()
    assert not Evaluation.objects.filter(account=account).exists()
