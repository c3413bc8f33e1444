"""What only an organisation knows, per organisation: each one's placeholders (its own value wins
on its pages, else the region's shared value), kept by its own advisers; the portal's facts that
belong to an organisation (its mailbox) read the page's organisation; the platform terms stay
shared by every organisation and are kept by those who keep the shared text."""

import pytest
from django.apps import apps
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts import organisations
from accounts.models import Organisation
from core.models import AuditEntry
from facts import services, shipped
from facts.models import Placeholder, PlatformTerms
from handbook import services as handbook_services
from handbook.models import Document, DocumentVersion

from .conftest import make_user

BODY = "Ring {{sentralbord}}, eller skriv til {{portal:postkasse}}.\n\n{{plattformliste}}"


@pytest.fixture
def world(cast, catalogue):
    shipped.load(PlatformTerms, Placeholder, apps.get_model("platforms", "Platform"))
    Document.objects.all().delete()
    document = Document.objects.create(
        kind="chapter", slug="plattformar", position=10, draft_title="Plattformane våre", draft_body=BODY
    )
    handbook_services._new_version(document, title="Plattformane våre", body=BODY, actor=None)
    region = Organisation.objects.create(
        name="Helse Vest RHF", slug="helse-vest", is_region=True, mailbox="post@helse-vest.no"
    )
    bergen = Organisation.objects.get(pk=cast["unit"].organisation_id)
    bergen.region = region
    bergen.save()
    stavanger = Organisation.objects.create(
        name="Helse Stavanger", slug="helse-stavanger", region=region, mailbox="kommunikasjon@helse-stavanger.no"
    )
    organisations.forget()
    yield {
        "bergen": bergen,
        "stavanger": stavanger,
        "bergen_adviser": cast["adviser"],
        "stavanger_adviser": make_user("per@stavanger.example.no", "Per Sand", organisation=stavanger, is_adviser=True),
        "regional": make_user("rita@helse-vest.example.no", "Rita Vest", organisation=region, is_adviser=True),
    }
    organisations.forget()  # rolled back at the end of the test: read them again


def chapter(organisation_slug) -> str:
    response = Client().get(reverse("handbook:org_chapter", args=[organisation_slug, "plattformar"]))
    assert response.status_code == 200
    return response.content.decode()


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def test_an_organisations_own_value_wins_on_its_pages_and_the_shared_value_elsewhere(world):
    services.placeholder_update(key="sentralbord", actor=world["regional"], value="55 00 00 00")
    assert "Ring 55 00 00 00" in chapter("helse-bergen") and "Ring 55 00 00 00" in chapter("helse-stavanger")
    services.placeholder_update(key="sentralbord", actor=world["stavanger_adviser"], value="51 51 00 00")
    assert "Ring 51 51 00 00" in chapter("helse-stavanger")
    assert "Ring 55 00 00 00" in chapter("helse-bergen")
    own = Placeholder.objects.get(key="sentralbord", organisation=world["stavanger"])
    shared = Placeholder.objects.base().get(key="sentralbord")
    assert (own.value, shared.value) == ("51 51 00 00", "55 00 00 00")
    assert own.label == shared.label and own.kind == shared.kind  # it starts from the shared one's
    entry = AuditEntry.objects.filter(action="facts.placeholder_updated").last()
    assert entry.data["organisation"] == world["stavanger"].pk
    # Emptied, the organisation's pages show the shared value again.
    services.placeholder_update(key="sentralbord", actor=world["stavanger_adviser"], value="")
    assert "Ring 55 00 00 00" in chapter("helse-stavanger")


def test_the_advisers_fill_in_their_own_organisations_values_through_the_pages(world):
    stavanger = as_user(world["stavanger_adviser"])
    response = stavanger.post(
        reverse("facts:placeholder_edit", args=["sentralbord"]),
        {"label": "telefonnummeret til sentralbordet", "kind": "text", "value": "51 51 00 00"},
    )
    assert response.status_code == 302
    assert Placeholder.objects.get(key="sentralbord", organisation=world["stavanger"]).value == "51 51 00 00"
    assert Placeholder.objects.base().get(key="sentralbord").value == ""
    listing = stavanger.get(reverse("facts:placeholders")).content.decode()
    assert "51 51 00 00" in listing and "Helse Stavanger" in listing
    # The other organisation's adviser sees and changes only their own.
    bergen = as_user(world["bergen_adviser"])
    assert "51 51 00 00" not in bergen.get(reverse("facts:placeholders")).content.decode()
    assert "51 51 00 00" not in bergen.get(reverse("facts:placeholder_edit", args=["sentralbord"])).content.decode()
    bergen.post(
        reverse("facts:placeholder_edit", args=["sentralbord"]),
        {"label": "telefonnummeret til sentralbordet", "kind": "text", "value": "55 55 55 55"},
    )
    assert Placeholder.objects.get(key="sentralbord", organisation=world["stavanger"]).value == "51 51 00 00"
    assert Placeholder.objects.get(key="sentralbord", organisation=world["bergen"]).value == "55 55 55 55"
    assert not Placeholder.objects.editable_by(world["bergen_adviser"]).filter(organisation=world["stavanger"])
    # A member keeps no values.
    member = make_user("ola@stavanger.example.no", "Ola Tau", organisation=world["stavanger"])
    assert as_user(member).get(reverse("facts:placeholders")).status_code == 403


def test_the_region_keeps_the_shared_values(world):
    regional = as_user(world["regional"])
    response = regional.post(
        reverse("facts:placeholder_edit", args=["sentralbord"]),
        {"label": "telefonnummeret til sentralbordet", "kind": "text", "value": "55 00 00 00"},
    )
    assert response.status_code == 302
    assert Placeholder.objects.base().get(key="sentralbord").value == "55 00 00 00"
    assert not Placeholder.objects.exclude(organisation=None).exists()


def test_the_mailbox_in_the_text_is_the_pages_organisations(world):
    assert 'href="mailto:kommunikasjon@helse-stavanger.no"' in chapter("helse-stavanger")
    bergen = chapter("helse-bergen")
    assert f'href="mailto:{world["bergen"].mailbox}"' in bergen and "helse-stavanger.no" not in bergen


def test_the_platform_terms_are_shared_and_kept_by_those_who_keep_the_shared_text(world, catalogue):
    tiktok = catalogue["tiktok"]
    with pytest.raises(services.FactsError):
        services.platform_terms_update(
            platform=tiktok, actor=world["stavanger_adviser"], policy="approved", reason="Stavanger vil."
        )
    assert as_user(world["stavanger_adviser"]).get(reverse("facts:platforms")).status_code == 403
    services.platform_terms_update(platform=tiktok, actor=world["regional"], policy="approved", reason="Felles.")
    assert "Felles." in chapter("helse-stavanger") and "Felles." in chapter("helse-bergen")


def test_the_plan_forms_link_to_the_platform_chapter_takes_the_chapters_title(world):
    template = Template("{% load facts %}{% channel_terms as terms %}{{ terms.chapter.0 }}|{{ terms.chapter.1 }}")
    request = RequestFactory().get("/")
    request.organisation = world["stavanger"]
    assert template.render(Context({"request": request})) == "/handbok/plattformar/|Plattformane våre"
    # The organisation's own version of the chapter, with its own title, is the one named.
    adviser = world["stavanger_adviser"]
    own = handbook_services.document_make_own(document=Document.objects.base().get(slug="plattformar"), actor=adviser)
    handbook_services.document_save_draft(
        document=own, actor=adviser, revision=own.draft_revision, title="Plattformane i Stavanger", body=BODY
    )
    handbook_services.document_publish(document=Document.objects.get(pk=own.pk), actor=adviser)
    assert template.render(Context({"request": request})).endswith("|Plattformane i Stavanger")
    request.organisation = world["bergen"]
    assert template.render(Context({"request": request})).endswith("|Plattformane våre")
    # A handbook without the platform list has no link, rather than a dead one.
    DocumentVersion.objects.all().delete()
    assert template.render(Context({"request": request})) == "|"
