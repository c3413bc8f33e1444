"""The demo's single sign-on as `make run` sets it up: run_portal's provider part knows the demo
people, the demo data carries the provider's subjects, and the demo adviser logs in with the
button and arrives as an adviser (the role from the token's `roles` claim); Helse Stavanger's
adviser arrives in Helse Stavanger (the token's `organisation` claim) and sees its queue only."""

import re
import subprocess
import time
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.core.management import call_command

from accounts.models import User
from demo import sso
from demo.management.commands.run_portal import Command

from .mailserver import free_port

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_adviser_logs_in_with_the_button(live_server, settings, tmp_path, monkeypatch, catalogue):
    call_command("demo_load", verbosity=0)
    marte = User.objects.get(email="radgivar@eksempel.no")
    assert marte.sso_subject == sso.subject_for(marte.email)

    settings.VAR_DIR = tmp_path
    monkeypatch.setenv("OIDC_DEMO_PORT", str(free_port()))
    host, port = urlsplit(live_server.url).hostname, urlsplit(live_server.url).port
    command = Command()
    command.env = {}
    [part] = command._demo_provider(host, port)
    env = command.env
    assert "single sign-on" in command.sso_note.lower()
    process = subprocess.Popen(part.command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(env["OIDC_ISSUER"] + "/.well-known/openid-configuration", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        settings.OIDC_ISSUER = env["OIDC_ISSUER"]
        settings.OIDC_CLIENT_ID = env["OIDC_CLIENT_ID"]
        settings.OIDC_CLIENT_SECRET = env["OIDC_CLIENT_SECRET"]
        settings.SSO_ORGANISATION_CLAIM = env["SSO_ORGANISATION_CLAIM"]

        def log_in(email):
            browser = requests.Session()
            page = browser.get(f"{live_server.url}/logg-inn/sso/")
            assert page.url.startswith(env["OIDC_ISSUER"])
            action = re.search(r'action="([^"]+)"', page.text).group(1)
            page = browser.post(urljoin(page.url, action), data={"email": email, "password": sso.PASSWORD})
            assert page.url == f"{live_server.url}/"
            return browser

        queue = log_in(marte.email).get(f"{live_server.url}/behandling/")
        assert queue.status_code == 200  # the adviser's queue
        assert User.objects.filter(email=marte.email).count() == 1
        assert "nyfødtintensiv" not in queue.text

        queue = log_in("radgivar.stavanger@eksempel.no").get(f"{live_server.url}/behandling/")
        siv = User.objects.get(email="radgivar.stavanger@eksempel.no")
        assert siv.is_adviser and siv.organisation.slug == "helse-stavanger"
        assert "Instagram for foreldre på nyfødtintensiv" in queue.text
        assert "Facebook for gravide og partnarar" not in queue.text
    finally:
        process.terminate()
        process.wait(timeout=10)
