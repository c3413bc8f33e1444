"""The leader answers for an evaluation and its decision, as for a plan: a member sends it to
the unit's leader (or the nearest leader above), who confirms and sends it, or returns it with
a comment. The services, the tasks, the mail and the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core.models import AuditEntry, OutboundEmail
from core.worklist import worklist_of_one
from evaluations import services, worklist
from evaluations.models import Decision, Evaluation, EvaluationStatus

from .test_evaluation_services import content, written


@pytest.fixture
def account(cast, make_plan, make_account):
    return make_account(status="active", plan=make_plan("approved"))


def kinds(user):
    return [item.kind for item in worklist_of_one(worklist.items, type(user).objects.get(pk=user.pk))]


def mails_to(user, template):
    return OutboundEmail.objects.filter(to=[user.email], template=template).count()


def test_a_member_sends_to_the_leader_who_confirms_and_the_department_gets_it(account, cast):
    evaluation = written(account, cast)
    evaluation = services.evaluation_send_to_leader(evaluation=evaluation, actor=cast["member"], decision="close")
    assert evaluation.status == EvaluationStatus.AWAITING_LEADER and evaluation.decision == Decision.CLOSE
    assert evaluation.submitted_at is None  # not yet to the department
    assert mails_to(cast["leader"], "evaluation_awaiting_leader") == 1
    assert "evaluation.confirm" in kinds(cast["leader"])
    assert "evaluation.feedback" not in kinds(cast["adviser"])
    # While it waits, nobody changes it.
    with pytest.raises(services.WrongState):
        services.evaluation_save(
            evaluation=evaluation,
            actor=cast["member"],
            content=services.EvaluationContent(period_start=evaluation.period_start, period_end=evaluation.period_end),
        )
    revision = evaluation.revision
    evaluation = services.evaluation_confirm(evaluation=evaluation, actor=cast["leader"], revision=revision)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.decision == Decision.CLOSE
    assert (evaluation.confirmed_by, evaluation.confirmed_revision) == (cast["leader"], revision)
    assert evaluation.confirmed_at is not None and evaluation.submitted_by == cast["member"]
    assert evaluation.submitted_at is not None
    assert "evaluation.confirm" not in kinds(cast["leader"])
    assert "evaluation.feedback" in kinds(cast["adviser"])
    actions = [e.action for e in AuditEntry.objects.for_object(evaluation)]
    assert {"evaluation.sent_to_leader", "evaluation.confirmed", "evaluation.submitted"} <= set(actions)


def test_the_leader_who_writes_it_confirms_and_sends_in_one_step(account, cast):
    evaluation = services.evaluation_start(account=account, actor=cast["leader"])
    evaluation = services.evaluation_save(evaluation=evaluation, actor=cast["leader"], content=content(evaluation))
    with pytest.raises(services.NotAllowed):
        services.evaluation_send_to_leader(evaluation=evaluation, actor=cast["leader"], decision="continue")
    evaluation = services.evaluation_confirm(evaluation=evaluation, actor=cast["leader"], decision="continue")
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert evaluation.confirmed_by == cast["leader"] and evaluation.submitted_by == cast["leader"]


@pytest.mark.parametrize("who", ["member", "deputy", "other_leader", "adviser", "other"])
def test_only_the_units_leader_confirms_or_returns(account, cast, who):
    evaluation = services.evaluation_send_to_leader(
        evaluation=written(account, cast), actor=cast["member"], decision="continue"
    )
    with pytest.raises(services.NotAllowed):
        services.evaluation_confirm(evaluation=evaluation, actor=cast[who])
    with pytest.raises(services.NotAllowed):
        services.evaluation_return(evaluation=evaluation, actor=cast[who], comment="Nei")
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.AWAITING_LEADER


def test_a_unit_without_a_leader_is_confirmed_by_the_nearest_leader_above(account, cast):
    cast["unit"].leader = None
    cast["unit"].save()
    cast["clinic"].leader = cast["other_leader"]
    cast["clinic"].save()
    evaluation = services.evaluation_send_to_leader(
        evaluation=written(account, cast), actor=cast["member"], decision="continue"
    )
    assert mails_to(cast["other_leader"], "evaluation_awaiting_leader") == 1
    assert "evaluation.confirm" in kinds(cast["other_leader"])
    with pytest.raises(services.NotAllowed):
        services.evaluation_confirm(evaluation=evaluation, actor=cast["leader"])
    evaluation = services.evaluation_confirm(evaluation=evaluation, actor=cast["other_leader"])
    assert evaluation.confirmed_by == cast["other_leader"]


def test_the_leader_returns_it_with_a_comment_and_the_writer_sees_it(account, cast):
    evaluation = services.evaluation_send_to_leader(
        evaluation=written(account, cast), actor=cast["member"], decision="adjust"
    )
    with pytest.raises(services.InvalidEvaluation):
        services.evaluation_return(evaluation=evaluation, actor=cast["leader"], comment="  ")
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.AWAITING_LEADER
    services.evaluation_return(evaluation=evaluation, actor=cast["leader"], comment="Skriv meir om resultatet.")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.returned_by == cast["leader"]
    assert mails_to(cast["member"], "evaluation_returned") == 1
    [item] = [i for i in worklist_of_one(worklist.items, cast["member"]) if i.kind == "evaluation.returned"]
    assert "Skriv meir om resultatet." in str(item.detail)
    assert '<span lang="no">Skriv meir om resultatet.</span>' in item.detail_html  # the leader's own words
    assert item.url == reverse("evaluations:edit", args=[evaluation.pk])
    assert "evaluation.returned" not in kinds(cast["deputy"])  # the writer's task
    # The writer changes it and sends it again; the return is answered.
    services.evaluation_save(
        evaluation=evaluation,
        actor=cast["member"],
        content=content(evaluation, result="Meir om resultatet."),
    )
    evaluation = services.evaluation_send_to_leader(evaluation=evaluation, actor=cast["member"], decision="continue")
    assert evaluation.return_comment == "" and "evaluation.returned" not in kinds(cast["member"])


def test_a_text_saved_again_after_the_leader_opened_it_is_not_sent(account, cast):
    evaluation = services.evaluation_send_to_leader(
        evaluation=written(account, cast), actor=cast["member"], decision="continue"
    )
    seen = evaluation.revision
    services.evaluation_return(evaluation=evaluation, actor=cast["leader"], comment="Ein ting til.")
    services.evaluation_send_to_leader(evaluation=evaluation, actor=cast["member"], decision="close")
    with pytest.raises(services.ChangedSinceSeen):
        services.evaluation_confirm(evaluation=evaluation, actor=cast["leader"], revision=seen)
    with pytest.raises(services.WrongState):  # nor with another decision than the one sent
        services.evaluation_confirm(evaluation=evaluation, actor=cast["leader"], decision="continue")
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.AWAITING_LEADER


def test_the_pages_member_sends_leader_reads_the_decision_and_confirms(account, cast, client):
    evaluation = written(account, cast)
    client.force_login(cast["member"])
    form = client.get(reverse("evaluations:edit", args=[evaluation.pk])).content.decode()
    with translation.override("nb"):
        assert translation.gettext("Save and send to the leader") in form
        close = str(Decision.CLOSE.label)
    data = {
        k: v for k, v in client.get(reverse("evaluations:edit", args=[evaluation.pk])).context["form"].initial.items()
    }
    data = {k: (v.strftime("%d.%m.%Y") if hasattr(v, "strftime") else v) for k, v in data.items()}
    goal = evaluation.goals.get()
    data.update({f"goal-{goal.pk}-attainment": "met", "action": "submit", "decision": "close"})
    response = client.post(reverse("evaluations:edit", args=[evaluation.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Evaluation.objects.get(pk=evaluation.pk).status == EvaluationStatus.AWAITING_LEADER
    page = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert 'id="confirm"' not in page  # the member has nothing to confirm
    client.force_login(cast["leader"])
    page = client.get(reverse("evaluations:detail", args=[evaluation.pk])).content.decode()
    assert 'id="confirm"' in page and close in page
    revision = Evaluation.objects.get(pk=evaluation.pk).revision
    client.post(reverse("evaluations:confirm", args=[evaluation.pk]), {"revision": revision})
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.confirmed_by == cast["leader"]


def test_the_leaders_task_costs_the_same_queries_however_many_wait(account, cast, make_account, make_plan):
    def one_more():
        other = make_account(status="active", plan=account.plan, url=f"https://www.instagram.com/k{one_more.n}/")
        one_more.n += 1
        services.evaluation_send_to_leader(evaluation=written(other, cast), actor=cast["member"], decision="continue")

    one_more.n = 0

    def queries():
        leader = type(cast["leader"]).objects.get(pk=cast["leader"].pk)
        with CaptureQueriesContext(connection) as captured:
            found = worklist_of_one(worklist.items, leader)
        return len(captured), found

    for _ in range(6):
        one_more()
    some, found = queries()
    assert [i.count for i in found if i.kind == "evaluation.confirm"] == [1, 1, 1, 1, 1, 1]
    for _ in range(3):
        one_more()
    more, found = queries()
    assert more == some
    assert [i.count for i in found if i.kind == "evaluation.confirm"] == [1, 1, 1, 1, 1, 4]
