"""Who may see and do what: every page and action of the plans and the core (front page,
login, language, health) for every role.

works = 200 (a page) or 302 to the expected place (an action that succeeded);
404 = not told the plan exists; 403 = may see but not do; login = sent to log in.

COVERED_URLS lists the URL names this module checks for every role (the standing check
in tests/test_security.py makes sure every URL of the project is in some module's list).
"""

import pytest
from django.urls import reverse

from plans.models import PlanStatus

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]

COVERED_URLS = {
    "core:home",
    "plans:list",
    "plans:create",
    "plans:detail",
    "plans:edit",
    "plans:pdf",
    "plans:version",
    "plans:version_pdf",
    "plans:compare",
    "plans:queue",
    "plans:review",
    "plans:comment",
    "plans:action",
    "plans:template_docx",
    "demo:mail_list",
}

# (name, plan status or None, method, url name, extra url args, post data, expected per role)
CASES = [
    ("home", None, "get", "core:home", [], None, dict.fromkeys(ROLES, 200)),
    ("plan list", None, "get", "plans:list", [], None, {"anonymous": "login", **dict.fromkeys(ROLES[1:], 200)}),
    (
        "new plan page",
        None,
        "get",
        "plans:create",
        [],
        None,
        {"anonymous": "login", "member": 200, "leader": 200, "other": 200, "adviser": 302, "admin": 302},
    ),
    (
        "detail",
        "draft",
        "get",
        "plans:detail",
        [],
        None,
        {"anonymous": "login", "member": 200, "leader": 200, "other": 404, "adviser": 200, "admin": 404},
    ),
    (
        "edit page",
        "draft",
        "get",
        "plans:edit",
        [],
        None,
        {"anonymous": "login", "member": 200, "leader": 200, "other": 404, "adviser": 403, "admin": 404},
    ),
    (
        "pdf",
        "draft",
        "get",
        "plans:pdf",
        [],
        None,
        {"anonymous": "login", "member": 200, "leader": 200, "other": 404, "adviser": 200, "admin": 404},
    ),
    (
        "version",
        "submitted",
        "get",
        "plans:version",
        [1],
        None,
        {"anonymous": "login", "member": 200, "leader": 200, "other": 404, "adviser": 200, "admin": 404},
    ),
    (
        "version pdf",
        "submitted",
        "get",
        "plans:version_pdf",
        [1],
        None,
        {"anonymous": "login", "member": 200, "leader": 200, "other": 404, "adviser": 200, "admin": 404},
    ),
    (
        "compare (one version)",
        "submitted",
        "get",
        "plans:compare",
        [],
        None,
        {"anonymous": "login", "member": 302, "leader": 302, "other": 404, "adviser": 302, "admin": 404},
    ),
    (
        "review queue",
        None,
        "get",
        "plans:queue",
        [],
        None,
        {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 200, "admin": 403},
    ),
    (
        "review page",
        "submitted",
        "get",
        "plans:review",
        [],
        None,
        {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 200, "admin": 403},
    ),
    (
        "comment",
        "submitted",
        "post",
        "plans:comment",
        [],
        {"body": "Eit spørsmål"},
        {"anonymous": "login", "member": 302, "leader": 302, "other": 404, "adviser": 302, "admin": 404},
    ),
    ("blank template", None, "get", "plans:template_docx", [], None, dict.fromkeys(ROLES, 200)),
    ("login page", None, "get", "accounts:login", [], None, {"anonymous": 200, **dict.fromkeys(ROLES[1:], 302)}),
    ("log out", None, "post", "accounts:logout", [], {}, dict.fromkeys(ROLES, 302)),
    ("health", None, "get", "core:health", [], None, dict.fromkeys(ROLES, 200)),
    ("language", None, "post", "core:set_language", [], {"language": "nn", "next": "/"}, dict.fromkeys(ROLES, 302)),
    (
        "administration",
        None,
        "get",
        "admin:index",
        [],
        None,
        {"anonymous": 302, "member": 302, "leader": 302, "other": 302, "adviser": 302, "admin": 200},
    ),
]

# (action, plan status, who succeeds, who gets 403; everyone outside the unit but advisers gets 404)
ACTIONS = [
    ("send_to_leader", "draft", {"member"}, {"leader", "adviser"}),
    ("submit", "draft", {"leader"}, {"member", "adviser"}),
    ("submit", "awaiting_leader", {"leader"}, {"member", "adviser"}),
    ("return_to_author", "awaiting_leader", {"leader"}, {"member", "adviser"}),
    ("withdraw", "submitted", {"member", "leader"}, {"adviser"}),
    ("take", "submitted", {"adviser"}, {"member", "leader"}),
    ("request_changes", "in_review", {"adviser"}, {"member", "leader"}),
    ("approve", "in_review", {"adviser"}, {"member", "leader"}),
    ("reject", "in_review", {"adviser"}, {"member", "leader"}),
    ("resubmit", "changes_requested", {"member", "leader"}, {"adviser"}),
    ("reopen", "withdrawn", {"member", "leader"}, {"adviser"}),
]


COVERED_URLS = {case[3] for case in CASES} | {"plans:action"}


def login(client, cast, role):
    if role != "anonymous":
        client.force_login(cast[role])


def check(response, expected):
    if expected == "login":
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    else:
        assert response.status_code == expected


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_page(case, role, client, cast, make_plan):
    _name, status, method, url_name, args, data, expected = case
    if status:
        plan = make_plan(status)
        args = [plan.pk, *args]
    login(client, cast, role)
    response = getattr(client, method)(reverse(url_name, args=args), data or {})
    check(response, expected[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action,status,works,forbidden", ACTIONS, ids=[f"{a[0]}-{a[1]}" for a in ACTIONS])
def test_action(action, status, works, forbidden, role, client, cast, make_plan):
    plan = make_plan(status)
    login(client, cast, role)
    # confirmed=1: as the confirmation dialog (or page) of a destructive action sends it.
    response = client.post(reverse("plans:action", args=[plan.pk, action]), {"comment": "Fordi.", "confirmed": "1"})
    plan.refresh_from_db()
    if role == "anonymous":
        check(response, "login")
    elif role in works:
        assert response.status_code == 302
        assert plan.status != status
        return
    elif role in forbidden:
        assert response.status_code == 403
    else:
        assert response.status_code == 404
    assert plan.status == status


def test_actions_are_post_only(client, cast, make_plan):
    plan = make_plan("in_review")
    client.force_login(cast["adviser"])
    response = client.get(reverse("plans:action", args=[plan.pk, "approve"]))
    assert response.status_code == 405
    plan.refresh_from_db()
    assert plan.status == PlanStatus.IN_REVIEW


def test_an_unknown_action_is_404(client, cast, make_plan):
    plan = make_plan("in_review")
    client.force_login(cast["adviser"])
    assert client.post(reverse("plans:action", args=[plan.pk, "delete"])).status_code == 404


def test_the_plan_list_shows_only_own_units_plans(client, cast, make_plan):
    mine = make_plan("draft")
    theirs = make_plan("draft", unit=cast["other_unit"], author=cast["other"])
    client.force_login(cast["member"])
    page = client.get(reverse("plans:list")).content.decode()
    assert reverse("plans:detail", args=[mine.pk]) in page
    assert reverse("plans:detail", args=[theirs.pk]) not in page
    client.force_login(cast["adviser"])
    page = client.get(reverse("plans:list")).content.decode()
    assert reverse("plans:detail", args=[theirs.pk]) in page


def test_the_demo_mail_page_is_gone_outside_demo_mode(client, settings, db):  # the page names its organisation
    settings.DEMO = False
    assert client.get(reverse("demo:mail_list")).status_code == 404


def test_a_leader_from_above_sees_and_confirms_a_plan_of_a_unit_without_its_own_leader(client, cast, make_plan):
    cast["unit"].leader = None
    cast["unit"].save()
    cast["clinic"].leader = cast["other_leader"]
    cast["clinic"].save()
    plan = make_plan("awaiting_leader")
    client.force_login(cast["other_leader"])
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    assert client.post(reverse("plans:action", args=[plan.pk, "submit"])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.SUBMITTED
    # The leader of a unit further up with its own leader below does not see it.
    cast["trust"].leader = cast["admin"]
    cast["trust"].save()
    client.force_login(cast["admin"])
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
