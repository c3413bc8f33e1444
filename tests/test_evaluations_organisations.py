"""Evaluations with two organisations: Helse Bergen (the cast) and Helse Stavanger. Another
organisation's account, evaluation and PDF are a 404 for an adviser, and never in their lists
or counts; only the account's own organisation gives feedback, sets due dates and closes; the
e-mails and the PDF name the account's organisation."""

import io
import subprocess

import pikepdf
import pytest
from django.urls import reverse

from core.models import OutboundEmail
from evaluations import services
from evaluations.models import Decision, Evaluation, EvaluationStatus
from evaluations.pdf import evaluation_pdf
from platforms.profiles import read_profile
from registry import services as registry_services
from registry.models import CHECKLIST_KEYS

from .evaluation_steps import send_through_leader
from .registry_helpers import details
from .test_evaluation_services import content
from .test_plans_organisations import login, plan_of, second_organisation


@pytest.fixture
def stavanger(cast):
    return second_organisation(cast)


@pytest.fixture
def stavanger_account(cast, instagram, stavanger):
    return account_of(cast, instagram, stavanger)


def account_of(cast, instagram, stavanger):
    """An active account of Helse Stavanger's unit under its approved plan, registered by its own adviser."""
    adviser = stavanger["adviser"]
    values = details(
        cast,
        display_name="Barneklinikken Stavanger-MARKER",
        unit=stavanger["unit"],
        editor=stavanger["member"],
        deputies=[stavanger["deputy"]],
        login_email="barneklinikken.some@stavanger.example.no",
        plan=plan_of(cast, instagram, stavanger, "approved", "Instagram for Stavanger-MARKER"),
    )
    account = registry_services.account_register(
        actor=adviser, profile=read_profile("https://www.instagram.com/barneklinikken_stavanger/"), details=values
    )
    for item in CHECKLIST_KEYS:
        registry_services.account_check(account=account, actor=adviser, item=item, checked=True)
    registry_services.account_transition(account=account, actor=adviser, action="activate")
    account.refresh_from_db()
    return account


@pytest.fixture
def sent(stavanger, stavanger_account):
    """Helse Stavanger's evaluation, written by the member and confirmed by the leader."""
    member = stavanger["member"]
    evaluation = services.evaluation_start(account=stavanger_account, actor=member)
    evaluation = services.evaluation_save(evaluation=evaluation, actor=member, content=content(evaluation))
    return send_through_leader(evaluation, writer=member, decision=Decision.CONTINUE)


def test_another_organisations_adviser_gets_404_on_its_account_and_evaluation(client, cast, stavanger_account, sent):
    login(client, cast["adviser"])
    for url in [
        reverse("evaluations:account", args=[stavanger_account.pk]),
        reverse("evaluations:detail", args=[sent.pk]),
        reverse("evaluations:pdf", args=[sent.pk]),
        reverse("evaluations:import", args=[sent.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    for url, data in [
        (reverse("evaluations:feedback", args=[sent.pk]), {"feedback": "Godt arbeid."}),
        (reverse("evaluations:schedule", args=[stavanger_account.pk]), {"due_on": "01.01.2099"}),
        (reverse("evaluations:close_account", args=[sent.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 404, url
    assert Evaluation.objects.get(pk=sent.pk).status == EvaluationStatus.SUBMITTED


def test_the_advisers_list_and_counts_hold_only_their_organisation(client, cast, stavanger, stavanger_account, sent):
    login(client, cast["adviser"])
    response = client.get(reverse("evaluations:index"))
    page = response.content.decode()
    assert "Stavanger-MARKER" not in page
    assert response.context["counts"]["all"] == 0
    assert list(response.context["awaiting_feedback"]) == []
    client.logout()
    login(client, stavanger["adviser"])
    response = client.get(reverse("evaluations:index"))
    assert response.context["counts"]["all"] == 1
    assert [e.pk for e in response.context["awaiting_feedback"]] == [sent.pk]


def test_the_scoping_helpers_keep_organisations_apart(cast, stavanger, sent):
    assert not Evaluation.objects.visible_to(cast["adviser"]).filter(pk=sent.pk).exists()
    assert not Evaluation.objects.visible_to(stavanger["regional"]).filter(pk=sent.pk).exists()
    assert Evaluation.objects.visible_to(stavanger["adviser"]).filter(pk=sent.pk).exists()
    assert Evaluation.objects.visible_to(stavanger["member"]).filter(pk=sent.pk).exists()


def test_only_the_accounts_own_organisation_gives_feedback_and_sets_due_dates(cast, stavanger, stavanger_account, sent):
    for actor in (cast["adviser"], stavanger["regional"]):
        with pytest.raises(services.NotAllowed):
            services.evaluation_feedback(evaluation=sent, actor=actor, text="Godt.")
        with pytest.raises(services.NotAllowed):
            services.schedule_set_due(account=stavanger_account, actor=actor, due_on=sent.period_end.replace(year=2099))
    OutboundEmail.objects.all().delete()
    services.evaluation_feedback(evaluation=sent, actor=stavanger["adviser"], text="Godt arbeid.")
    told = OutboundEmail.objects.filter(template="evaluation_feedback")
    assert told and all("Helse Stavanger" in e.from_email and "Helse Stavanger" in e.body_html for e in told)


def test_a_unit_that_decides_to_close_asks_only_its_own_organisations_advisers(cast, stavanger, stavanger_account):
    member = stavanger["member"]
    evaluation = services.evaluation_start(account=stavanger_account, actor=member)
    evaluation = services.evaluation_save(evaluation=evaluation, actor=member, content=content(evaluation))
    OutboundEmail.objects.all().delete()
    send_through_leader(evaluation, writer=member, decision=Decision.CLOSE)
    asked = OutboundEmail.objects.filter(template="evaluation_close_requested")
    assert [e.to for e in asked] == [[stavanger["adviser"].email]]
    assert "Helse Stavanger" in asked.get().from_email
    with pytest.raises(services.NotAllowed):
        services.evaluation_close_account(evaluation=evaluation, actor=cast["adviser"])


def test_the_evaluation_pdf_is_written_by_the_accounts_organisation(sent):
    data = evaluation_pdf(Evaluation.objects.select_related("account__unit", "account__platform").get(pk=sent.pk))
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo.Author) == "Helse Stavanger"
    text = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    assert "Helse Stavanger" in text and "Haukeland" not in text


def test_the_advisers_tasks_hold_only_their_own_organisations_evaluations(cast, stavanger, sent):
    from core.worklist import worklist_of_one
    from evaluations.worklist import items

    assert not [item for item in worklist_of_one(items, cast["adviser"]) if item.kind == "evaluation.feedback"]
    assert not [item for item in worklist_of_one(items, stavanger["regional"]) if item.kind == "evaluation.feedback"]
    own = [item.url for item in worklist_of_one(items, stavanger["adviser"]) if item.kind == "evaluation.feedback"]
    assert own == [reverse("evaluations:detail", args=[sent.pk])]


def test_reminders_and_closure_alerts_go_out_in_the_accounts_organisation(cast, stavanger, stavanger_account):
    from datetime import timedelta

    from django.utils import timezone

    from evaluations.models import Schedule
    from evaluations.services.reminders import closure_after_days

    today = timezone.localdate()
    Schedule.objects.filter(pk=stavanger_account.pk).update(due_on=today - timedelta(days=closure_after_days() + 1))
    OutboundEmail.objects.all().delete()
    services.reminders_send(now=timezone.now())
    alerts = OutboundEmail.objects.filter(template="evaluation_closure_candidate")
    assert [e.to for e in alerts] == [[stavanger["adviser"].email]]  # not Helse Bergen's adviser
    reminded = OutboundEmail.objects.filter(template="evaluation_overdue")
    assert reminded
    for email in [*alerts, *reminded]:
        assert "Helse Stavanger" in email.from_email and "Helse Stavanger" in email.body_html
