"""The login page with and without single sign-on, the password switch (PASSWORD_LOGIN), the
settings that drive them, and people who are not seen at login for a long time."""

from datetime import timedelta

import pytest
from django.contrib.auth import SESSION_KEY
from django.utils import timezone

from accounts.models import User
from accounts.periodic import deactivate_people_not_seen
from core.models import OutboundEmail

from .conftest import PASSWORD
from .test_settings import run_manage


@pytest.fixture
def sso(settings):
    settings.OIDC_ISSUER = "https://login.example.com/tenant/v2.0"
    settings.OIDC_CLIENT_ID = "client"
    settings.SSO_BUTTON_LABEL = ""


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["some_language"] = "en"  # the messages below are checked in English


def test_without_an_issuer_there_is_no_button_and_password_login_is_as_before(client, cast, settings):
    settings.OIDC_ISSUER = ""
    page = client.get("/logg-inn/").content.decode()
    assert 'id="sso-login"' not in page and 'name="password"' in page
    client.post("/logg-inn/", {"username": cast["member"].email, "password": PASSWORD})
    assert int(client.session[SESSION_KEY]) == cast["member"].pk


def test_the_button_carries_the_label_and_where_to_go_next(client, db, sso, settings):
    page = client.get("/logg-inn/?next=/planer/").content.decode()
    assert 'id="sso-login"' in page and "Log in with the Helse Vest account" in page
    assert 'href="/logg-inn/sso/?next=/planer/"' in page
    settings.SSO_BUTTON_LABEL = "Logg inn med jobbkontoen"
    assert "Logg inn med jobbkontoen" in client.get("/logg-inn/").content.decode()


def test_password_login_for_administrators_only(client, cast, sso, settings):
    settings.PASSWORD_LOGIN = "admins"
    page = client.get("/logg-inn/").content.decode()
    assert "<details" in page and 'name="password"' in page
    response = client.post("/logg-inn/", {"username": cast["member"].email, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert "only administrators" in response.content.decode()
    # Neither through the administration's own login page.
    client.post("/admin/login/", {"username": cast["member"].email, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    client.post("/logg-inn/", {"username": cast["admin"].email, "password": PASSWORD})
    assert int(client.session[SESSION_KEY]) == cast["admin"].pk


def test_password_login_off(client, cast, sso, settings):
    settings.PASSWORD_LOGIN = "off"
    page = client.get("/logg-inn/").content.decode()
    assert 'name="password"' not in page and 'id="sso-login"' in page
    response = client.post("/logg-inn/", {"username": cast["admin"].email, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert "turned off" in response.content.decode()


def test_a_person_logged_in_with_the_hospital_account_stays_logged_in_when_passwords_are_off(
    client, cast, sso, settings
):
    settings.PASSWORD_LOGIN = "off"
    client.force_login(cast["member"], backend="accounts.backends.SSOBackend")
    assert client.get("/planer/").status_code == 200


def test_in_production_with_single_sign_on_only_administrators_use_passwords():
    secret = "a-long-random-production-secret-" + "k8s7d6f5g4h3j2k1l0" * 3
    code = "from django.conf import settings; print(settings.PASSWORD_LOGIN, settings.SECURE_CSP['form-action'])"
    base = {"DEMO": "0", "SECRET_KEY": secret, "ALLOWED_HOSTS": "x"}
    result = run_manage("shell", "-c", code, **base, OIDC_ISSUER="https://login.example.com/t/v2.0")
    last = result.stdout.strip().splitlines()[-1]
    assert last.startswith("admins") and "https://login.example.com" in last, result.stderr
    assert run_manage("shell", "-c", code, **base).stdout.strip().splitlines()[-1].startswith("all")
    assert run_manage("shell", "-c", code, **base, PASSWORD_LOGIN="sometimes").returncode != 0
    bad_map = run_manage("shell", "-c", code, **base, OIDC_ROLE_MAP="X=owner")
    assert bad_map.returncode != 0 and "OIDC_ROLE_MAP" in bad_map.stderr


def test_people_not_seen_for_long_are_deactivated_and_their_accounts_handed_over(cast, settings, make_account):
    settings.SSO_INACTIVE_DAYS = 90
    now = timezone.now()
    member = cast["member"]
    account = make_account()  # the member edits it
    User.objects.filter(pk=member.pk).update(sso_subject="s-1", last_login=now - timedelta(days=91))
    User.objects.filter(pk=cast["deputy"].pk).update(sso_subject="s-2", last_login=now - timedelta(days=89))
    User.objects.filter(pk=cast["leader"].pk).update(last_login=now - timedelta(days=400))  # a password user

    assert deactivate_people_not_seen(now) == "1 people not seen at login deactivated"
    assert deactivate_people_not_seen(now) == ""  # twice in a row: nothing more
    member.refresh_from_db()
    assert not member.is_active and member.inactive_reason == User.InactiveReason.NOT_SEEN
    assert User.objects.get(pk=cast["deputy"].pk).is_active and User.objects.get(pk=cast["leader"].pk).is_active
    account.refresh_from_db()
    assert account.needs_new_editor
    assert OutboundEmail.objects.filter(template="account_needs_editor").count() >= 1

    settings.SSO_INACTIVE_DAYS = 0
    User.objects.filter(pk=cast["deputy"].pk).update(last_login=now - timedelta(days=1000))
    assert deactivate_people_not_seen(now) == ""
