"""Who may read the demo's caught e-mail: everyone, in demo mode only (the page, a
message and its attachment); outside demo mode the pages do not exist.

COVERED_URLS lists the URL names this module checks for every role (the standing check
in tests/test_security.py makes sure every URL of the project is in some module's list).
"""

from email.message import EmailMessage

import pytest
from django.urls import reverse

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]
PAGES = [("demo:mail_list", False), ("demo:mail_detail", True), ("demo:mail_attachment", True)]
COVERED_URLS = {name for name, _needs_mail in PAGES}


@pytest.fixture
def caught(settings, tmp_path):
    settings.MAIL_CATCHER_DIR = tmp_path
    message = EmailMessage()
    message["Subject"] = "Kvittering"
    message["From"] = "some@example.no"
    message["To"] = "silje@example.no"
    message.set_content("Planen er motteken.")
    message.add_attachment(b"%PDF-1.7 demo", maintype="application", subtype="pdf", filename="plan.pdf")
    (tmp_path / "20261126-100000-000000-abcdef12.eml").write_bytes(message.as_bytes())
    return "20261126-100000-000000-abcdef12.eml"


def _url(name, needs_mail, caught):
    if not needs_mail:
        return reverse(name)
    args = [caught, 0] if name == "demo:mail_attachment" else [caught]
    return reverse(name, args=args)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name,needs_mail", PAGES, ids=[p[0] for p in PAGES])
def test_everyone_reads_the_demo_mail_in_demo_mode(name, needs_mail, role, client, cast, caught, settings):
    if role != "anonymous":
        client.force_login(cast[role])
    assert client.get(_url(name, needs_mail, caught)).status_code == 200
    settings.DEMO = False
    assert client.get(_url(name, needs_mail, caught)).status_code == 404
