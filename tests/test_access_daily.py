"""Who may see and do what on the daily-work pages: the front page's tasks, the review
queue's filters, the decision, deleting a draft, the live readiness check, the page after
sending, and the confirmations of destructive actions.

works = 200 (a page) or 302 (an action that went through); 404 = not told the plan
exists; 403 = may see but not do; login = sent to log in."""

import pytest
from django.urls import reverse

from plans.models import Plan, PlanStatus
from registry.models import AccountStatus

COVERED_URLS = {
    "core:home",
    "plans:queue",
    "plans:review",
    "plans:decide",
    "plans:delete",
    "plans:readiness",
    "plans:sent",
    "plans:action",
    "registry:action",
}

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]


def login(client, cast, role):
    if role != "anonymous":
        client.force_login(cast[role])


def outcome(response):
    if response.status_code == 302 and "/logg-inn/" in response["Location"]:
        return "login"
    return response.status_code


# (name, plan status, method, url name, extra args, data, expected per role)
CASES = [
    ("front page", None, "get", "core:home", [], None, dict.fromkeys(ROLES, 200)),
    (
        "queue with filters",
        None,
        "get",
        "plans:queue",
        [],
        {"who": "mine", "status": "in_review", "q": "blod", "sort": "unit"},
        {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 200, "admin": 403},
    ),
    (
        "review page",
        "in_review",
        "get",
        "plans:review",
        [],
        None,
        {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 200, "admin": 403},
    ),
    (
        "decision",
        "in_review",
        "post",
        "plans:decide",
        [],
        {"decision": "approve", "comment": ""},
        {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 302, "admin": 403},
    ),
    (
        "delete a draft",
        "draft",
        "post",
        "plans:delete",
        [],
        {"confirmed": "1"},
        {"anonymous": "login", "member": 302, "leader": 302, "other": 404, "adviser": 403, "admin": 404},
    ),
    (
        "readiness while typing",
        "draft",
        "post",
        "plans:readiness",
        [],
        {"title": "x"},
        {"anonymous": "login", "member": 200, "leader": 200, "other": 404, "adviser": 403, "admin": 404},
    ),
    (
        "after sending",
        "submitted",
        "get",
        "plans:sent",
        [],
        None,
        {"anonymous": "login", "member": 200, "leader": 200, "other": 404, "adviser": 200, "admin": 404},
    ),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_page(case, role, client, cast, make_plan):
    _name, status, method, url_name, args, data, expected = case
    plan = make_plan(status) if status else None
    if plan:
        args = [plan.pk, *args]
    login(client, cast, role)
    response = getattr(client, method)(reverse(url_name, args=args), data or {})
    assert outcome(response) == expected[role]
    if plan and method == "post" and expected[role] != 302 and url_name != "plans:readiness":
        assert Plan.objects.get(pk=plan.pk).status == status  # refused: nothing changed


@pytest.mark.parametrize(
    "action,status,data",
    [
        ("withdraw", "submitted", {}),
        ("reject", "in_review", {"comment": "Nei"}),
    ],
)
def test_a_destructive_plan_action_asks_first_and_changes_nothing_until_confirmed(
    action, status, data, client, cast, make_plan
):
    plan = make_plan(status)
    client.force_login(cast["adviser"] if action == "reject" else cast["member"])
    url = reverse("plans:action", args=[plan.pk, action])
    page = client.post(url, data)
    assert page.status_code == 200
    assert 'name="confirmed" value="1"' in page.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == status
    assert client.post(url, {**data, "confirmed": "1"}).status_code == 302
    assert Plan.objects.get(pk=plan.pk).status != status


def test_a_destructive_action_is_refused_before_it_is_confirmed(client, cast, make_plan):
    # Those who may not act are refused outright, not asked to confirm.
    plan = make_plan("submitted")
    client.force_login(cast["adviser"])
    assert client.post(reverse("plans:action", args=[plan.pk, "withdraw"])).status_code == 403
    client.force_login(cast["other"])
    assert client.post(reverse("plans:action", args=[plan.pk, "withdraw"])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_closing_an_account_asks_first(role, client, cast, make_account):
    account = make_account(status="active")
    login(client, cast, role)
    response = client.post(reverse("registry:action", args=[account.pk, "close"]))
    expected = {"anonymous": "login", "adviser": 200}.get(role, 403)
    assert outcome(response) == expected
    account.refresh_from_db()
    assert account.status == AccountStatus.ACTIVE
    if role == "adviser":
        assert (
            client.post(reverse("registry:action", args=[account.pk, "close"]), {"confirmed": "1"}).status_code == 302
        )
        account.refresh_from_db()
        assert account.status == AccountStatus.CLOSED


def test_the_decision_and_delete_are_post_only(client, cast, make_plan):
    plan = make_plan("in_review")
    client.force_login(cast["adviser"])
    assert client.get(reverse("plans:decide", args=[plan.pk])).status_code == 405
    draft = make_plan("draft")
    client.force_login(cast["member"])
    assert client.get(reverse("plans:delete", args=[draft.pk])).status_code == 405
    assert client.get(reverse("plans:readiness", args=[draft.pk])).status_code == 405
    assert Plan.objects.filter(pk=draft.pk).exists()


def test_the_page_after_sending_leads_on_for_plans_not_just_sent(client, cast, make_plan):
    plan = make_plan("approved")
    client.force_login(cast["member"])
    response = client.get(reverse("plans:sent", args=[plan.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
