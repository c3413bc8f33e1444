"""Who may download the demo's example export for an evaluation's import, for every role:
the unit that writes the evaluation, and only in the demo. 404: not told the account
exists (or not the demo); 403: may see but not write; login: sent to log in.

COVERED_URLS lists the URL names this module checks for every role (the standing check
in tests/test_security.py)."""

import pytest
from django.urls import reverse

from evaluations import services

COVERED_URLS = {"evaluations:import_example"}

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]
IN_THE_DEMO = {"member": 200, "leader": 200, "other": 404, "adviser": 403, "admin": 404}


@pytest.fixture
def evaluation(cast, make_plan, make_account):
    account = make_account(
        url="https://www.instagram.com/blodbanken_bergen/", status="active", plan=make_plan("approved")
    )
    return services.evaluation_start(account=account, actor=cast["member"])


@pytest.mark.parametrize("demo", [True, False], ids=["demo", "production"])
@pytest.mark.parametrize("role", ROLES)
def test_the_example_export(role, demo, client, cast, evaluation, settings):
    settings.DEMO = demo
    if role != "anonymous":
        client.force_login(cast[role])
    response = client.get(reverse("evaluations:import_example", args=[evaluation.pk]))
    if role == "anonymous":
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    elif demo:
        assert response.status_code == IN_THE_DEMO[role]
    else:
        assert response.status_code == 404
