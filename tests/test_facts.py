"""What only the hospital knows: its terms for each platform and the handbook's placeholders,
kept by advisers, filled into the handbook when it is shown, and shown in the plan form."""

import datetime
import subprocess

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from facts import services, shipped
from facts.models import Placeholder, PlatformTerms
from handbook.content import fingerprint, publish_shipped, shipped_documents
from handbook.models import Document, DocumentVersion
from handbook.rendering import render_markdown

from .test_handbook import shipped as shipped_handbook  # noqa: F401

PLATFORMS_CHAPTER = "korleis-brukar-haukeland-universitetssjukehus-sosiale-media"


@pytest.fixture
def facts(catalogue):
    """The shipped terms and placeholders, as the migration loads them."""
    shipped.load(PlatformTerms, Placeholder, apps.get_model("platforms", "Platform"))


def chapter_page(client, slug):
    return client.get(reverse("handbook:chapter", args=[slug])).content.decode()


def test_a_placeholder_that_is_not_filled_in_is_marked_for_advisers_and_no_number_is_made_up(
    client,
    cast,
    facts,
    shipped_handbook,  # noqa: F811
):
    client.force_login(cast["adviser"])
    page = chapter_page(client, "dette-gjer-vi-ikkje-i-sosiale-media")
    assert "[Manglar: telefonnummeret til sentralbordet]" in page
    assert f'<a href="{reverse("facts:placeholder_edit", args=["sentralbord"])}">fyll inn</a>' in page
    assert "{{" not in page and "#felt-" not in page


def test_the_public_reads_a_missing_placeholder_as_words_without_a_word_about_it(client, cast, facts, shipped_handbook):  # noqa: F811
    page = chapter_page(client, "dette-gjer-vi-ikkje-i-sosiale-media")
    assert "Ring gjerne sentralbordet på telefonnummeret til sentralbordet, eller" in page
    assert "[Manglar" not in page and "portal-missing" not in page and "/innhald/felt/" not in page
    assert "{{" not in page and "#felt-" not in page
    # A missing link is its words alone: "på samtykkeskjemaet til sjukehuset".
    page = chapter_page(client, "bildebruk")
    assert "på samtykkeskjemaet til sjukehuset" in page and "[Manglar" not in page
    # Staff who do not keep the handbook read it as the public does; so does the PDF anyone can fetch.
    client.force_login(cast["member"])
    assert "[Manglar" not in chapter_page(client, "bildebruk")
    pdf = client.get(reverse("handbook:pdf")).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "[Manglar" not in text and "sentralbordet på telefonnummeret til sentralbordet" in " ".join(text.split())


def test_an_adviser_fills_in_a_number_and_every_chapter_and_the_pdf_show_it(client, cast, facts, shipped_handbook):  # noqa: F811
    client.get(reverse("handbook:pdf"))  # a cached PDF of the text before
    client.force_login(cast["adviser"])
    response = client.post(
        reverse("facts:placeholder_edit", args=["sentralbord"]),
        {"label": "telefonnummeret til sentralbordet", "kind": "text", "value": "55 00 00 00"},
    )
    assert response.status_code == 302
    assert Placeholder.objects.get(key="sentralbord").value == "55 00 00 00"
    entry = AuditEntry.objects.get(action="facts.placeholder_updated")
    assert entry.actor == cast["adviser"] and entry.data["after"] == "55 00 00 00"
    for slug in ["dette-gjer-vi-ikkje-i-sosiale-media", "forventningsstyring", "vanskelege-meldingar"]:
        page = chapter_page(client, slug)
        assert "55 00 00 00" in page and "telefonnummeret til sentralbordet]" not in page, slug
    pdf = client.get(reverse("handbook:pdf")).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "55 00 00 00" in text


def test_a_link_placeholder_becomes_a_link_and_must_be_a_web_address(client, cast, facts, shipped_handbook):  # noqa: F811
    client.force_login(cast["adviser"])
    url = reverse("facts:placeholder_edit", args=["avvikssystem"])
    data = {"label": "lenkja til avvikssystemet", "kind": "link"}
    response = client.post(url, {**data, "value": "javascript:alert(1)"})
    assert response.status_code == 400 and "https://" in response.content.decode()
    assert Placeholder.objects.get(key="avvikssystem").value == ""
    client.post(url, {**data, "value": "https://avvik.example.no/ny"})
    page = chapter_page(client, "dette-gjer-vi-ikkje-i-sosiale-media")
    assert '<a href="https://avvik.example.no/ny" rel="noopener noreferrer">avvikssystemet</a>' in page


def test_what_an_adviser_types_stays_text(client, cast, facts, shipped_handbook):  # noqa: F811
    client.force_login(cast["adviser"])
    client.post(
        reverse("facts:placeholder_edit", args=["pressevakt"]),
        {"label": "telefonnummeret til pressevakta", "kind": "text", "value": '<script>alert(1)</script>"'},
    )
    page = chapter_page(client, "dette-gjer-vi-ikkje-i-sosiale-media")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_markers_are_never_filled_in_inside_an_attribute(facts):
    from handbook.rendering import expand

    html = expand(render_markdown('<abbr title="{{sentralbord}}">SB</abbr> {{sentralbord}}'), for_editors=True)
    assert 'title="{{sentralbord}}"' in html and "<mark" in html


def test_an_advisers_mark_inside_a_link_has_no_link_of_its_own(facts):
    from handbook.rendering import expand

    html = expand(render_markdown("[Ring {{sentralbord}}](https://example.no/)"), for_editors=True)
    assert html.count("<a ") == 1 and "[Manglar: telefonnummeret til sentralbordet]" in html


def test_a_key_the_text_uses_but_nobody_defined_is_listed_and_can_be_created(client, cast, facts, shipped_handbook):  # noqa: F811
    client.force_login(cast["adviser"])
    document = Document.objects.get(slug="evaluering")
    client.post(
        reverse("handbook:edit", args=["evaluering"]),
        {
            "revision": document.draft_revision,
            "title": document.draft_title,
            "body": document.draft_body + "\n\nSkjema for evaluering: {{evalueringsskjema}}",
            "publish": "1",
        },
    )
    listing = client.get(reverse("facts:placeholders")).content.decode()
    assert "evalueringsskjema" in listing and "Brukt i teksten, men ikke opprettet" in listing
    assert "[Manglar: evalueringsskjema]" in chapter_page(client, "evaluering")
    client.post(
        reverse("facts:placeholder_edit", args=["evalueringsskjema"]),
        {"label": "lenkja til evalueringsskjemaet", "kind": "link", "value": "https://skjema.example.no/evaluering"},
    )
    assert 'href="https://skjema.example.no/evaluering"' in chapter_page(client, "evaluering")
    assert client.get(reverse("facts:placeholder_edit", args=["finst-ikkje"])).status_code == 404


def test_the_placeholder_list_shows_what_is_missing_and_where_it_is_used(client, cast, facts, shipped_handbook):  # noqa: F811
    client.force_login(cast["adviser"])
    page = client.get(reverse("facts:placeholders")).content.decode()
    for key in shipped.PLACEHOLDERS:
        assert f"{{{{{key}}}}}" in page, key
    assert f"{len(shipped.PLACEHOLDERS)} felt mangler fortsatt i håndboken." in page
    assert 'href="/handbok/dette-gjer-vi-ikkje-i-sosiale-media/"' in page


def test_every_shipped_placeholder_is_used_by_a_chapter_and_every_key_a_chapter_uses_is_shipped(shipped_handbook):  # noqa: F811
    import re

    used = set()
    for _kind, _slug, _position, _title, body in shipped_documents():
        used |= {a or b for a, b in re.findall(r"\{\{\s*([a-z0-9-]+)\s*\}\}|\]\(felt:([a-z0-9-]+)\)", body)}
    assert used - {"plattformliste"} == set(shipped.PLACEHOLDERS)


def test_every_platform_in_the_catalogue_ships_with_a_dated_sourced_assessment(catalogue):
    assert set(shipped.PLATFORM_TERMS) == set(catalogue)
    assert set(shipped.ASSESSED) <= set(shipped.PLATFORM_TERMS)
    new = {"x", "threads", "snapchat", "bluesky", "mastodon", "vimeo", "flickr", "pinterest"}
    assert new <= set(shipped.ASSESSED)
    for slug, (policy, reason) in shipped.PLATFORM_TERMS.items():
        assert policy in PlatformTerms.Policy.values, slug
        assert len(reason) <= PlatformTerms._meta.get_field("reason").max_length, slug
        assert "reelt behov" not in reason or "vurdere plattforma på nytt" in reason, slug  # a refusal
    for slug in shipped.ASSESSED:
        year, month = shipped.ASSESSED[slug]
        assert (year, month) == (2026, 12), slug
    for slug, (_policy, reason) in shipped.PLATFORM_TERMS.items():
        assert "Vurdert" not in reason[:20], slug  # the date is the terms' own field, never in the words
    for slug in new:  # privacy, security, accessibility and where the data go, each named
        reason = shipped.PLATFORM_TERMS[slug][1]
        assert all(word in reason for word in ("Datatilsynet", "NSM", "Uutilsynet")), slug


def test_the_migration_adds_the_new_assessments_and_never_overwrites_an_advisers_terms(cast, catalogue):
    import importlib

    migration = importlib.import_module("facts.migrations.0003_shipped_assessments_2026")
    PlatformTerms.objects.all().delete()  # what the test database's migrations loaded
    # An installation with the terms shipped before: TikTok and Facebook untouched, Instagram saved by
    # an adviser, and X assessed by an adviser before the portal shipped an assessment for it.
    for slug, reason in migration.PREVIOUS.items():
        PlatformTerms.objects.create(platform=catalogue[slug], policy=shipped.PLATFORM_TERMS[slug][0], reason=reason)
    PlatformTerms.objects.create(
        platform=catalogue["instagram"], policy="approved", reason="Vår eiga vurdering.", updated_by=cast["adviser"]
    )
    PlatformTerms.objects.create(
        platform=catalogue["x"], policy="not_approved", reason="Vi har lagt ned kontoen.", updated_by=cast["adviser"]
    )

    migration.load(apps, None)
    migration.load(apps, None)  # running it again changes nothing

    terms = {t.platform.slug: t for t in PlatformTerms.objects.select_related("platform")}
    assert set(terms) == set(shipped.PLATFORM_TERMS)
    for slug in ("tiktok", "facebook"):
        assert terms[slug].reason == shipped.PLATFORM_TERMS[slug][1] and not terms[slug].reviewed, slug
    assert (terms["instagram"].policy, terms["instagram"].reason) == ("approved", "Vår eiga vurdering.")
    assert (terms["x"].policy, terms["x"].reason) == ("not_approved", "Vi har lagt ned kontoen.")
    assert terms["pinterest"].reason == shipped.PLATFORM_TERMS["pinterest"][1]


def test_an_advisers_own_tiktok_terms_are_kept_by_the_migration(cast, catalogue):
    import importlib

    migration = importlib.import_module("facts.migrations.0003_shipped_assessments_2026")
    PlatformTerms.objects.all().delete()
    PlatformTerms.objects.create(
        platform=catalogue["tiktok"],
        policy="not_approved",
        reason=migration.PREVIOUS["tiktok"],
        updated_by=cast["adviser"],
    )
    migration.load(apps, None)
    assert PlatformTerms.objects.get(platform=catalogue["tiktok"]).reason == migration.PREVIOUS["tiktok"]


def test_the_platform_list_in_the_handbook(client, facts, shipped_handbook):  # noqa: F811
    PlatformTerms.objects.filter(platform__slug="pinterest").delete()  # one platform not assessed
    page = chapter_page(client, PLATFORMS_CHAPTER)
    table = page[page.index('<table class="portal-table-cards">') :]
    table = table[: table.index("</table>")]
    assert "Godkjend med vilkår" in table and "Ikkje godkjend" in table and "Ikkje vurdert" in table
    assert "NSM, 2023" in table
    assert table.count("ikkje gjennomgått av Kommunikasjonsavdelinga enno") == len(shipped.PLATFORM_TERMS) - 1
    assert 'data-label="Vurdering"' in table


def test_an_adviser_reviews_the_terms_for_a_platform(client, cast, catalogue, facts, shipped_handbook):  # noqa: F811
    client.force_login(cast["adviser"])
    url = reverse("facts:platform_edit", args=["tiktok"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"policy": "not_approved", "reason": "Ikkje godkjend etter rådet frå NSM (NSM, 2023)."})
    assert response.status_code == 302
    terms = PlatformTerms.objects.get(platform=catalogue["tiktok"])
    assert terms.reviewed and terms.updated_by == cast["adviser"]
    assert AuditEntry.objects.filter(action="facts.platform_terms_updated", actor=cast["adviser"]).count() == 1
    page = chapter_page(client, PLATFORMS_CHAPTER)
    assert "Ikkje godkjend etter rådet frå NSM" in page and "Gjennomgått av Kommunikasjonsavdelinga" in page
    # A platform nobody has assessed gets its first terms the same way.
    PlatformTerms.objects.filter(platform=catalogue["bluesky"]).delete()
    client.post(reverse("facts:platform_edit", args=["bluesky"]), {"policy": "conditions", "reason": "Prøveordning."})
    assert PlatformTerms.objects.get(platform=catalogue["bluesky"]).policy == "conditions"


def test_bad_terms_get_a_clear_message_and_change_nothing(client, cast, catalogue, facts):
    client.force_login(cast["adviser"])
    before = PlatformTerms.objects.get(platform=catalogue["facebook"]).reason
    response = client.post(reverse("facts:platform_edit", args=["facebook"]), {"policy": "maybe", "reason": ""})
    assert response.status_code == 400
    assert PlatformTerms.objects.get(platform=catalogue["facebook"]).reason == before
    assert "reason" in response.context["form"].errors and "policy" in response.context["form"].errors


def test_only_advisers_change_the_facts_even_through_the_services(cast, catalogue, facts):
    with pytest.raises(services.FactsError):
        services.placeholder_update(key="sentralbord", actor=cast["leader"], value="1")
    with pytest.raises(services.FactsError):
        services.platform_terms_update(platform=catalogue["x"], actor=cast["member"], policy="approved", reason="x")
    assert Placeholder.objects.get(key="sentralbord").value == ""


def test_the_plan_form_shows_the_terms_beside_the_choice_of_channel(client, cast, catalogue, facts):
    from plans import services as plan_services

    PlatformTerms.objects.filter(platform__slug="pinterest").delete()  # one platform not assessed
    plan = plan_services.plan_create(unit=cast["unit"], author=cast["member"])
    client.force_login(cast["member"])
    page = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    channels = page[page.index('id="channels"') :]
    assert "Which platforms the hospital uses" not in channels  # the member reads Bokmål
    assert "Hvilke plattformer sykehuset bruker, og på hvilke vilkår" in channels
    assert "Godkjent med vilkår" in channels and "Ikke vurdert" in channels
    assert "Justis- og beredskapsdepartementet rådde i mars 2023" in channels


def test_the_plan_form_warns_when_a_chosen_platform_is_not_approved(client, cast, catalogue, facts, make_plan):
    plan = make_plan("draft", channels=[{"platform": catalogue["tiktok"], "justification": "Der er dei unge"}])
    client.force_login(cast["member"])
    page = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert "Sykehuset har ikke godkjent TikTok for offisielle kontoer." in page


def test_an_existing_installation_gets_the_new_text_as_a_new_version(db):
    """What the migration does where the hospital still has the text shipped before."""
    Document.objects.all().delete()
    previous = {}
    for kind, slug, position, title, body in shipped_documents():
        if position > 150:
            continue  # the added chapters did not exist before
        old_title, old_body = title, body.replace("Nasjonalarkivet", "Arkivverket") + "\n\nUtgåve 2025."
        previous[slug] = fingerprint(old_title, old_body)
        document = Document.objects.create(
            kind=kind, slug=slug, position=position, draft_title=old_title, draft_body=old_body
        )
        document.published = DocumentVersion.objects.create(
            document=document, number=1, title=old_title, body=old_body, body_html="", search_text=""
        )
        document.save()
    # The hospital has rewritten one chapter itself, and has unpublished work in another.
    own = Document.objects.get(slug="ressursbruk")
    own.published = DocumentVersion.objects.create(
        document=own, number=2, title="Ressursbruk", body="Vår eigen tekst.", body_html="", search_text=""
    )
    own.draft_body = "Vår eigen tekst."
    own.save()
    busy = Document.objects.get(slug="bildebruk")
    busy.draft_body = "Eit utkast som ikkje er publisert."
    busy.save()

    publish_shipped(Document, DocumentVersion, previous=previous)

    archive = Document.objects.get(slug="kven-har-ansvar-for-innhaldet")
    assert [v.number for v in archive.versions.all()] == [1, 2]
    assert "Nasjonalarkivet" in archive.published.body and not archive.has_unpublished_changes
    own.refresh_from_db()
    assert own.published.body == "Vår eigen tekst." and "Nasjonalarkivet" not in own.published.body
    assert own.has_unpublished_changes and "Betalt spreiing" in own.draft_body  # waits for the advisers
    busy.refresh_from_db()
    assert busy.published.number == 2 and busy.draft_body == "Eit utkast som ikkje er publisert."
    added = list(Document.objects.chapters().filter(position__gt=150).values_list("slug", flat=True))
    assert added == ["kriser-og-alvorlege-hendingar", "vanskelege-meldingar", "kunstig-intelligens"]
    publish_shipped(Document, DocumentVersion, previous=previous)  # running it again changes nothing
    assert archive.versions.count() == 2 and Document.objects.count() == 19


def test_search_passages_never_show_a_marker(client, facts, shipped_handbook):  # noqa: F811
    page = client.get(reverse("handbook:search"), {"q": "sentralbordet"}).content.decode()
    assert "<mark>" in page and "{{" not in page


def test_the_shipped_assessments_are_dated_as_a_field(facts, catalogue):
    terms = {t.platform.slug: t for t in PlatformTerms.objects.select_related("platform")}
    assert terms["tiktok"].assessed_on == datetime.date(2026, 12, 1)
    assert terms["facebook"].assessed_on is None  # shipped before the portal kept the date


def test_the_migration_takes_the_date_out_of_the_shipped_words_and_keeps_it_as_the_field(cast, catalogue):
    import importlib

    migration = importlib.import_module("facts.migrations.0005_shipped_reasons_without_date")
    PlatformTerms.objects.all().delete()
    words = shipped.PLATFORM_TERMS["x"][1]
    # As an installation has them: X and Pinterest as shipped (Pinterest not yet dated), Threads saved
    # by an adviser with the words as they were.
    PlatformTerms.objects.create(
        platform=catalogue["x"],
        policy="conditions",
        reason=migration.PREFIX + words,
        assessed_on=datetime.date(2026, 12, 1),
    )
    PlatformTerms.objects.create(
        platform=catalogue["pinterest"],
        policy="not_approved",
        reason=migration.PREFIX + shipped.PLATFORM_TERMS["pinterest"][1],
    )
    PlatformTerms.objects.create(
        platform=catalogue["threads"],
        policy="conditions",
        reason=migration.PREFIX + "Vår eiga.",
        updated_by=cast["adviser"],
    )

    migration.take_off_the_date(apps, None)
    migration.take_off_the_date(apps, None)  # running it again changes nothing

    terms = {t.platform.slug: t for t in PlatformTerms.objects.select_related("platform")}
    assert (terms["x"].reason, terms["x"].assessed_on) == (words, datetime.date(2026, 12, 1))
    assert terms["pinterest"].reason == shipped.PLATFORM_TERMS["pinterest"][1]
    assert terms["pinterest"].assessed_on == datetime.date(2026, 12, 1)
    assert (terms["threads"].reason, terms["threads"].assessed_on) == (migration.PREFIX + "Vår eiga.", None)


def test_an_adviser_sets_the_day_of_the_assessment_and_the_handbook_and_plan_form_show_it(
    client,
    cast,
    catalogue,
    facts,
    shipped_handbook,  # noqa: F811
):
    from plans import services as plan_services

    client.force_login(cast["adviser"])
    url = reverse("facts:platform_edit", args=["linkedin"])
    form = client.get(url).content.decode()
    assert 'name="assessed_on"' in form
    response = client.post(url, {"policy": "approved", "reason": "Til rekruttering.", "assessed_on": "14.03.2025"})
    assert response.status_code == 302
    terms = PlatformTerms.objects.get(platform=catalogue["linkedin"])
    assert terms.assessed_on == datetime.date(2025, 3, 14)
    entry = AuditEntry.objects.filter(action="facts.platform_terms_updated").latest("pk")
    assert entry.data["assessed_on"] == "2025-03-14" and entry.data["before"]["assessed_on"] is None
    assert 'value="14.03.2025"' in client.get(url).content.decode()  # the form starts from the saved day

    # The handbook's list (in Nynorsk, as the handbook) and the plan form (in the reader's language).
    page = chapter_page(client, PLATFORMS_CHAPTER)
    row = page[page.index(">LinkedIn</th>") :]
    row = row[: row.index("</tr>")]
    assert '<span class="portal-assessed-on">Vurdert mars 2025</span>' in row
    plan = plan_services.plan_create(unit=cast["unit"], author=cast["member"])
    client.force_login(cast["member"])
    channels = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    channels = channels[channels.index('id="channels"') :]
    assert "Vurdert mars 2025" in channels and "Vurdert desember 2026" in channels
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    channels = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert "Assessed March 2025" in channels[channels.index('id="channels"') :]

    # Emptied, the terms are not dated, and nothing says they are.
    client.force_login(cast["adviser"])
    client.post(url, {"policy": "approved", "reason": "Til rekruttering.", "assessed_on": ""})
    assert PlatformTerms.objects.get(platform=catalogue["linkedin"]).assessed_on is None
    row = chapter_page(client, PLATFORMS_CHAPTER)
    row = row[row.index(">LinkedIn</th>") :]
    assert "Vurdert" not in row[: row.index("</tr>")]


def test_an_assessment_cannot_be_dated_in_the_future(client, cast, catalogue, facts):
    client.force_login(cast["adviser"])
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("facts:platform_edit", args=["linkedin"]),
        {"policy": "approved", "reason": "Til rekruttering.", "assessed_on": tomorrow.strftime("%d.%m.%Y")},
    )
    assert response.status_code == 400 and "assessed_on" in response.context["form"].errors
    assert PlatformTerms.objects.get(platform=catalogue["linkedin"]).assessed_on is None
