"""Who may see and do what in the register of official accounts, for every role: the
public pages, the department's register and account pages and actions, and the export
and import. (The reports of fake accounts: tests/test_access_reports.py.)

COVERED_URLS lists the URL names this module checks for every role (the standing check
in tests/test_security.py makes sure every URL of the project is in some module's list).
"""

import pytest
from django.urls import reverse

from registry.models import Account, AccountStatus

from .test_registry_transfer import good_file, upload

pytestmark = pytest.mark.django_db

COVERED_URLS = {
    "registry:public_list",
    "registry:organisation",
    "registry:public_account",
    "registry:verify",
    "registry:register",
    "registry:detail",
    "registry:edit",
    "registry:create",
    "registry:check",
    "registry:action",
    "registry:export",
    "registry:import",
    "registry:import_template",
}

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]
PUBLIC = dict.fromkeys(ROLES, 200)


def _client_for(client, cast, role):
    if role != "anonymous":
        client.force_login(cast[role])
    return client


def _outcome(response):
    if response.status_code == 302 and "/logg-inn/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.parametrize(
    ("name", "method", "url", "data", "expected"),
    [
        ("public list", "get", lambda a: reverse("registry:public_list"), None, PUBLIC),
        (
            "organisation's start page",
            "get",
            lambda a: reverse("registry:organisation", args=[a.unit.organisation.slug]),
            None,
            PUBLIC,
        ),
        ("public page", "get", lambda a: reverse("registry:public_account", args=[a.code]), None, PUBLIC),
        ("verify", "get", lambda a: reverse("registry:verify") + "?q=" + a.url, None, PUBLIC),
        (
            "register",
            "get",
            lambda a: reverse("registry:register"),
            None,
            {"anonymous": "login", **dict.fromkeys(ROLES[1:], 200)},
        ),
        (
            "account",
            "get",
            lambda a: reverse("registry:detail", args=[a.pk]),
            None,
            {"anonymous": "login", "member": 200, "leader": 200, "other": 404, "adviser": 200, "admin": 404},
        ),
        (
            "edit",
            "get",
            lambda a: reverse("registry:edit", args=[a.pk]),
            None,
            {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 200, "admin": 403},
        ),
        (
            "new account",
            "get",
            lambda a: reverse("registry:create") + f"?unit={a.unit_id}",
            None,
            {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 200, "admin": 403},
        ),
        (
            "tick",
            "post",
            lambda a: reverse("registry:check", args=[a.pk]),
            {"item": "naming", "checked": "1"},
            {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 302, "admin": 403},
        ),
        (
            "save edit",
            "post",
            lambda a: reverse("registry:edit", args=[a.pk]),
            {"display_name": "Endra namn"},
            {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 400, "admin": 403},
        ),
        (
            "register new",
            "post",
            lambda a: reverse("registry:create") + f"?unit={a.unit_id}",
            {"address": "https://www.instagram.com/ny_konto/"},
            {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 400, "admin": 403},
        ),
        (
            "close",
            "post",
            lambda a: reverse("registry:action", args=[a.pk, "close"]),
            {"confirmed": "1"},
            {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 302, "admin": 403},
        ),
        (
            "pause",
            "post",
            lambda a: reverse("registry:action", args=[a.pk, "pause"]),
            {},
            {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 302, "admin": 403},
        ),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(name, method, url, data, expected, role, client, cast, make_account):
    account = make_account(status="active")
    client = _client_for(client, cast, role)
    response = getattr(client, method)(url(account), data) if data is not None else client.get(url(account))
    assert _outcome(response) == expected[role], name
    if method == "post" and expected[role] != 302:
        account.refresh_from_db()
        assert account.status == AccountStatus.ACTIVE and account.display_name != "Endra namn"
        assert Account.objects.count() == 1
        assert set(account.checks.values_list("checked_by", flat=True)) == {cast["adviser"].pk}


TRANSFER_EXPECTED = {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": 200, "admin": 403}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "method,url_name,data",
    [
        ("get", "registry:export", {"format": "csv"}),
        ("get", "registry:export", {"format": "xlsx"}),
        ("get", "registry:import", None),
        ("post", "registry:import", "file"),
        ("get", "registry:import_template", None),
    ],
)
def test_only_advisers_may_export_and_import(client, cast, role, method, url_name, data):
    if role != "anonymous":
        client.force_login(cast[role])
    url = reverse(url_name)
    response = upload(client, good_file()) if data == "file" else getattr(client, method)(url, data)
    expected = TRANSFER_EXPECTED[role]
    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected
    assert not Account.objects.exists()
