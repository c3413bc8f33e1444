"""Each organisation's strategy and handbook: the region ships one shared text; an organisation
uses it as it is, or publishes its own version of a chapter (with that chapter's own history),
which wins on its pages and in its PDF. Changing the shared text reaches every organisation
without its own version. Helse Bergen (the cast's organisation) and Helse Stavanger, in the
region Helse Vest, whose adviser keeps the shared text."""

import subprocess

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts import organisations
from accounts.models import Membership, Organisation, Unit
from core.models import AuditEntry
from handbook import services
from handbook.models import Document, DocumentVersion, HandbookPdf, chapter_links, chapter_points, shown_for
from handbook.pdf import handbook_pdf
from handbook.search import search

from .conftest import make_user

SHARED_3 = "Den felles teksten om kanalar."
OWN_3 = "Stavanger-teksten om kanalar."


def publish_shared(slug, kind, position, title, body):
    document = Document.objects.create(kind=kind, slug=slug, position=position, draft_title=title, draft_body=body)
    version = DocumentVersion.objects.create(
        document=document, number=1, title=title, body=body, body_html=f"<p>{body}</p>", search_text=body
    )
    document.published = version
    document.save()
    return document


@pytest.fixture
def world(cast):
    """A small shared text (the strategy and three chapters), two organisations in a region, and
    each one's adviser and member; the region's adviser keeps the shared text."""
    Document.objects.all().delete()
    cache.clear()
    publish_shared("strategi", "strategy", 0, "Strategi", "Den felles strategien.")
    publish_shared("innleiing", "chapter", 10, "Innleiing", "Den felles innleiinga.")
    publish_shared("evaluering", "chapter", 20, "Evaluering", "Den felles evalueringa.")
    publish_shared("kanalar", "chapter", 30, "Kanalar", SHARED_3)
    region = Organisation.objects.create(
        name="Helse Vest RHF", slug="helse-vest", is_region=True, mailbox="post@helse-vest.no"
    )
    bergen = Organisation.objects.get(pk=cast["unit"].organisation_id)
    bergen.region = region
    bergen.save()
    stavanger = Organisation.objects.create(
        name="Helse Stavanger", slug="helse-stavanger", region=region, mailbox="kommunikasjon@helse-stavanger.no"
    )
    trust = Unit.objects.create(name="Helse Stavanger HF", kind=Unit.Kind.TRUST, organisation=stavanger)
    member = make_user("kari@stavanger.example.no", "Kari Sola", organisation=stavanger)
    Membership.objects.create(user=member, unit=trust)
    organisations.forget()
    return {
        "bergen": bergen,
        "stavanger": stavanger,
        "region": region,
        "bergen_adviser": cast["adviser"],
        "bergen_member": cast["member"],
        "stavanger_adviser": make_user("per@stavanger.example.no", "Per Sand", organisation=stavanger, is_adviser=True),
        "stavanger_member": member,
        "regional": make_user("rita@helse-vest.example.no", "Rita Vest", organisation=region, is_adviser=True),
    }


@pytest.fixture(autouse=True)
def _english(client, settings):
    # The tests read the pages' own words in English.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield
    organisations.forget()  # the organisations changed here are rolled back: read them again


def own_chapter(world, who="stavanger", slug="kanalar", body=OWN_3):
    """The organisation's own version of a chapter, made and published through the services."""
    adviser = world[f"{who}_adviser"]
    own = services.document_make_own(document=Document.objects.base().get(slug=slug), actor=adviser)
    own = services.document_save_draft(
        document=own, actor=adviser, revision=own.draft_revision, title="Kanalar i Stavanger", body=body
    )
    services.document_publish(document=own, actor=adviser)
    own.refresh_from_db()
    return own


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def as_user(user):
    from django.conf import settings

    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(user)
    return client


def pdf_text(organisation) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=handbook_pdf(organisation), capture_output=True
    ).stdout.decode()


def test_an_organisations_own_chapter_wins_on_its_pages_and_the_other_reads_the_shared_text(world, client):
    own = own_chapter(world)
    assert (own.organisation_id, own.is_used, own.published.number) == (world["stavanger"].pk, True, 1)
    stavanger_page = page(client, reverse("handbook:org_chapter", args=["helse-stavanger", "kanalar"]))
    bergen_page = page(client, reverse("handbook:org_chapter", args=["helse-bergen", "kanalar"]))
    assert OWN_3 in stavanger_page and SHARED_3 not in stavanger_page
    assert "Helse Stavanger's own version" in stavanger_page
    assert SHARED_3 in bergen_page and OWN_3 not in bergen_page
    # The person's own organisation at the portal's own addresses.
    assert OWN_3 in page(as_user(world["stavanger_member"]), reverse("handbook:chapter", args=["kanalar"]))
    assert SHARED_3 in page(as_user(world["bergen_member"]), reverse("handbook:chapter", args=["kanalar"]))
    # The index marks the organisation's own chapters; the other's shows none.
    index = page(client, reverse("handbook:org_index", args=["helse-stavanger"]))
    assert "Kanalar i Stavanger" in index and "Our own version" in index
    assert "Our own version" not in page(client, reverse("handbook:org_index", args=["helse-bergen"]))
    # Each page's links stay on the organisation's own addresses, those in the text too.
    assert reverse("handbook:org_chapter", args=["helse-stavanger", "evaluering"]) in stavanger_page
    own_chapter(world, slug="innleiing", body="Les [om kanalar](kapittel:kanalar).")
    introduction = page(client, reverse("handbook:org_chapter", args=["helse-stavanger", "innleiing"]))
    assert f'href="{reverse("handbook:org_chapter", args=["helse-stavanger", "kanalar"])}"' in introduction
    # The strategy is still the shared one for both.
    assert "Den felles strategien." in page(client, reverse("handbook:org_strategy", args=["helse-stavanger"]))


def test_the_shared_text_and_the_own_version_are_marked_on_the_chapter(world, client):
    own_chapter(world)
    own = page(client, reverse("handbook:org_chapter", args=["helse-stavanger", "kanalar"]))
    shared = page(client, reverse("handbook:org_chapter", args=["helse-stavanger", "evaluering"]))
    assert "own version" in own and "Shared text" not in own
    assert "Shared text" in shared


def test_the_pdf_is_each_organisations_own_and_names_it(world):
    own_chapter(world)
    stavanger, bergen = pdf_text(world["stavanger"]), pdf_text(world["bergen"])
    assert OWN_3 in stavanger and SHARED_3 not in stavanger and "Helse Stavanger" in stavanger
    assert SHARED_3 in bergen and OWN_3 not in bergen and "Helse Bergen" in bergen
    assert "Haukeland" not in stavanger + bergen
    # One kept PDF for each organisation.
    assert set(HandbookPdf.objects.values_list("organisation__slug", flat=True)) == {"helse-stavanger", "helse-bergen"}


def test_the_pdf_addresses_give_each_organisations_pdf(world, client):
    own_chapter(world)
    response = client.get(reverse("handbook:org_pdf", args=["helse-stavanger"]))
    assert response.status_code == 200
    text = subprocess.run(["pdftotext", "-", "-"], input=b"".join(response), capture_output=True).stdout.decode()
    assert OWN_3 in text
    assert client.get(reverse("handbook:org_pdf", args=["finst-ikkje"])).status_code == 404


def test_a_change_to_the_shared_text_reaches_those_without_their_own_version(world, client):
    own_chapter(world)
    shared = Document.objects.base().get(slug="kanalar")
    regional = world["regional"]
    services.document_save_draft(
        document=shared, actor=regional, revision=shared.draft_revision, title="Kanalar", body="Ny felles tekst."
    )
    services.document_publish(document=shared, actor=regional)
    assert "Ny felles tekst." in page(client, reverse("handbook:org_chapter", args=["helse-bergen", "kanalar"]))
    stavanger = page(client, reverse("handbook:org_chapter", args=["helse-stavanger", "kanalar"]))
    assert OWN_3 in stavanger and "Ny felles tekst." not in stavanger
    assert "Ny felles tekst." in pdf_text(world["bergen"])
    assert "Ny felles tekst." not in pdf_text(world["stavanger"])


def test_going_back_to_the_shared_text_keeps_the_own_history(world, client):
    own = own_chapter(world)
    adviser_client = as_user(world["stavanger_adviser"])
    confirm = page(adviser_client, reverse("handbook:use_shared", args=["kanalar"]))
    assert "is not deleted" in confirm  # it says what happens before it is done
    assert Document.objects.get(pk=own.pk).is_used  # nothing done by looking
    response = adviser_client.post(reverse("handbook:use_shared", args=["kanalar"]))
    assert response.status_code == 302
    own.refresh_from_db()
    assert own.is_used is False and own.published.number == 1 and own.versions.count() == 1
    assert AuditEntry.objects.filter(action="handbook.shared_text_used").count() == 1
    stavanger = page(client, reverse("handbook:org_chapter", args=["helse-stavanger", "kanalar"]))
    assert SHARED_3 in stavanger and OWN_3 not in stavanger
    assert SHARED_3 in pdf_text(world["stavanger"])
    # The history is still there for the organisation's advisers, marked as not in use.
    versions = page(adviser_client, reverse("handbook:versions", args=["kanalar"]))
    assert "Not in use" in versions and "Version 1" in versions
    # Publishing it again makes it the organisation's text once more.
    services.document_publish(document=own, actor=world["stavanger_adviser"])
    assert OWN_3 in page(client, reverse("handbook:org_chapter", args=["helse-stavanger", "kanalar"]))


def test_making_the_own_version_again_starts_from_the_shared_text(world):
    own = own_chapter(world)
    services.document_use_shared(document=own, actor=world["stavanger_adviser"])
    again = services.document_make_own(
        document=Document.objects.base().get(slug="kanalar"), actor=world["stavanger_adviser"]
    )
    assert again.pk == own.pk and again.draft_body == SHARED_3 and not again.is_used
    assert again.versions.count() == 1  # the history is kept


def test_another_organisations_adviser_never_reaches_its_own_chapter(world):
    own_chapter(world)
    bergen = as_user(world["bergen_adviser"])
    for name in ("edit", "versions", "compare", "use_shared"):
        assert bergen.get(reverse(f"handbook:{name}", args=["kanalar"])).status_code == 404, name
    assert bergen.post(reverse("handbook:restore", args=["kanalar", 1])).status_code == 404
    assert bergen.post(reverse("handbook:use_shared", args=["kanalar"])).status_code == 404
    response = bergen.post(
        reverse("handbook:edit", args=["kanalar"]), {"revision": 1, "title": "Bergen", "body": "Bergen skreiv."}
    )
    assert response.status_code == 404
    assert "Bergen skreiv." not in Document.objects.get(organisation=world["stavanger"]).draft_body
    # And the services refuse the same, whatever calls them.
    own = Document.objects.get(organisation=world["stavanger"], slug="kanalar")
    with pytest.raises(services.HandbookError):
        services.document_save_draft(document=own, actor=world["bergen_adviser"], revision=1, title="x", body="x")
    with pytest.raises(services.HandbookError):
        services.document_use_shared(document=own, actor=world["bergen_adviser"])


def test_only_those_who_keep_the_shared_text_change_it(world):
    shared = Document.objects.base().get(slug="kanalar")
    stavanger = as_user(world["stavanger_adviser"])
    # An organisation's adviser edits no shared text: without an own version there is nothing to edit.
    assert stavanger.get(reverse("handbook:edit", args=["kanalar"])).status_code == 404
    assert stavanger.post(reverse("handbook:chapter_new"), {"title": "Nytt"}).status_code == 403
    assert stavanger.post(reverse("handbook:move", args=["kanalar"]), {"direction": "up"}).status_code == 403
    with pytest.raises(services.HandbookError):
        services.document_save_draft(document=shared, actor=world["stavanger_adviser"], revision=1, title="x", body="y")
    # The region's adviser does, and cannot make an organisation's own version.
    regional = as_user(world["regional"])
    assert regional.get(reverse("handbook:edit", args=["kanalar"])).status_code == 200
    with pytest.raises(services.HandbookError):
        services.document_make_own(document=shared, actor=world["regional"])
    # A member of an organisation keeps nothing.
    assert as_user(world["stavanger_member"]).get(reverse("handbook:edit", args=["kanalar"])).status_code == 403


def test_the_chapter_offers_the_advisers_their_own_version(world):
    stavanger = as_user(world["stavanger_adviser"])
    html = page(stavanger, reverse("handbook:chapter", args=["kanalar"]))
    assert "Make our own version" in html and reverse("handbook:edit", args=["kanalar"]) not in html
    response = stavanger.post(reverse("handbook:make_own", args=["kanalar"]))
    assert response.status_code == 302 and response["Location"] == reverse("handbook:edit", args=["kanalar"])
    own = Document.objects.get(organisation=world["stavanger"], slug="kanalar")
    assert own.published is None and own.draft_body == SHARED_3
    # A draft is not shown to anyone until it is published.
    assert SHARED_3 in page(Client(), reverse("handbook:org_chapter", args=["helse-stavanger", "kanalar"]))
    assert "Go on with your own version" in page(stavanger, reverse("handbook:chapter", args=["kanalar"]))
    # The edit page says which text it is, and publishing goes through the usual form.
    edit = page(stavanger, reverse("handbook:edit", args=["kanalar"]))
    assert "Helse Stavanger's own version" in edit
    stavanger.post(
        reverse("handbook:edit", args=["kanalar"]),
        {"revision": own.draft_revision, "title": "Kanalar", "body": OWN_3, "publish": "1"},
    )
    own.refresh_from_db()
    assert own.published.body == OWN_3 and own.is_used
    assert Document.objects.base().get(slug="kanalar").published.body == SHARED_3
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"handbook.own_version_started", "handbook.draft_saved", "handbook.published"} <= actions
    # Once it is its own, the chapter page links to its edit and versions, and to going back.
    html = page(stavanger, reverse("handbook:chapter", args=["kanalar"]))
    assert reverse("handbook:use_shared", args=["kanalar"]) in html and "Make our own version" not in html


def test_an_own_version_in_use_cannot_be_made_again(world):
    own_chapter(world)
    with pytest.raises(services.HandbookError):
        services.document_make_own(
            document=Document.objects.base().get(slug="kanalar"), actor=world["stavanger_adviser"]
        )


def test_the_kept_public_pages_follow_each_organisation(world, client, settings):
    settings.PUBLIC_PAGE_CACHE = True
    url = reverse("handbook:org_chapter", args=["helse-stavanger", "kanalar"])
    assert SHARED_3 in page(client, url)
    own = own_chapter(world)  # publishing renews the kept pages
    assert OWN_3 in page(client, url)
    services.document_use_shared(document=own, actor=world["stavanger_adviser"])
    assert SHARED_3 in page(client, url)
    assert SHARED_3 in page(client, reverse("handbook:org_chapter", args=["helse-bergen", "kanalar"]))


def test_the_host_name_chooses_the_organisations_text(world, settings):
    settings.ALLOWED_HOSTS = ["some.helse-stavanger.example", "testserver"]
    world["stavanger"].host_names = "some.helse-stavanger.example"
    world["stavanger"].save()
    own_chapter(world)
    html = page(Client(HTTP_HOST="some.helse-stavanger.example"), reverse("handbook:chapter", args=["kanalar"]))
    assert OWN_3 in html
    assert SHARED_3 in page(Client(), reverse("handbook:chapter", args=["kanalar"]))


def test_search_and_the_chapters_quoted_elsewhere_are_the_organisations(world):
    own_chapter(world, body="Stavanger-teksten om kanalar.\n\n## Plikter\n\n- Svare raskt")
    assert [hit.title for hit in search("Stavanger-teksten", world["stavanger"])[0]] == ["Kanalar i Stavanger"]
    assert search("Stavanger-teksten", world["bergen"])[0] == []
    assert chapter_links({"k": "kanalar"}, world["stavanger"])["k"][1] == "Kanalar i Stavanger"
    assert chapter_links({"k": "kanalar"}, world["bergen"])["k"][1] == "Kanalar"
    assert chapter_points("kanalar", "Plikter", world["stavanger"]) == ["Svare raskt"]
    assert chapter_points("kanalar", "Plikter", world["bergen"]) == []


def test_shown_for_costs_one_query_however_many_organisations_have_their_own(world, django_assert_num_queries):
    own_chapter(world)
    for n in range(3):
        other = Organisation.objects.create(name=f"Helse {n}", slug=f"helse-{n}", mailbox=f"k{n}@example.no")
        publish = Document.objects.create(
            kind="chapter", slug="kanalar", position=30, organisation=other, draft_title="x", draft_body="y"
        )
        DocumentVersion.objects.create(document=publish, number=1, title="x", body="y", body_html="y", search_text="y")
    stavanger = world["stavanger"]
    with django_assert_num_queries(1):
        documents = shown_for(stavanger)
    assert [d.slug for d in documents] == ["innleiing", "evaluering", "kanalar", "strategi"]
    assert [d.is_own for d in documents] == [False, False, True, False]


def test_a_one_organisation_portal_keeps_the_shared_text_as_before(cast):
    """No region: the default organisation's advisers keep the shared text, as the portal always did."""
    from handbook.models import edits_base

    assert not Organisation.objects.filter(is_region=True).exists()
    assert edits_base(cast["adviser"]) and not edits_base(cast["member"])
    chapter = Document.objects.base().published().chapters().first()
    client = as_user(cast["adviser"])
    assert client.get(reverse("handbook:edit", args=[chapter.slug])).status_code == 200
    html = page(client, reverse("handbook:chapter", args=[chapter.slug]))
    assert "Make our own version" not in html and reverse("handbook:edit", args=[chapter.slug]) in html
    with pytest.raises(services.HandbookError):
        services.document_make_own(document=chapter, actor=cast["adviser"])


def test_a_new_shipped_text_updates_the_shared_text_and_leaves_the_own_versions(world):
    from handbook.content import fingerprint, publish_shipped

    own = own_chapter(world, slug="innleiing", body="Stavanger si innleiing.")
    shared = Document.objects.base().get(slug="innleiing")
    previous = {"innleiing": fingerprint(shared.published.title, shared.published.body)}
    publish_shipped(Document, DocumentVersion, previous=previous)
    shared.refresh_from_db()
    own.refresh_from_db()
    assert shared.published.number == 2 and "Den felles innleiinga." not in shared.published.body
    assert own.published.body == "Stavanger si innleiing." and own.versions.count() == 1
