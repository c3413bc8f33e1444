"""Who may use the login pages: everyone; single sign-on only where it is set up."""

import pytest
from django.urls import reverse

COVERED_URLS = {"accounts:login", "accounts:logout", "accounts:sso_start", "accounts:sso_callback"}
ROLES = ["anonymous", "member", "adviser", "admin"]


def log_in(client, cast, role):
    if role != "anonymous":
        client.force_login(cast[role])


@pytest.mark.parametrize("role", ROLES)
def test_the_login_page(client, cast, role):
    log_in(client, cast, role)
    response = client.get(reverse("accounts:login"))
    # Someone logged in is sent on to the front page.
    assert response.status_code == (200 if role == "anonymous" else 302)


@pytest.mark.parametrize("role", ROLES)
def test_logging_out_is_post_only_and_open_to_all(client, cast, role):
    log_in(client, cast, role)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302


@pytest.mark.parametrize("name", ["accounts:sso_start", "accounts:sso_callback"])
@pytest.mark.parametrize("role", ROLES)
def test_single_sign_on_is_404_where_it_is_not_set_up(client, cast, settings, role, name):
    settings.OIDC_ISSUER = ""
    log_in(client, cast, role)
    assert client.get(reverse(name)).status_code == 404


@pytest.mark.parametrize("name", ["accounts:sso_start", "accounts:sso_callback"])
def test_single_sign_on_is_get_only(client, cast, settings, name):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"
    settings.OIDC_CLIENT_ID = "x"
    assert client.post(reverse(name)).status_code == 405
