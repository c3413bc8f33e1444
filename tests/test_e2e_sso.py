"""End to end in headless Chromium through the real OpenID Connect provider
(node-oidc-provider): a first login creates the person, a role given in the provider shows
at the next login and goes when it is taken away, and logging out ends both sessions."""

import pytest
from django.utils.csp import CSP

from accounts.models import User
from demo import sso

from .browser import assert_accessible
from .oidc_provider import RealProvider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NORA = {"sub": "entra-oid-nora", "email": "nora.nyberg@example.no", "name": "Nora Nyberg", "locale": "nn"}


@pytest.fixture
def real_provider(tmp_path, live_server, settings):
    provider = RealProvider(tmp_path / "oidc", live_server.url, [{**NORA, "roles": []}]).start()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = sso.CLIENT_ID
    settings.OIDC_CLIENT_SECRET = sso.CLIENT_SECRET
    settings.OIDC_TENANT_ID = ""
    # As config/settings.py does when OIDC_ISSUER is set: logging out redirects to the provider.
    settings.SECURE_CSP = {**settings.SECURE_CSP, "form-action": [CSP.SELF, provider.issuer]}
    yield provider
    provider.stop()


def sso_login(page, base, provider, email, password=sso.PASSWORD):
    page.goto(f"{base}/logg-inn/")
    assert_accessible(page)
    page.click("#sso-login")
    page.wait_for_url(f"{provider.issuer}/interaction/**")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/**")
    page.wait_for_load_state()


def log_out(page, base, provider):
    page.click("header form[action$='/logg-ut/'] button[type=submit]")
    page.wait_for_url(f"{provider.issuer}/session/end**")
    page.click("button[name=logout]")
    page.wait_for_url(f"{base}/?**")
    page.wait_for_load_state()


def test_login_roles_and_logout_through_the_real_provider(browser, live_server, real_provider):
    base = live_server.url
    page = browser.new_context().new_page()

    # A wrong password at the provider: still there, nothing in the portal.
    page.goto(f"{base}/logg-inn/")
    page.click("#sso-login")
    page.fill("#email", NORA["email"])
    page.fill("#password", "wrong")
    page.click("button[type=submit]")
    assert page.url.startswith(real_provider.issuer)
    assert not User.objects.exists()

    # The first login creates her, in her language, with no role.
    page.fill("#password", sso.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/**")
    nora = User.objects.get(sso_subject=NORA["sub"])
    assert (nora.email, nora.full_name, nora.language, nora.is_adviser) == (
        NORA["email"],
        "Nora Nyberg",
        "nn",
        False,
    )
    assert page.locator(".portal-user").inner_text() == "Nora Nyberg"
    assert page.locator("a[href='/behandling/']").count() == 0
    assert_accessible(page)

    # Logging out ends the provider's session as well: the next login asks for the password.
    log_out(page, base, real_provider)
    assert page.locator("header a[href='/logg-inn/']").count() == 1

    # The hospital's IT gives her the adviser role: it comes with the next login.
    real_provider.set_people([{**NORA, "roles": [sso.ADVISER_ROLE]}])
    sso_login(page, base, real_provider, NORA["email"])
    nora.refresh_from_db()
    assert nora.is_adviser
    page.goto(f"{base}/behandling/")
    assert page.locator("h1").count() == 1 and "403" not in page.title()
    assert_accessible(page)

    # ... and goes with the next login after it is taken away.
    log_out(page, base, real_provider)
    real_provider.set_people([{**NORA, "roles": []}])
    sso_login(page, base, real_provider, NORA["email"])
    nora.refresh_from_db()
    assert not nora.is_adviser
    assert User.objects.count() == 1
    response = page.goto(f"{base}/behandling/")
    assert response.status == 403


def test_a_failed_login_shows_a_clear_page_with_a_way_back(browser, live_server, real_provider):
    base = live_server.url
    page = browser.new_context().new_page()
    page.goto(f"{base}/logg-inn/sso/svar/?code=forged&state=forged")
    assert page.locator("#sso-error").is_visible()
    assert_accessible(page)
    page.click("main a[href='/logg-inn/sso/']")  # "Prøv igjen"
    page.wait_for_url(f"{real_provider.issuer}/interaction/**")


def test_the_provider_refuses_a_login_without_pkce(real_provider, live_server):
    """The demo and test provider insists on PKCE, so the portal's use of it is really checked."""
    import requests

    response = requests.get(
        f"{real_provider.issuer}/auth",
        params={
            "client_id": sso.CLIENT_ID,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": f"{live_server.url}/logg-inn/sso/svar/",
            "state": "s",
            "nonce": "n",
        },
        allow_redirects=False,
    )
    assert response.status_code in (302, 303)
    assert "error=invalid_request" in response.headers["Location"]
    assert "requires+PKCE" in response.headers["Location"]
