"""Organisations in the administration: a super-administrator adds and changes them (and the
`organisation_add` command does the same), with the checks on host names and regions; an
organisation's own administrator keeps that organisation's units and people, and nothing of
another organisation's."""

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils.translation import gettext

from accounts import organisations
from accounts.models import Membership, Organisation, Unit, User
from core.models import AuditEntry

from .conftest import make_user

pytestmark = pytest.mark.django_db

INLINE = {
    "memberships-TOTAL_FORMS": "0",
    "memberships-INITIAL_FORMS": "0",
    "memberships-MIN_NUM_FORMS": "0",
    "memberships-MAX_NUM_FORMS": "1000",
}


def organisation_form(**changes) -> dict:
    data = {
        "name": "Helse Stavanger",
        "short_name": "Stavanger",
        "slug": "helse-stavanger",
        "register_id": "",
        "is_active": "on",
        "mailbox": "kommunikasjon@helse-stavanger.no",
        "sender": "some@helse-stavanger.no",
        "host_names": "some.helse-stavanger.no",
        "colour": "#00509e",
        "language": "nn",
        "region": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def region():
    return Organisation.objects.create(name="Helse Vest RHF", slug="helse-vest", is_region=True, mailbox="p@hv.no")


@pytest.fixture
def stavanger(region):
    """A second organisation with a unit, a leader and a member of its own."""
    organisation = Organisation.objects.create(
        name="Helse Stavanger", slug="helse-stavanger", region=region, mailbox="k@sus.no"
    )
    trust = Unit.objects.create(name="Helse Stavanger HF", kind=Unit.Kind.TRUST, organisation=organisation)
    unit = Unit.objects.create(name="Barneklinikken", kind=Unit.Kind.CLINIC, parent=trust)
    member = make_user("kari@sus.no", "Kari Stavik", organisation=organisation)
    Membership.objects.create(user=member, unit=unit)
    return {"organisation": organisation, "trust": trust, "unit": unit, "member": member}


def own_administrator(organisation, email="ola@example.no"):
    """An organisation's own administrator: staff, not a superuser, with the permissions a group
    would give them over people, units and memberships."""
    person = make_user(email, "Ola Admin", is_staff=True, organisation=organisation)
    person.user_permissions.set(
        Permission.objects.filter(content_type__app_label="accounts", codename__regex=r"_(unit|user|membership)$")
    )
    return User.objects.get(pk=person.pk)  # permissions read afresh


def test_a_super_administrator_adds_an_organisation(client, cast, region):
    client.force_login(cast["admin"])
    response = client.post(reverse("admin:accounts_organisation_add"), organisation_form(region=region.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    added = Organisation.objects.get(slug="helse-stavanger")
    assert (added.name, added.short_name, added.region, added.language) == (
        "Helse Stavanger",
        "Stavanger",
        region,
        "nn",
    )
    assert added.from_email == "SoMe-portalen – Helse Stavanger <some@helse-stavanger.no>"
    assert organisations.for_host("some.helse-stavanger.no:443") == added  # known at once in this process
    entry = AuditEntry.objects.get(action="organisation.created")
    assert entry.actor == cast["admin"] and entry.target_id == added.pk


def test_a_host_name_belongs_to_one_organisation(client, cast, region):
    Organisation.objects.filter(slug="helse-bergen").update(host_names="some.helse-bergen.no")
    client.force_login(cast["admin"])
    response = client.post(
        reverse("admin:accounts_organisation_add"), organisation_form(host_names="ny.sus.no\nSOME.helse-bergen.no")
    )
    assert response.status_code == 200
    taken = gettext("%(hosts)s already belongs to %(organisation)s.") % {
        "hosts": "some.helse-bergen.no",
        "organisation": "Helse Bergen",
    }
    assert taken in response.content.decode()
    assert not Organisation.objects.filter(slug="helse-stavanger").exists()


def test_names_and_address_names_are_unique(client, cast):
    client.force_login(cast["admin"])
    response = client.post(reverse("admin:accounts_organisation_add"), organisation_form(name="Helse Bergen"))
    assert response.status_code == 200 and Organisation.objects.filter(name="Helse Bergen").count() == 1
    response = client.post(reverse("admin:accounts_organisation_add"), organisation_form(slug="helse-bergen"))
    assert response.status_code == 200 and not Organisation.objects.filter(name="Helse Stavanger").exists()


def test_a_region_cannot_be_in_a_region(client, cast, region):
    client.force_login(cast["admin"])
    response = client.post(
        reverse("admin:accounts_organisation_add"),
        organisation_form(name="Nord", slug="nord", host_names="", is_region="on", region=region.pk),
    )
    assert response.status_code == 200
    assert gettext("A region cannot belong to another region.") in response.content.decode()
    assert not Organisation.objects.filter(slug="nord").exists()


def test_an_organisation_with_units_does_not_become_a_region(client, cast):
    bergen = Organisation.objects.get(slug="helse-bergen")
    client.force_login(cast["admin"])
    form = organisation_form(
        name=bergen.name, slug=bergen.slug, mailbox=bergen.mailbox, host_names="", is_region="on", sender=""
    )
    response = client.post(reverse("admin:accounts_organisation_change", args=[bergen.pk]), form)
    assert response.status_code == 200
    bergen.refresh_from_db()
    assert not bergen.is_region


def test_only_super_administrators_keep_organisations(client, cast):
    bergen = Organisation.objects.get(slug="helse-bergen")
    client.force_login(own_administrator(bergen))
    assert client.get(reverse("admin:accounts_organisation_changelist")).status_code == 403
    assert client.post(reverse("admin:accounts_organisation_add"), organisation_form()).status_code == 403
    assert client.get(reverse("admin:accounts_organisation_change", args=[bergen.pk])).status_code == 403
    assert not Organisation.objects.filter(slug="helse-stavanger").exists()
    client.force_login(cast["admin"])
    assert client.get(reverse("admin:accounts_organisation_delete", args=[bergen.pk])).status_code == 403


def test_an_organisations_administrator_sees_only_its_units_and_people(client, cast, stavanger):
    client.force_login(own_administrator(stavanger["organisation"]))
    units = client.get(reverse("admin:accounts_unit_changelist")).content.decode()
    assert "Barneklinikken" in units and "Blodbanken i Bergen" not in units
    people = client.get(reverse("admin:accounts_user_changelist")).content.decode()
    assert "Kari Stavik" in people and "Silje Dale" not in people
    search = client.get(
        reverse("admin:autocomplete"),
        {"term": "Blod", "app_label": "accounts", "model_name": "unit", "field_name": "parent"},
    )
    assert search.status_code == 200 and "Blodbanken" not in search.content.decode()
    # Another organisation's unit or person: as if not there.
    for page in [
        reverse("admin:accounts_unit_change", args=[cast["unit"].pk]),
        reverse("admin:accounts_user_change", args=[cast["member"].pk]),
    ]:
        response = client.get(page)
        assert response.status_code == 302 and response["Location"] == reverse("admin:index"), page
    # A super-administrator sees both.
    client.force_login(cast["admin"])
    units = client.get(reverse("admin:accounts_unit_changelist")).content.decode()
    assert "Barneklinikken" in units and "Blodbanken i Bergen" in units


def test_an_organisations_administrator_cannot_change_another_organisations_unit(client, cast, stavanger):
    client.force_login(own_administrator(stavanger["organisation"]))
    unit = cast["unit"]
    form = {"name": "Overteke", "kind": "section", "parent": unit.parent_id, "is_active": "on", **INLINE}
    client.post(reverse("admin:accounts_unit_change", args=[unit.pk]), form)
    client.post(reverse("admin:accounts_unit_delete", args=[unit.pk]), {"post": "yes"})
    unit.refresh_from_db()
    assert unit.name == "Blodbanken i Bergen"
    # Nor put their own unit under it, nor make another organisation's person its leader.
    own = stavanger["unit"]
    form = {"name": own.name, "kind": "clinic", "parent": unit.pk, "is_active": "on", **INLINE}
    response = client.post(reverse("admin:accounts_unit_change", args=[own.pk]), form)
    assert response.status_code == 200
    form = {"name": own.name, "kind": "clinic", "parent": stavanger["trust"].pk, "leader": cast["leader"].pk}
    response = client.post(reverse("admin:accounts_unit_change", args=[own.pk]), {**form, **INLINE, "is_active": "on"})
    assert response.status_code == 200
    own.refresh_from_db()
    assert own.parent == stavanger["trust"] and own.leader is None


def test_what_an_organisations_administrator_adds_is_their_organisations(client, cast, stavanger):
    admin = own_administrator(stavanger["organisation"])
    client.force_login(admin)
    form = {"name": "Seksjon for barnekirurgi", "kind": "section", "parent": stavanger["unit"].pk, "is_active": "on"}
    response = client.post(reverse("admin:accounts_unit_add"), {**form, **INLINE})
    assert response.status_code == 302
    assert Unit.objects.get(name="Seksjon for barnekirurgi").organisation == stavanger["organisation"]
    # Their own people: they may change them, but make nobody a super-administrator.
    kari = stavanger["member"]
    response = client.post(
        reverse("admin:accounts_user_change", args=[kari.pk]),
        {
            "email": kari.email,
            "full_name": "Kari Stavik Lea",
            "language": "nb",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "organisation": cast["unit"].organisation_id,
            "date_joined_0": "2026-01-05",
            "date_joined_1": "08:00:00",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    kari.refresh_from_db()
    assert kari.full_name == "Kari Stavik Lea"
    assert not kari.is_superuser and not kari.is_staff and kari.organisation == stavanger["organisation"]


def test_the_command_adds_an_organisation(cast, region, capsys):
    call_command(
        "organisation_add",
        "Helse Fonna",
        "--mailbox",
        "kommunikasjon@helse-fonna.no",
        "--sender",
        "some@helse-fonna.no",
        "--host",
        "some.helse-fonna.no",
        "--region",
        "helse-vest",
        "--colour",
        "#006a4e",
        "--short-name",
        "Fonna",
    )
    fonna = Organisation.objects.get(slug="helse-fonna")
    assert (fonna.name, fonna.region, fonna.hosts(), fonna.colour) == (
        "Helse Fonna",
        region,
        ["some.helse-fonna.no"],
        "#006a4e",
    )
    assert "Added Helse Fonna (helse-fonna)" in capsys.readouterr().out
    assert AuditEntry.objects.filter(action="organisation.created", target_id=fonna.pk).exists()
    # Run again, it changes the same organisation.
    call_command("organisation_add", "Helse Fonna HF", "--slug", "helse-fonna", "--language", "nn")
    fonna.refresh_from_db()
    assert (fonna.name, fonna.language, fonna.mailbox) == ("Helse Fonna HF", "nn", "kommunikasjon@helse-fonna.no")


def test_the_command_checks_as_the_administration_does(cast, region):
    call_command("organisation_add", "Helse Fonna", "--mailbox", "k@fonna.no", "--host", "some.fonna.no")
    with pytest.raises(CommandError, match="some.fonna.no"):
        call_command("organisation_add", "Helse Førde", "--mailbox", "k@forde.no", "--host", "some.fonna.no")
    with pytest.raises(CommandError, match=gettext("A region cannot belong to another region.")):
        call_command("organisation_add", "Nord", "--mailbox", "k@n.no", "--is-region", "--region", "helse-vest")
    with pytest.raises(CommandError, match="needs --mailbox"):
        call_command("organisation_add", "Helse Førde")
    with pytest.raises(CommandError, match="colour: "):
        call_command("organisation_add", "Helse Førde", "--mailbox", "k@forde.no", "--colour", "blå")
    assert set(Organisation.objects.values_list("slug", flat=True)) == {"helse-bergen", "helse-vest", "helse-fonna"}
