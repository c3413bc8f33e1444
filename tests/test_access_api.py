"""Who may use the open API: everyone, the same way. Every endpoint answers every role
alike (logged in or not, the data holds nothing more), only reads, and anything else
under /api/v1/ is a JSON 404.

COVERED_URLS lists the URL names this module checks for every role (the standing check
in tests/test_security.py makes sure every URL of the project is in some module's list).
"""

import pytest
from django.urls import reverse

from registry.models import AccountStatus

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]

# (url name, arguments, query, expected status)
ENDPOINTS = [
    ("api:docs", [], {}, 200),
    ("api:openapi", [], {}, 200),
    ("api:accounts", [], {"platform": "instagram"}, 200),
    ("api:verify", [], {"url": "https://www.instagram.com/blodbanken_bergen/"}, 200),
    ("api:account", ["CODE"], {}, 200),
    ("api:platforms", [], {}, 200),
    ("api:units", [], {}, 200),
]
COVERED_URLS = {name for name, _args, _query, _status in ENDPOINTS} | {"api:not_found"}


@pytest.fixture
def account(make_account):
    return make_account(status=AccountStatus.ACTIVE)


def _get(client, name, args, query, account):
    args = [account.code if a == "CODE" else a for a in args]
    return client.get(reverse(name, args=args), query)


@pytest.mark.parametrize("name,args,query,status", ENDPOINTS, ids=[e[0] for e in ENDPOINTS])
def test_every_role_gets_the_same_answer(name, args, query, status, client, cast, account):
    answers = {}
    for role in ROLES:
        client.logout()
        if role != "anonymous":
            client.force_login(cast[role])
        response = _get(client, name, args, query, account)
        assert response.status_code == status, role
        assert "Set-Cookie" not in response or "sessionid" not in response["Set-Cookie"], role
        if response["Content-Type"].startswith("application/json"):
            answers[role] = response.content
    # The data is the same for everyone (the documentation page has the portal's own menu).
    assert len(set(answers.values())) <= 1


@pytest.mark.parametrize("role", ROLES)
def test_anything_else_under_the_api_is_a_json_404(role, client, cast, catalogue):
    if role != "anonymous":
        client.force_login(cast[role])
    response = client.get("/api/v1/" + "ukjend/adresse")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["api:accounts", "api:verify", "api:units"])
def test_nobody_writes_through_the_api(name, role, client, cast, catalogue):
    if role != "anonymous":
        client.force_login(cast[role])
    assert client.post(reverse(name), {"display_name": "x"}).status_code == 405
