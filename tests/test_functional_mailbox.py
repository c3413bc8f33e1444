"""An account's login e-mail is a functional mailbox: a name-shaped address on the organisation's
own domain is refused unless an adviser has checked it and marked it as one."""

import pytest
from django.urls import reverse

from accounts import organisations
from accounts.models import Organisation
from core.models import AuditEntry
from platforms.profiles import read_profile
from registry import services
from registry.forms import AccountForm
from registry.models import Account
from registry.services import personal_address

from .registry_helpers import details, make_account  # noqa: F401


@pytest.fixture(autouse=True)
def domains(settings, db):
    # The organisations' own domains are read with the organisations (accounts.organisations).
    settings.ORGANISATION_EMAIL_DOMAINS = ["helse-bergen.no"]
    organisations.forget()
    yield
    organisations.forget()


@pytest.mark.parametrize(
    "email",
    [
        "kari.nordmann@helse-bergen.no",
        "Kari.Nordmann@HELSE-BERGEN.NO",  # uppercase
        "kari-anne.nordmann@helse-bergen.no",
        "kari.nordmann+some@helse-bergen.no",  # plus-addressing
        "kari.nordmann@ihelse.helse-bergen.no",  # a subdomain
        "kari.nordmann@helse-bergen.no.",  # a trailing dot
        "k\u0430ri.nordmann@helse-bergen.no",  # a Cyrillic "а" in the name
        "kari.nordmann@h\u0435lse-bergen.no",  # a Cyrillic "е" in the domain
        "ｋａｒｉ.nordmann@helse-bergen.no",  # full-width letters
        "kåre.ås@helse-bergen.no",
        "kari.nordmann2@helse-bergen.no",
        "  kari.nordmann@helse-bergen.no ",
    ],
)
def test_a_name_shaped_address_on_the_organisations_domain_is_a_persons(email):
    assert personal_address(email)


@pytest.mark.parametrize(
    "email",
    [
        "postmottak@helse-bergen.no",  # one part: not a name
        "kari.nordmann@gmail.com",  # not the organisation's domain
        "kari.nordmann@nothelse-bergen.no",  # a different domain that only ends the same
        "kari.nordmann@helse-bergen.no.evil.example",
        "blodbank2026.ung7x@helse-bergen.no",  # digits inside a part
        "not an address",
    ],
)
def test_other_addresses_are_not_taken_for_a_persons(email):
    assert not personal_address(email)


def test_without_the_setting_each_organisations_mailbox_domain_is_its_own(settings):
    """Out of the box: the domain of every organisation's mailbox is that organisation's, so a
    name-shaped address there is refused before anyone configures a domain."""
    settings.ORGANISATION_EMAIL_DOMAINS = []
    Organisation.objects.create(name="Helse Stavanger", slug="helse-stavanger", mailbox="kommunikasjon@sus.example.no")
    organisations.forget()
    default_domain = organisations.default().mailbox.rpartition("@")[2]
    assert personal_address(f"kari.nordmann@{default_domain}")
    assert personal_address("kari.nordmann@sus.example.no")
    assert personal_address("kari.nordmann@psykiatri.sus.example.no")
    assert not personal_address("kari.nordmann@gmail.com")
    assert not personal_address("postmottak@sus.example.no")


def test_the_register_refuses_a_persons_address_nobody_has_marked(cast, catalogue):
    with pytest.raises(services.InvalidDetails) as refused:
        services.account_register(
            actor=cast["adviser"],
            profile=read_profile("https://www.instagram.com/blodbanken_bergen/"),
            details=details(cast, login_email="Kari.Nordmann@helse-bergen.no"),
        )
    assert "ser ut som adressen til en person" in str(refused.value.errors["login_email"])
    assert not Account.objects.exists()


def test_an_adviser_marks_a_functional_mailbox_and_the_mark_is_audited(cast, catalogue, make_account):  # noqa: F811
    account = make_account(login_email="blodbanken.some@helse-bergen.no", functional_mailbox=True)
    assert account.functional_mailbox and account.login_email == "blodbanken.some@helse-bergen.no"
    entry = AuditEntry.objects.get(action="account.registered")
    assert entry.data["functional_mailbox"] is True
    # Taking the mark away again refuses the address, and changes nothing.
    with pytest.raises(services.InvalidDetails):
        services.account_update(
            account=account,
            actor=cast["adviser"],
            profile=read_profile(account.url),
            details=details(cast, login_email="blodbanken.some@helse-bergen.no", functional_mailbox=False),
        )
    account.refresh_from_db()
    assert account.functional_mailbox
    services.account_update(
        account=account,
        actor=cast["adviser"],
        profile=read_profile(account.url),
        details=details(cast, login_email="blodbanken@helse-bergen.no"),
    )
    entry = AuditEntry.objects.filter(action="account.updated").latest("pk")
    assert entry.data["functional_mailbox"] == [True, False]
    assert entry.data["login_email"] == ["blodbanken.some@helse-bergen.no", "blodbanken@helse-bergen.no"]


def test_the_mark_does_not_open_the_address_of_someone_who_uses_the_portal(cast, catalogue, make_account):  # noqa: F811
    with pytest.raises(services.InvalidDetails):
        make_account(login_email=cast["member"].email, functional_mailbox=True)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("nb", "ser ut som adressen til en person"),
        ("nn", "ser ut som adressa til ein person"),
        ("en", "looks like a person"),
    ],
)
def test_the_message_is_in_the_users_language(cast, catalogue, language, words):
    from django.utils import translation

    with translation.override(language):
        errors = services.details_errors(details(cast, login_email="kari.nordmann@helse-bergen.no"))
        assert words in str(errors["login_email"])


def test_the_account_form_carries_the_mark(cast, catalogue):
    data = {
        "platform": "instagram",
        "address": "https://www.instagram.com/blodbanken_bergen/",
        "display_name": "Blodbanken i Bergen",
        "purpose": "Nye givarar.",
        "languages": ["nb"],
        "editor": str(cast["member"].pk),
        "deputies": [str(cast["deputy"].pk)],
        "login_email": "blodbanken.some@helse-bergen.no",
        "functional_mailbox": "on",
        "response_hours": "Kvardagar 08–15",
        "response_time": "Innan éin arbeidsdag",
    }
    form = AccountForm(data, unit=cast["unit"])
    assert form.is_valid(), form.errors
    assert form.details().functional_mailbox is True
    assert services.details_errors(form.details()) == {}
    del data["functional_mailbox"]
    form = AccountForm(data, unit=cast["unit"])
    assert form.is_valid() and "login_email" in services.details_errors(form.details())


def test_the_advisers_account_page_offers_the_mark(client, cast, make_account):  # noqa: F811
    client.force_login(cast["adviser"])
    page = client.get(reverse("registry:edit", args=[make_account().pk])).content.decode()
    assert 'name="functional_mailbox"' in page and 'type="checkbox"' in page
