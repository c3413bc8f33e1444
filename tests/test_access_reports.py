"""Who may see and do what with the public's reports of fake accounts, for every role:
anyone may report; only the Communications Department reads and decides.

COVERED_URLS lists the URL names this module checks for every role (the standing check
in tests/test_security.py makes sure every URL of the project is in some module's list).
"""

import pytest
from django.urls import reverse

from registry.models import Report, ReportStatus

from .test_reports import FORM, QUEUE, THANKS, make_report, report_data

pytestmark = pytest.mark.django_db

COVERED_URLS = {"registry:report", "registry:report_thanks", "registry:reports", "registry:report_detail"}


ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]
STAFF_ONLY = {"anonymous": "login", "member": 403, "leader": 403, "other": 403, "adviser": "ok", "admin": 403}
EVERYONE = dict.fromkeys(ROLES, "ok")


@pytest.mark.parametrize(
    "name,method,expected",
    [
        ("form", "get", EVERYONE),
        ("submit", "post", EVERYONE),
        ("thanks", "get", EVERYONE),
        ("queue", "get", STAFF_ONLY),
        ("detail", "get", STAFF_ONLY),
        ("decide", "post", STAFF_ONLY),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_who_may(name, method, expected, role, client, cast):
    report = make_report()
    urls = {
        "form": FORM,
        "submit": FORM,
        "thanks": THANKS,
        "queue": QUEUE,
        "detail": reverse("registry:report_detail", args=[report.pk]),
        "decide": reverse("registry:report_detail", args=[report.pk]),
    }
    if role != "anonymous":
        client.force_login(cast[role])
    if method == "post":
        data = report_data() if name == "submit" else {"status": "fake", "note": "Sjekka"}
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
    assert (report.status == ReportStatus.FAKE) == (name == "decide" and outcome == "ok")
    if name == "submit":
        assert Report.objects.count() == 2
