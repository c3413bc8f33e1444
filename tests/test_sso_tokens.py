"""Logging in with the hospital account, against a provider of our own that signs whatever
the test asks for: the good login, and every way a token or an answer can be wrong. Each
wrong one is refused, creates nobody, logs nobody in and counts as a failed login."""

import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from joserfc.jwk import RSAKey

from accounts.models import LoginFailure, User
from core.models import AuditEntry

from .sso_helpers import CLIENT_ID, CLIENT_SECRET, TokenProvider, finish_login, s256, start_login


@pytest.fixture
def provider(settings, db):
    provider = TokenProvider().start()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_TENANT_ID = ""
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["some_language"] = "en"  # the messages below are checked in English


def refused(response, client, reason_text: str = ""):
    assert response.status_code in (400, 403), response.status_code
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(sso_subject="subject-1").exists()
    assert LoginFailure.objects.filter(email__startswith="sso:").exists()
    if reason_text:
        assert reason_text in response.content.decode()
    assert reverse("accounts:sso_start") in response.content.decode()  # a way to try again


def test_first_login_creates_the_person_with_pkce_and_the_verified_claims(client, provider):
    params = start_login(client, next_url="/planar/")
    assert params["_url"].startswith(f"{provider.issuer}/authorize?")
    assert params["code_challenge_method"] == "S256"
    assert params["client_id"] == CLIENT_ID and "openid" in params["scope"].split()

    response = finish_login(client, provider, params, roles=["SoMe.Adviser"])

    assert response.status_code == 302 and response["Location"] == "/planar/"
    # The code was exchanged with the verifier that matches the challenge, and the client's secret.
    exchange = provider.token_requests[-1]
    assert s256(exchange["code_verifier"]) == params["code_challenge"]
    assert exchange["authorization"].startswith("Basic ")
    person = User.objects.get(sso_subject="subject-1")
    assert (person.email, person.full_name, person.language) == ("nora.nyberg@example.no", "Nora Nyberg", "nn")
    assert person.is_adviser and not person.is_staff
    assert not person.has_usable_password()
    assert int(client.session[SESSION_KEY]) == person.pk
    assert AuditEntry.objects.filter(action="person.created_at_login", target_id=person.pk).exists()


def test_a_later_login_updates_name_email_and_takes_a_lost_role_away(client, provider):
    person = User.objects.create_user(
        "old@example.no", None, full_name="Old Name", sso_subject="subject-1", is_adviser=True, is_staff=True
    )
    person.is_superuser = True
    person.save()
    finish_login(client, provider, start_login(client), email="New@Example.no", name="New Name", roles=[])
    person.refresh_from_db()
    assert (person.email, person.full_name) == ("new@example.no", "New Name")
    assert not person.is_adviser and not person.is_staff and not person.is_superuser
    assert User.objects.count() == 1
    entry = AuditEntry.objects.get(action="person.updated_at_login")
    assert entry.data["is_adviser"] == {"from": True, "to": False}

    client.logout()
    finish_login(client, provider, start_login(client), roles=["SoMe.Administrator", "Unrelated.Role"])
    person.refresh_from_db()
    assert person.is_staff and person.is_superuser and not person.is_adviser


def test_entras_object_id_is_the_subject_when_present(client, provider):
    finish_login(client, provider, start_login(client), oid="object-id-7", sub="pairwise-sub")
    assert User.objects.get().sso_subject == "object-id-7"


def test_a_person_with_the_same_email_is_not_taken_over(client, provider):
    existing = User.objects.create_user("nora.nyberg@example.no", "password-1", full_name="Nora (local)")
    response = finish_login(client, provider, start_login(client))
    assert response.status_code == 400
    assert "administrator" in response.content.decode()
    existing.refresh_from_db()
    assert existing.sso_subject is None and SESSION_KEY not in client.session

    # Once an administrator allows it, the next login links the two.
    existing.sso_may_link = True
    existing.save()
    response = finish_login(client, provider, start_login(client))
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.sso_subject == "subject-1" and not existing.sso_may_link
    assert int(client.session[SESSION_KEY]) == existing.pk


def test_a_deactivated_person_is_refused_but_one_not_seen_for_long_comes_back(client, provider):
    person = User.objects.create_user("nora.nyberg@example.no", None, full_name="Nora", sso_subject="subject-1")
    person.is_active = False
    person.inactive_reason = User.InactiveReason.LEFT_REGISTER
    person.save()
    response = finish_login(client, provider, start_login(client))
    assert response.status_code == 403 and SESSION_KEY not in client.session

    person.inactive_reason = User.InactiveReason.NOT_SEEN
    person.save()
    assert finish_login(client, provider, start_login(client)).status_code == 302
    person.refresh_from_db()
    assert person.is_active and person.inactive_reason == ""


@pytest.mark.parametrize(
    "claims",
    [
        pytest.param({"aud": "another-application"}, id="wrong aud"),
        pytest.param({"aud": ["another-application", "third"]}, id="wrong aud list"),
        pytest.param({"iss": "https://login.example.com/other"}, id="wrong iss"),
        pytest.param({"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}, id="expired"),
        pytest.param({"nonce": "not-the-nonce-we-sent"}, id="wrong nonce"),
        pytest.param({"nonce": None}, id="no nonce"),
        pytest.param({"exp": None}, id="no exp"),
    ],
)
def test_a_token_with_wrong_claims_is_refused(client, provider, claims):
    params = start_login(client)
    refused(finish_login(client, provider, params, **claims), client, "could not be verified")


def test_a_token_signed_with_an_unknown_key_is_refused_after_fetching_the_keys_again(client, provider):
    params = start_login(client)
    stranger = RSAKey.generate_key(2048, parameters={"kid": "key-stranger"})
    before = provider.jwks_requests
    token = provider.sign(provider.claims(params["nonce"]), key=stranger)
    refused(finish_login(client, provider, params, token=token), client)
    assert provider.jwks_requests > before  # it asked the provider for its current keys


def test_a_rotated_key_is_fetched_and_accepted(client, provider):
    finish_login(client, provider, start_login(client))  # the keys are now cached
    client.logout()
    new_key = RSAKey.generate_key(2048, parameters={"kid": "key-2"})
    provider.published = [provider.key, new_key]
    params = start_login(client)
    requests_before = provider.jwks_requests
    response = finish_login(
        client, provider, params, token=provider.sign(provider.claims(params["nonce"]), key=new_key)
    )
    assert response.status_code == 302
    assert provider.jwks_requests == requests_before + 1


def test_alg_none_is_refused_although_the_provider_lists_it(client, provider):
    params = start_login(client)
    refused(finish_login(client, provider, params, token=provider.unsigned(provider.claims(params["nonce"]))), client)


def test_an_hmac_token_keyed_with_the_public_key_is_refused(client, provider):
    params = start_login(client)
    token = provider.hmac_with_public_key(provider.claims(params["nonce"]))
    refused(finish_login(client, provider, params, token=token), client)


def test_a_tampered_signature_or_payload_is_refused(client, provider):
    params = start_login(client)
    good = provider.sign(provider.claims(params["nonce"]))
    header, payload, signature = good.split(".")
    flipped = signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")
    refused(finish_login(client, provider, params, token=f"{header}.{payload}.{flipped}"), client)

    params = start_login(client)
    other = provider.sign(provider.claims(params["nonce"], roles=["SoMe.Administrator"]))
    _h, admin_payload, _s = other.split(".")
    real = provider.sign(provider.claims(params["nonce"]))
    h, _p, s = real.split(".")
    refused(finish_login(client, provider, params, token=f"{h}.{admin_payload}.{s}"), client)


@pytest.mark.parametrize("tid", ["another-tenant", None])
def test_a_token_from_another_tenant_is_refused(client, provider, settings, tid):
    settings.OIDC_TENANT_ID = "helse-vest-tenant"
    params = start_login(client)
    refused(finish_login(client, provider, params, tid=tid), client)
    params = start_login(client)
    assert finish_login(client, provider, params, tid="helse-vest-tenant").status_code == 302


def test_a_state_that_does_not_match_is_refused(client, provider):
    params = start_login(client)
    provider.id_token = provider.sign(provider.claims(params["nonce"]))
    response = client.get("/logg-inn/sso/svar/", {"code": "code-1", "state": "forged-state"})
    refused(response, client, "another window")
    assert provider.token_requests == []  # the code was never exchanged


def test_a_callback_without_a_started_login_is_refused(client, provider):
    refused(client.get("/logg-inn/sso/svar/", {"code": "code-1", "state": "x"}), client)


def test_an_expired_or_replayed_code_is_refused(client, provider):
    params = start_login(client)
    provider.token_error = "invalid_grant"
    refused(finish_login(client, provider, params), client, "reloaded")


def test_an_error_from_the_provider_is_refused_with_its_own_message(client, provider):
    params = start_login(client)
    response = client.get("/logg-inn/sso/svar/", {"error": "login_required", "state": params["state"]})
    refused(response, client, "did not let the login through")
    response = client.get("/logg-inn/sso/svar/", {"error": "access_denied", "state": start_login(client)["state"]})
    refused(response, client, "cancelled")


def test_the_same_answer_twice_is_refused_the_second_time(client, provider):
    params = start_login(client)
    assert finish_login(client, provider, params).status_code == 302
    client.logout()
    response = client.get("/logg-inn/sso/svar/", {"code": "code-1", "state": params["state"]})
    assert response.status_code == 400 and SESSION_KEY not in client.session


def test_a_provider_that_is_down_gives_a_clear_page(client, provider, settings):
    provider.stop()
    response = client.get("/logg-inn/sso/")
    assert response.status_code == 503
    assert "does not answer" in response.content.decode()
    provider.start()


def test_the_page_speaks_the_persons_language(client, provider):
    client.cookies["some_language"] = "nn"
    response = client.get("/logg-inn/sso/svar/", {"code": "c", "state": "x"})
    assert 'lang="nn"' in response.content.decode()
    assert "Innlogginga" in response.content.decode()


def test_failures_pass_the_login_throttle_shared_with_passwords(client, provider, settings):
    settings.LOGIN_FAILURE_LIMIT = 1  # one client address: ten failures
    for _ in range(10):
        client.get("/logg-inn/sso/svar/", {"code": "c", "state": "forged"})
    assert LoginFailure.objects.count() == 10
    response = client.get("/logg-inn/sso/")
    assert response.status_code == 429
    # A password login from the same address is held back too.
    User.objects.create_user("a@example.no", "pw-123456", full_name="A")
    response = client.post("/logg-inn/", {"username": "a@example.no", "password": "pw-123456"})
    assert response.status_code == 200 and SESSION_KEY not in client.session


def test_logout_ends_the_providers_session_too(client, provider):
    finish_login(client, provider, start_login(client))
    id_token = provider.id_token
    response = client.post("/logg-ut/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{provider.issuer}/logout?")
    assert f"id_token_hint={id_token}" in location
    assert "post_logout_redirect_uri=http%3A%2F%2Ftestserver%2F" in location
    assert SESSION_KEY not in client.session


def test_logout_stays_local_where_the_provider_offers_none(client, provider):
    provider.offer_end_session = False
    finish_login(client, provider, start_login(client))
    response = client.post("/logg-ut/")
    assert response.status_code == 302 and response["Location"] == "/"


def test_a_password_login_logs_out_locally(client, provider):
    User.objects.create_user("a@example.no", "pw-123456", full_name="A")
    client.post("/logg-inn/", {"username": "a@example.no", "password": "pw-123456"})
    assert client.post("/logg-ut/")["Location"] == "/"


def test_a_provider_that_goes_down_before_the_answer_gives_a_clear_page(client, provider):
    params = start_login(client)
    provider.stop()
    response = client.get("/logg-inn/sso/svar/", {"code": "code-1", "state": params["state"]})
    assert response.status_code == 503 and SESSION_KEY not in client.session
    assert "does not answer" in response.content.decode()
    assert LoginFailure.objects.filter(email="sso:provider_unavailable").exists()
    provider.start()


def test_a_first_login_speaks_the_tokens_language_and_a_later_one_the_persons_saved_one(client, provider):
    # The autouse fixture set this browser to English; the token says Nynorsk.
    response = finish_login(client, provider, start_login(client))
    assert response.cookies["some_language"].value == "nn"
    assert 'lang="nn"' in client.get("/").content.decode()

    # The person chose English since; a later login on another computer follows that choice.
    User.objects.filter(sso_subject="subject-1").update(language="en")
    client.logout()
    client.cookies["some_language"] = "nb"
    response = finish_login(client, provider, start_login(client))
    assert response.cookies["some_language"].value == "en"
