"""A person's organisation from the hospital account's token: the claim SSO_ORGANISATION_CLAIM
names it by its id in the organisation register or its address name. A first login puts the
person in it, a later one moves them when the token says so, and a token that names an
organisation the portal does not have logs nobody in."""

import pytest
from django.contrib.auth import SESSION_KEY

from accounts.models import Organisation, User
from core.models import AuditEntry

from .sso_helpers import CLIENT_ID, CLIENT_SECRET, TokenProvider, finish_login, start_login


@pytest.fixture
def provider(settings, db):
    provider = TokenProvider().start()
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_CLIENT_ID = CLIENT_ID
    settings.OIDC_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_TENANT_ID = ""
    settings.SSO_ORGANISATION_CLAIM = "organisation"
    yield provider
    provider.stop()


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["some_language"] = "en"


@pytest.fixture
def stavanger(db):
    region = Organisation.objects.create(name="Helse Vest RHF", slug="helse-vest", is_region=True, mailbox="p@hv.no")
    return Organisation.objects.create(
        name="Helse Stavanger", slug="helse-stavanger", register_id="983974678", region=region, mailbox="k@sus.no"
    )


def login(client, provider, **claims):
    return finish_login(client, provider, start_login(client), **claims)


def test_the_token_names_the_organisation_by_its_register_id(client, provider, stavanger):
    response = login(client, provider, organisation="983974678", roles=["SoMe.Adviser"])
    assert response.status_code == 302
    person = User.objects.get(sso_subject="subject-1")
    assert person.organisation == stavanger and person.is_adviser
    assert person.advised_organisation_ids() == {stavanger.pk}
    assert int(client.session[SESSION_KEY]) == person.pk


def test_or_by_its_address_name_and_a_later_login_moves_the_person(client, provider, stavanger):
    login(client, provider, organisation="helse-bergen")
    person = User.objects.get(sso_subject="subject-1")
    assert person.organisation.slug == "helse-bergen"
    client.logout()
    login(client, provider, organisation="Helse-Stavanger")
    person.refresh_from_db()
    assert person.organisation == stavanger
    entry = AuditEntry.objects.filter(action="person.updated_at_login", target_id=person.pk).latest("pk")
    assert entry.data["organisation_id"]["to"] == stavanger.pk


def test_a_regional_adviser_comes_from_the_token_too(client, provider, stavanger):
    login(client, provider, organisation="helse-vest", roles=["SoMe.Adviser"])
    person = User.objects.get(sso_subject="subject-1")
    assert person.is_regional_adviser and person.advised_organisation_ids() == set()
    assert person.read_organisation_ids() == {stavanger.pk}


def test_without_the_claim_the_person_keeps_the_organisation_they_have(client, provider, stavanger):
    person = User.objects.create_user(
        "nora.nyberg@example.no", None, full_name="Nora Nyberg", sso_subject="subject-1", organisation=stavanger
    )
    login(client, provider, organisation=None)  # the organisation file placed them; the token says nothing
    person.refresh_from_db()
    assert person.organisation == stavanger
    client.logout()
    User.objects.filter(pk=person.pk).delete()
    login(client, provider)  # nor does a first login without it: the portal's default
    assert User.objects.get(sso_subject="subject-1").organisation.slug == "helse-bergen"


def test_a_portal_that_reads_no_claim_ignores_it(client, provider, stavanger, settings):
    settings.SSO_ORGANISATION_CLAIM = ""
    login(client, provider, organisation="helse-stavanger")
    assert User.objects.get(sso_subject="subject-1").organisation.slug == "helse-bergen"


@pytest.mark.parametrize("value", ["helse-fonna", "123"])
def test_an_organisation_the_portal_does_not_have_logs_nobody_in(client, provider, stavanger, value):
    response = login(client, provider, organisation=value, roles=["SoMe.Adviser"])
    assert response.status_code == 403
    assert "names an organisation that does not use the portal" in response.content.decode()
    assert SESSION_KEY not in client.session
    assert not User.objects.filter(sso_subject="subject-1").exists()


def test_an_organisation_no_longer_active_logs_nobody_in(client, provider, stavanger):
    Organisation.objects.filter(pk=stavanger.pk).update(is_active=False)
    from accounts import organisations

    organisations.forget()
    response = login(client, provider, organisation="helse-stavanger")
    assert response.status_code == 403 and not User.objects.filter(sso_subject="subject-1").exists()
