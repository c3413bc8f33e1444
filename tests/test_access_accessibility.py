"""Who may see and do what with the accessibility statement and the barrier reports, for
every role: anyone may read the statement and report a barrier; only the Communications
Department reads and closes the reports (403 for others who are logged in, the login page
for visitors, as core/access.py does).

COVERED_URLS lists the URL names this module checks for every role (tests/test_security.py
makes sure every URL of the project is in some module's list)."""

import pytest
from django.urls import reverse

from accessibility.models import BarrierReport, BarrierStatus
from accounts.models import default_organisation

pytestmark = pytest.mark.django_db

COVERED_URLS = {
    "accessibility:statement",
    "accessibility:barrier_report",
    "accessibility:barrier_thanks",
    "accessibility:barrier_list",
    "accessibility:barrier_detail",
}

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]
STAFF_ONLY = {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": "ok", "admin": 403}
EVERYONE = dict.fromkeys(ROLES, "ok")


@pytest.mark.parametrize(
    "name,method,expected",
    [
        ("statement", "get", EVERYONE),
        ("form", "get", EVERYONE),
        ("submit", "post", EVERYONE),
        ("thanks", "get", EVERYONE),
        ("list", "get", STAFF_ONLY),
        ("detail", "get", STAFF_ONLY),
        ("close", "post", STAFF_ONLY),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_who_may(name, method, expected, role, client, cast):
    report = BarrierReport.objects.create(
        what_was_hard="Knappen manglar namn", client_key="k" * 64, organisation=default_organisation()
    )
    detail = reverse("accessibility:barrier_detail", args=[report.pk])
    urls = {
        "statement": reverse("accessibility:statement"),
        "form": reverse("accessibility:barrier_report"),
        "submit": reverse("accessibility:barrier_report"),
        "thanks": reverse("accessibility:barrier_thanks"),
        "list": reverse("accessibility:barrier_list"),
        "detail": detail,
        "close": detail,
    }
    if role != "anonymous":
        client.force_login(cast[role])
    if method == "post":
        data = (
            {"what_was_hard": "Vanskeleg", "page": "", "contact_email": ""} if name == "submit" else {"note": "Retta"}
        )
        response = client.post(urls[name], data)
    else:
        response = client.get(urls[name])
    outcome = expected[role]
    if outcome == "login":
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    elif outcome == "ok":
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == outcome
    report.refresh_from_db()
    assert (report.status == BarrierStatus.CLOSED) == (name == "close" and outcome == "ok")
    if name == "submit":
        assert BarrierReport.objects.count() == 2


@pytest.mark.parametrize("role", ["member", "adviser"])
def test_a_report_that_does_not_exist_is_404(role, client, cast):
    client.force_login(cast[role])
    response = client.get(reverse("accessibility:barrier_detail", args=[999999]))
    assert response.status_code == (404 if role == "adviser" else 403)
