"""Who may confirm or return an evaluation waiting for the leader: only the unit's own leader
(or, when the unit has none, the nearest leader above). A member, a leader further up when the
unit has its own, and an adviser get 403; outsiders 404; the anonymous are sent to log in."""

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Evaluation, EvaluationStatus

COVERED_URLS = {"evaluations:confirm", "evaluations:return"}

ROLES = ["anonymous", "member", "deputy", "leader", "clinic_leader", "other", "adviser", "admin"]
EXPECTED = {
    "member": 403,
    "deputy": 403,
    "leader": 302,
    "clinic_leader": 403,
    "other": 404,
    "adviser": 403,
    "admin": 404,
}


@pytest.fixture
def waiting(cast, make_plan, make_account):
    cast["clinic"].leader = cast["other_leader"]
    cast["clinic"].save()
    cast["clinic_leader"] = cast["other_leader"]
    cast["other_unit"].leader = None  # so the clinic leader leads nothing else
    cast["other_unit"].save()
    account = make_account(status="active", plan=make_plan("approved"))
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    evaluation = services.evaluation_save(
        evaluation=evaluation,
        actor=cast["member"],
        content=services.EvaluationContent(
            period_start=evaluation.period_start,
            period_end=evaluation.period_end,
            result="Bra",
            goals=[services.GoalContent(attainment="met")],
        ),
    )
    return services.evaluation_send_to_leader(evaluation=evaluation, actor=cast["member"], decision="close")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url_name, data, after",
    [
        ("evaluations:confirm", lambda e: {"revision": e.revision}, EvaluationStatus.SUBMITTED),
        ("evaluations:return", lambda e: {"comment": "Skriv meir."}, EvaluationStatus.DRAFT),
    ],
    ids=["confirm", "return"],
)
def test_confirm_or_return(url_name, data, after, role, client, cast, waiting):
    if role != "anonymous":
        client.force_login(cast[role])
    response = client.post(reverse(url_name, args=[waiting.pk]), data(waiting))
    status = Evaluation.objects.get(pk=waiting.pk).status
    if role == "anonymous":
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    else:
        assert response.status_code == EXPECTED[role], role
    assert status == (after if role == "leader" else EvaluationStatus.AWAITING_LEADER)


def test_the_actions_are_post_only(client, cast, waiting):
    client.force_login(cast["leader"])
    for name in ("evaluations:confirm", "evaluations:return"):
        assert client.get(reverse(name, args=[waiting.pk])).status_code == 405


def test_a_return_without_a_comment_changes_nothing(client, cast, waiting):
    client.force_login(cast["leader"])
    client.post(reverse("evaluations:return", args=[waiting.pk]), {"comment": " "})
    assert Evaluation.objects.get(pk=waiting.pk).status == EvaluationStatus.AWAITING_LEADER


def test_the_nearest_leader_above_confirms_when_the_unit_has_none(client, cast, waiting):
    cast["unit"].leader = None
    cast["unit"].save()
    client.force_login(cast["leader"])
    assert (
        client.post(reverse("evaluations:confirm", args=[waiting.pk]), {"revision": waiting.revision}).status_code
        == 404
    )
    client.force_login(cast["clinic_leader"])
    client.post(reverse("evaluations:confirm", args=[waiting.pk]), {"revision": waiting.revision})
    assert Evaluation.objects.get(pk=waiting.pk).confirmed_by == cast["clinic_leader"]
