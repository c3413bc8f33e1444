"""The strategy and the handbook: content, reading, search, editing, versions, PDF, safety."""

import subprocess

import pytest
from django.urls import reverse

from handbook import services
from handbook.models import Document, DocumentVersion
from handbook.rendering import render_markdown

TITLES = [
    "Innleiing",
    "Kva er sosiale media?",
    "Korleis brukar Haukeland universitetssjukehus sosiale media?",
    "Dette gjer vi ikkje i sosiale media",
    "Før de startar",
    "Kven har ansvar for innhaldet?",
    "Namnebruk og visuell profil",
    "Bildebruk",
    "Ressursbruk",
    "Forventningsstyring",
    "Evaluering",
    "Språk, stil og tone",
    "Kva er godt innhald?",
    "Praktiske tips",
    "Individuelle jobbkontoar",
]
# After the hospital's fifteen: topics that cut across them and must be found fast.
ADDED_TITLES = ["Kriser og alvorlege hendingar", "Vanskelege meldingar", "Kunstig intelligens"]


@pytest.fixture
def shipped(db):
    """The shipped content, as the migration loads it (transactional tests empty the tables)."""
    from django.apps import apps

    from handbook.content import load_shipped

    load_shipped(apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"))


def test_the_hospitals_fifteen_chapters_in_the_seeds_order_then_the_added_ones(shipped):
    chapters = list(Document.objects.published().chapters())
    assert [c.published.title for c in chapters] == TITLES + ADDED_TITLES
    for chapter in chapters:
        words = len(chapter.published.search_text.split())
        assert words >= 300, (chapter.published.title, words)
        assert "under arbeid" not in chapter.published.body, chapter.published.title
    strategy = Document.objects.published().get(kind=Document.Kind.STRATEGY)
    assert 400 <= len(strategy.published.search_text.split()) <= 1200


# Every statement about law, regulators or platforms names its source, in the chapter that makes it.
SOURCES = {
    "kva-er-sosiale-media": [
        "Datatilsynet, 2021",
        "Digdir, 2022",
        "Datatilsynet, 2025",
        "personvernforordninga art. 26",
        "arkivlova, LOV-2025-06-20-96",
        "Nasjonalarkivet",
        "Difi, 2019, no hos Digdir",
        "NTB, 2022",
    ],
    "korleis-brukar-haukeland-universitetssjukehus-sosiale-media": [
        "NSM, 2023",
        "Justis- og beredskapsdepartementet, 2023",
    ],
    "dette-gjer-vi-ikkje-i-sosiale-media": [
        "helsepersonellova § 21 (1999)",
        "spesialisthelsetenestelova § 6-1 (1999)",
        "forvaltningslova §§ 13 til 13 e (1967)",
        "helsepersonellova § 21 a, 1999",
        "personvernforordninga art. 33, 2016",
        "72 timar",
        "Datatilsynet",
    ],
    "kven-har-ansvar-for-innhaldet": [
        "arkivlova, LOV-2025-06-20-96",
        "Nasjonalarkivet",
        "offentleglova § 4, 2006",
        "offentleglova § 29, 2006",
        "offentleglova § 32, 2006",
        "Sivilombodet, fråsegn om saksbehandlingstida for innsynskrav i Trondheim kommune, 2021",
        "Difi, 2019, no hos Digdir",
        "Arkivering frå sosiale medium",
    ],
    "bildebruk": [
        "Samtykke frå mindreårige",
        "åndsverklova § 104",
        "barnelova § 31, 1981",
        "Prop. 117 L (2024–2025)",
        "EDPB, retningslinjer 05/2020 om samtykke, 2020",
    ],
    "ressursbruk": ["Meta, 2025", "6. oktober 2025", "kode24, 2025"],
    "sprak-stil-og-tone": ["likestillings- og diskrimineringslova § 18, 2017", "Uutilsynet", "Difi, 2017"],
    "individuelle-jobbkontoar": [
        "Grunnlova § 100, endra 2004",
        "Sivilombodet, 2015",
        "Grunnlova § 100 fjerde ledd",
        "arbeidsmiljølova, LOV-2005-06-17-62, kapittel 2 A",
    ],
    "vanskelege-meldingar": [
        "helsepersonellova § 31, 1999",
        "straffelova § 17, 2005",
        "116 123",
        "helsepersonellova § 21 a",
    ],
    "kunstig-intelligens": [
        "KI-forordninga art. 50, 2024",
        "KI-forordninga art. 4, 2024",
        "2. februar 2025",
        "2. august 2026",
        "per desember 2026",
        "Digitaliserings- og forvaltningsdepartementet, 2025",
    ],
}


@pytest.mark.parametrize("slug", sorted(SOURCES))
def test_the_facts_the_chapters_must_get_right_name_their_sources(slug, shipped):
    text = Document.objects.published().get(slug=slug).published.search_text
    for source in SOURCES[slug]:
        assert source in text, source


def test_no_chapter_calls_the_archive_authority_arkivverket_any_more(shipped):
    for document in Document.objects.published():
        text = document.published.search_text
        assert text.count("Arkivverket") == text.count("(tidlegare Arkivverket)"), document.slug


def test_the_unsourced_claim_about_digdir_and_evaluation_is_gone(shipped):
    text = Document.objects.published().get(slug="evaluering").published.search_text
    assert "Digdir" not in text and "Digitaliseringsdirektoratet" not in text


def test_the_blood_donation_example_does_not_promise_a_donation_on_the_first_visit_or_a_time(shipped):
    text = Document.objects.published().get(slug="kva-er-godt-innhald").published.search_text
    assert "opptil tre pasientar" not in text
    assert "nokre veker seinare" not in text  # the chapter warns against promising times
    assert "tek vi kontakt og gjev deg time" in text
    assert "[lenkje til stillingsannonsen]" in text  # the recruitment example has its link


def test_the_handbook_is_public(client, shipped):
    assert client.get(reverse("handbook:index")).status_code == 200
    assert client.get(reverse("handbook:strategy")).status_code == 200
    page = client.get(reverse("handbook:chapter", args=["ressursbruk"])).content.decode()
    assert "Ressursbruk" in page and 'rel="prev"' in page and 'rel="next"' in page
    assert client.get(reverse("handbook:chapter", args=["finst-ikkje"])).status_code == 404


def test_chapters_link_to_each_other_and_to_the_portal(client, shipped):
    page = client.get(reverse("handbook:chapter", args=["for-de-startar"])).content.decode()
    assert 'href="/handbok/evaluering/"' in page
    assert f'href="{reverse("plans:create")}"' in page
    assert "kapittel:" not in page and "portal:" not in page


@pytest.mark.parametrize("title", TITLES + ADDED_TITLES)
def test_search_finds_a_word_from_each_chapter(title, client, shipped):
    document = Document.objects.get(published__title=title)
    word = max(document.published.search_text.split(), key=len).strip(".,:;!?()«»\"'")
    page = client.get(reverse("handbook:search"), {"q": word}).content.decode()
    assert f'href="{document.get_absolute_url()}"' in page
    assert "<mark>" in page


def test_search_handles_norwegian_letters(client, shipped):
    page = client.get(reverse("handbook:search"), {"q": "teieplikt pasientar"}).content.decode()
    assert "<mark>" in page
    page = client.get(reverse("handbook:search"), {"q": "SPRÅK"}).content.decode()
    assert 'href="/handbok/sprak-stil-og-tone/"' in page


@pytest.mark.parametrize(
    "query",
    [
        '"sosiale media"',
        "'; DROP TABLE handbook_document; --",
        "1' OR '1'='1",
        "%_%",
        "<script>alert(1)</script>",
        "x" * 5000,
    ],
)
def test_search_survives_odd_input(query, client, shipped):
    response = client.get(reverse("handbook:search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert Document.objects.count() == 1 + len(TITLES) + len(ADDED_TITLES)


def test_search_of_only_stop_words_says_so(client, shipped):
    response = client.get(reverse("handbook:search"), {"q": "og i på det"})
    assert response.context["message"] and response.context["hits"] == []


XSS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=https://evil.example></iframe>",
    "[klikk](javascript:alert(1))",
    "[klikk](JaVaScRiPt:alert(1))",
    "[klikk](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<body onload=alert(1)>",
    "<object data=x></object><embed src=x>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<details open ontoggle=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "![x](javascript:alert(1))",
    '<a href="  javascript:alert(1)">x</a>',
    "<base href=https://evil.example/>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
]


@pytest.mark.parametrize("payload", XSS)
def test_the_sanitiser_removes_every_known_xss_payload(payload):
    html = render_markdown(f"Tekst før.\n\n{payload}\n\nTekst etter.").lower()
    for bad in [
        "<script",
        "onerror",
        "onload",
        "ontoggle",
        "javascript:",
        "<iframe",
        "<svg",
        "<object",
        "<embed",
        "<form",
        "<style",
        "<base",
        "<meta",
        "data:text",
        "style=",
    ]:
        assert bad not in html, (payload, html)
    assert "tekst etter." in html


def test_safe_markdown_stays(db):
    html = render_markdown("## Under\n\n- ein\n- to\n\n[Helsenorge](https://www.helsenorge.no) **viktig**")
    assert '<h2 id="del-under">Under</h2>' in html and "<li>ein</li>" in html and "<strong>viktig</strong>" in html
    assert 'href="https://www.helsenorge.no"' in html and 'rel="noopener noreferrer"' in html


@pytest.fixture
def chapter(shipped):
    return Document.objects.get(slug="bildebruk")


def edit(client, document, **data):
    document.refresh_from_db()
    payload = {"revision": document.draft_revision, "title": document.draft_title, "body": document.draft_body, **data}
    return client.post(reverse("handbook:edit", args=[document.slug]), payload)


def test_an_adviser_saves_a_draft_without_publishing(client, cast, chapter):
    client.force_login(cast["adviser"])
    published = chapter.published.body
    assert edit(client, chapter, body="Nytt utkast.", save="1").status_code == 302
    chapter.refresh_from_db()
    assert chapter.draft_body == "Nytt utkast." and chapter.published.body == published
    assert "Nytt utkast." not in client.get(chapter.get_absolute_url()).content.decode()


def test_publish_compare_and_restore(client, cast, chapter):
    client.force_login(cast["adviser"])
    original = chapter.published.body
    assert edit(client, chapter, body=original + "\n\nEit nytt avsnitt om samtykke.", publish="1").status_code == 302
    chapter.refresh_from_db()
    assert chapter.published.number == 2 and chapter.published.published_by == cast["adviser"]
    assert "Eit nytt avsnitt om samtykke." in client.get(chapter.get_absolute_url()).content.decode()
    compare = client.get(reverse("handbook:compare", args=[chapter.slug]), {"fra": 1, "til": 2}).content.decode()
    assert "<ins>" in compare and "Eit nytt avsnitt om samtykke.</ins>" in compare
    assert client.post(reverse("handbook:restore", args=[chapter.slug, 1])).status_code == 302
    chapter.refresh_from_db()
    assert chapter.published.number == 3 and chapter.published.restored_from == 1
    assert chapter.published.body == original
    assert DocumentVersion.objects.filter(document=chapter).count() == 3  # nothing thrown away


def test_restoring_the_version_that_is_already_current_changes_nothing(client, cast, chapter):
    client.force_login(cast["adviser"])
    response = client.post(reverse("handbook:restore", args=[chapter.slug, 1]), follow=True)
    assert any("nothing was changed" in str(m) or "ingenting" in str(m) for m in response.context["messages"])
    assert chapter.versions.count() == 1


def test_two_advisers_editing_the_same_chapter(client, cast, chapter):
    other = type(cast["adviser"]).objects.create_user(
        "kristian@example.no", "x", full_name="Kristian Eide", is_adviser=True
    )
    stale = chapter.draft_revision
    services.document_save_draft(
        document=chapter, actor=other, revision=stale, title=chapter.draft_title, body="Kristian sin tekst"
    )
    client.force_login(cast["adviser"])
    response = client.post(
        reverse("handbook:edit", args=[chapter.slug]),
        {"revision": stale, "title": chapter.draft_title, "body": "Marte sin tekst", "save": "1"},
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Marte sin tekst" in page and "Kristian sin tekst" in page
    chapter.refresh_from_db()
    assert chapter.draft_body == "Kristian sin tekst"


def test_a_chapter_of_a_megabyte_gets_a_clear_message(client, cast, chapter):
    client.force_login(cast["adviser"])
    response = edit(client, chapter, body="x" * 1_000_000, save="1")
    assert response.status_code == 400
    assert response.context["form"].errors["body"]
    chapter.refresh_from_db()
    assert len(chapter.draft_body) < 1_000_000


def test_add_and_reorder_chapters(client, cast, shipped):
    client.force_login(cast["adviser"])
    response = client.post(reverse("handbook:chapter_new"), {"title": "Pressekontakt"})
    document = Document.objects.get(draft_title="Pressekontakt")
    assert response["Location"] == reverse("handbook:edit", args=[document.slug])
    edit(client, document, body="Kven som svarar journalistar.", publish="1")
    assert [c.published.title for c in Document.objects.published().chapters()][-1] == "Pressekontakt"
    client.post(reverse("handbook:move", args=[document.slug]), {"direction": "up"})
    assert [c.published.title for c in Document.objects.published().chapters()][-2:] == [
        "Pressekontakt",
        "Kunstig intelligens",
    ]


def test_a_chapter_title_of_only_invisible_characters_is_no_title(client, cast, chapter):
    client.force_login(cast["adviser"])
    before = Document.objects.count()
    response = client.post(reverse("handbook:chapter_new"), {"title": "\ufeff\u200b"})
    assert response["Location"] == reverse("handbook:index") and Document.objects.count() == before
    title = chapter.draft_title
    response = edit(client, chapter, title="\u202e", body="Tekst", save="1")
    assert response.status_code == 400 and response.context["form"].errors["title"]
    chapter.refresh_from_db()
    assert chapter.draft_title == title


def test_the_pdf_has_every_chapter_and_is_served_from_cache(client, shipped, django_assert_max_num_queries):
    response = client.get(reverse("handbook:pdf"))
    assert response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    flat = " ".join(text.split())
    for title in TITLES:
        assert title in flat, title
    with django_assert_max_num_queries(6):
        assert client.get(reverse("handbook:pdf")).content == response.content


def test_publishing_makes_a_new_pdf(client, cast, chapter):
    first = client.get(reverse("handbook:pdf")).content
    services.document_save_draft(
        document=chapter,
        actor=cast["adviser"],
        revision=chapter.draft_revision,
        title="Bilete og samtykke",
        body=chapter.draft_body,
    )
    services.document_publish(document=chapter, actor=cast["adviser"])
    second = client.get(reverse("handbook:pdf")).content
    assert second != first
    flat = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=second, capture_output=True, check=True).stdout.decode().split()
    )
    assert "Bilete og samtykke" in flat


def test_the_preview_is_sanitised(client, cast, shipped):
    client.force_login(cast["adviser"])
    html = client.post(reverse("handbook:preview"), {"body": "## Tittel\n\n<script>alert(1)</script>"}).content.decode()
    assert '<h2 id="del-tittel">Tittel</h2>' in html and "<script" not in html


def test_the_plan_form_and_the_readiness_panel_link_to_the_chapters(client, cast, shipped):
    from plans import services as plan_services

    plan = plan_services.plan_create(unit=cast["unit"], author=cast["member"], title="Instagram")
    client.force_login(cast["member"])
    page = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    for slug in ["evaluering", "ressursbruk", "kva-er-godt-innhald", "for-de-startar"]:
        assert f'href="/handbok/{slug}/"' in page, slug
    # The channel choice leads to the chapter that lists the hospital's platforms and their terms.
    channels = page[page.index('id="channels"') :]
    channels = channels[: channels.index("portal-guide") + 400]
    assert 'href="/handbok/korleis-brukar-haukeland-universitetssjukehus-sosiale-media/"' in channels
    detail = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    readiness = detail[detail.index('id="readiness-heading"') :]
    assert 'href="/handbok/ressursbruk/"' in readiness and 'href="/handbok/evaluering/"' in readiness


def test_search_text_keeps_headings_apart_from_the_text_below_them():
    from handbook.rendering import plain_text

    text = plain_text(render_markdown("## Vi bryt aldri teieplikta\n\nAlle som arbeider her.\n\n- ein\n- to"))
    assert text.split("\n\n") == ["Vi bryt aldri teieplikta", "Alle som arbeider her.", "ein", "to"]


# What 0006 changed in the shipped text: (the sentence 0005 shipped, the sentence now).
FIRST_EVALUATION = {
    "strategi": (
        "eininga evaluerer kontoen første gong etter seks månader og deretter minst éin gong i året",
        "eininga evaluerer kontoen første gong tre månader etter at han vart teken i bruk, og deretter minst éin gong i året",
    ),
    "innleiing": ("og etter seks månader ser dei på tala saman", "og etter tre månader ser dei på tala saman"),
    "for-de-startar": (
        "5. De set ein dato for første evaluering, normalt etter seks månader.",
        "5. Portalen set datoen for første evaluering, normalt tre månader etter at kontoen er teken i bruk, og minner dykk på han.",
    ),
    "evaluering": (
        "Alle offisielle kontoar blir evaluerte første gong etter seks månader og deretter minst éin gong i året.",
        "Alle offisielle kontoar blir evaluerte første gong tre månader etter at dei vart tekne i bruk, og deretter minst éin gong i året.",
    ),
}


def shipped_by_0006():
    """(kind, slug, position, title, body) of each document as 0006 shipped it. The earlier migrations'
    fingerprints are checked against this frozen copy, because the shipped text moves on."""
    import json
    from pathlib import Path

    return [
        tuple(row) for row in json.loads((Path(__file__).parent / "data" / "handbook_shipped_0006.json").read_text())
    ]


def _as_0005_shipped(slug: str, body: str) -> str:
    if slug in FIRST_EVALUATION:
        before, now = FIRST_EVALUATION[slug]
        assert body.count(now) == 1, slug
        body = body.replace(now, before)
    return body


def test_an_installation_with_the_2026_text_gets_the_glossary_forms_as_a_new_version(db):
    """0005: the chapters that said «plattformer» get the glossary's form as a new published
    version; a chapter the hospital rewrote itself keeps its text; running again changes nothing."""
    import importlib
    import re

    from django.apps import apps

    from handbook.content import fingerprint

    migration = importlib.import_module("handbook.migrations.0005_shipped_glossary_forms")
    Document.objects.all().delete()
    for kind, slug, position, title, body in shipped_by_0006():
        body = _as_0005_shipped(slug, body)
        old = body
        if slug in migration.PREVIOUS:
            old = re.sub(r"(?<=[Pp]lattform)(ar|ane)\b", lambda m: {"ar": "er", "ane": "ene"}[m.group(1)], body)
            assert fingerprint(title, old) == migration.PREVIOUS[slug], slug  # the text 0003 shipped
        document = Document.objects.create(kind=kind, slug=slug, position=position, draft_title=title, draft_body=old)
        document.published = DocumentVersion.objects.create(
            document=document, number=1, title=title, body=old, body_html="", search_text=""
        )
        document.save()
    own = Document.objects.get(slug="evaluering")
    own.published = DocumentVersion.objects.create(
        document=own, number=2, title=own.published.title, body="Vår eigen tekst.", body_html="", search_text=""
    )
    own.draft_body = "Vår eigen tekst."
    own.save()

    migration.publish(apps, None)

    intro = Document.objects.get(slug="innleiing")
    assert [v.number for v in intro.versions.all()] == [1, 2]
    assert "plattformar" in intro.published.body and "plattformer" not in intro.published.body
    assert Document.objects.get(slug="bildebruk").versions.count() == 1  # unchanged text, no new version
    own.refresh_from_db()
    assert own.published.body == "Vår eigen tekst." and "plattformar" in own.draft_body
    migration.publish(apps, None)
    assert intro.versions.count() == 2


def test_an_installation_gets_the_first_evaluation_after_three_months_as_the_portal_schedules_it(db, settings):
    """0006: where the handbook and the strategy said six months, they now say what the portal
    does (EVALUATION_FIRST_MONTHS); a chapter the hospital rewrote keeps its text."""
    import importlib

    from django.apps import apps

    from handbook.content import fingerprint, shipped_documents

    assert settings.EVALUATION_FIRST_MONTHS == 3
    migration = importlib.import_module("handbook.migrations.0006_shipped_first_evaluation")
    Document.objects.all().delete()
    for kind, slug, position, title, body in shipped_by_0006():
        old = _as_0005_shipped(slug, body)
        if slug in migration.PREVIOUS:
            assert fingerprint(title, old) == migration.PREVIOUS[slug], slug
        document = Document.objects.create(kind=kind, slug=slug, position=position, draft_title=title, draft_body=old)
        document.published = DocumentVersion.objects.create(
            document=document, number=1, title=title, body=old, body_html="", search_text=""
        )
        document.save()
    own = Document.objects.get(slug="innleiing")
    own.published = DocumentVersion.objects.create(
        document=own, number=2, title=own.published.title, body="Vår eigen tekst.", body_html="", search_text=""
    )
    own.draft_body = "Vår eigen tekst."
    own.save()

    migration.publish(apps, None)

    for slug in ("strategi", "for-de-startar", "evaluering"):
        document = Document.objects.get(slug=slug)
        assert document.versions.count() == 2, slug
        # The shipped text moved on: since 0007 it reads the months from EVALUATION_FIRST_MONTHS.
        assert "{{portal:forste-evaluering}}" in document.published.body
        assert "seks månader" not in document.published.body
    own.refresh_from_db()
    assert own.published.body == "Vår eigen tekst." and "{{portal:forste-evaluering}}" in own.draft_body
    assert not any("seks månader" in body for *_rest, body in shipped_documents())
    migration.publish(apps, None)
    assert Document.objects.get(slug="evaluering").versions.count() == 2


def test_an_installation_gets_the_one_truth_text_with_the_portals_facts_as_placeholders(db):
    """0007: every chapter the hospital has not changed since 0006 gets the shipped text, with the
    portal's numbers and mailbox as {{portal:…}} placeholders, as a new published version; a chapter
    the hospital rewrote keeps its text and gets the new one in its draft; running again changes nothing."""
    import importlib

    from django.apps import apps

    from handbook.content import fingerprint

    migration = importlib.import_module("handbook.migrations.0007_shipped_one_truth")
    Document.objects.all().delete()
    for kind, slug, position, title, body in shipped_by_0006():
        if slug in migration.PREVIOUS:
            assert fingerprint(title, body) == migration.PREVIOUS[slug], slug
        document = Document.objects.create(kind=kind, slug=slug, position=position, draft_title=title, draft_body=body)
        document.published = DocumentVersion.objects.create(
            document=document, number=1, title=title, body=body, body_html="", search_text=""
        )
        document.save()
    own = Document.objects.get(slug="evaluering")
    own.published = DocumentVersion.objects.create(
        document=own, number=2, title=own.published.title, body="Vår eigen tekst.", body_html="", search_text=""
    )
    own.draft_body = "Vår eigen tekst."
    own.save()

    migration.publish(apps, None)

    for slug in ("strategi", "for-de-startar", "praktiske-tips"):
        document = Document.objects.get(slug=slug)
        assert document.versions.count() == 2, slug
        assert "{{portal:" in document.published.body and "info@helse-bergen.no" not in document.published.body
    own.refresh_from_db()
    assert own.published.body == "Vår eigen tekst." and "{{portal:forste-evaluering}}" in own.draft_body
    migration.publish(apps, None)
    assert Document.objects.get(slug="strategi").versions.count() == 2
