"""Who may see and do what in the evaluation cycle and the overview: every page and action
for every role. 404: not told the account exists; 403: may see but not act; login: sent
to log in. The clinic leader leads the unit's parent clinic (the unit has its own leader)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import services
from evaluations.models import Decision, EvaluationStatus, FigureImport

from . import evaluation_files as files
from .evaluation_steps import send_through_leader

COVERED_URLS = {
    "evaluations:index",
    "evaluations:overview",
    "evaluations:overview_export",
    "evaluations:account",
    "evaluations:start",
    "evaluations:schedule",
    "evaluations:detail",
    "evaluations:edit",
    "evaluations:feedback",
    "evaluations:close_account",
    "evaluations:pdf",
    "evaluations:import",
    "evaluations:import_check",
    "evaluations:import_save",
}

ROLES = ["anonymous", "member", "leader", "clinic_leader", "other", "adviser", "admin"]
UNIT = {"member": 200, "leader": 200, "clinic_leader": 200, "other": 404, "adviser": 200, "admin": 404}
WRITE = {"member": 200, "leader": 200, "clinic_leader": 403, "other": 404, "adviser": 403, "admin": 404}
DEPARTMENT = {"member": 403, "leader": 403, "clinic_leader": 403, "other": 404, "adviser": 302, "admin": 404}
OVERVIEW = {"member": 403, "leader": 200, "clinic_leader": 200, "other": 403, "adviser": 200, "admin": 403}

# (name, method, url name, what the url needs, post data, expected per role but anonymous)
CASES = [
    ("index", "get", "evaluations:index", None, None, dict.fromkeys(ROLES[1:], 200)),
    ("overview", "get", "evaluations:overview", None, None, OVERVIEW),
    ("overview export", "get", "evaluations:overview_export", "export", None, OVERVIEW),
    ("account page", "get", "evaluations:account", "account", None, UNIT),
    ("start", "post", "evaluations:start", "account", {}, {**WRITE, "member": 302, "leader": 302}),
    ("due date", "post", "evaluations:schedule", "account", {"due_on": "01.01.2099"}, DEPARTMENT),
    ("evaluation", "get", "evaluations:detail", "draft", None, UNIT),
    ("pdf", "get", "evaluations:pdf", "draft", None, UNIT),
    ("form", "get", "evaluations:edit", "draft", None, WRITE),
    ("import page", "get", "evaluations:import", "draft", None, WRITE),
    ("import check", "get", "evaluations:import_check", "pending", None, WRITE),
    ("import save", "post", "evaluations:import_save", "pending", {}, {**WRITE, "member": 302, "leader": 302}),
    ("feedback", "post", "evaluations:feedback", "sent", {"feedback": "Godt arbeid."}, DEPARTMENT),
    ("close the account", "post", "evaluations:close_account", "closing", {}, DEPARTMENT),
]


@pytest.fixture
def world(cast, make_plan, make_account):
    cast["clinic"].leader = cast["other_leader"]
    cast["clinic"].save()
    cast["clinic_leader"] = cast["other_leader"]
    cast["other_unit"].leader = None  # so the clinic leader leads nothing else
    cast["other_unit"].save()
    account = make_account(status="active", plan=make_plan("approved"))
    return {"cast": cast, "account": account}


def target(world, need):
    cast, account = world["cast"], world["account"]
    if need is None:
        return [], ""
    if need == "export":
        return [], "?table=plans&format=csv"
    if need == "account":
        return [account.pk], ""
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    if need == "draft":
        return [evaluation.pk], ""
    if need == "pending":
        figure_import = services.figures_read(
            evaluation=evaluation,
            actor=cast["member"],
            filename="ig.csv",
            content=files.instagram_csv(),
        )
        return [evaluation.pk, figure_import.pk], ""
    services.evaluation_save(
        evaluation=evaluation,
        actor=cast["member"],
        content=services.EvaluationContent(
            period_start=evaluation.period_start,
            period_end=evaluation.period_end,
            result="Bra",
            goals=[services.GoalContent(attainment="met")],
        ),
    )
    decision = Decision.CLOSE if need == "closing" else Decision.CONTINUE
    send_through_leader(evaluation, writer=cast["member"], decision=decision)
    return [evaluation.pk], ""


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_page_or_action(case, role, client, world):
    _name, method, url_name, need, data, expected = case
    args, query = target(world, need)
    if role != "anonymous":
        client.force_login(world["cast"][role])
    response = getattr(client, method)(reverse(url_name, args=args) + query, data if data is not None else {})
    if role == "anonymous":
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    else:
        assert response.status_code == expected[role], (url_name, role)


def test_the_actions_are_post_only(client, world):
    cast, account = world["cast"], world["account"]
    client.force_login(cast["member"])
    assert client.get(reverse("evaluations:start", args=[account.pk])).status_code == 405
    client.force_login(cast["adviser"])
    assert client.get(reverse("evaluations:schedule", args=[account.pk])).status_code == 405


def test_an_outsider_cannot_upload_to_anothers_evaluation(client, world):
    cast, account = world["cast"], world["account"]
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    client.force_login(cast["other"])
    response = client.post(
        reverse("evaluations:import", args=[evaluation.pk]),
        {"file": SimpleUploadedFile("ig.csv", files.instagram_csv())},
    )
    assert response.status_code == 404
    assert not FigureImport.objects.exists()


def test_a_member_does_not_see_the_evaluations_of_other_units(client, world, make_account):
    cast = world["cast"]
    services.evaluation_start(account=world["account"], actor=cast["member"])
    client.force_login(cast["other"])
    page = client.get(reverse("evaluations:index")).content.decode()
    assert world["account"].display_name not in page
    client.force_login(cast["member"])
    page = client.get(reverse("evaluations:index")).content.decode()
    assert world["account"].display_name in page


def test_a_leader_sees_only_their_own_part_of_the_hospital_on_the_overview(client, world):
    cast = world["cast"]
    client.force_login(cast["leader"])
    response = client.get(reverse("evaluations:overview"), {"unit": cast["other_unit"].pk})
    assert response.status_code == 200  # not a choice they have: their own units are shown
    assert "Hjarteavdelinga" not in response.content.decode()
    response = client.get(reverse("evaluations:overview"), {"unit": cast["unit"].pk})
    assert response.status_code == 200
    client.force_login(cast["clinic_leader"])
    page = client.get(reverse("evaluations:overview")).content.decode()
    assert "Laboratorieklinikken" in page and "Hjarteavdelinga" not in page


def test_the_status_after_each_successful_action(client, world):
    cast, account = world["cast"], world["account"]
    client.force_login(cast["member"])
    client.post(reverse("evaluations:start", args=[account.pk]))
    evaluation = account.evaluations.get()
    assert evaluation.status == EvaluationStatus.DRAFT
