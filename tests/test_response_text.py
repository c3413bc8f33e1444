"""The standard response text is written once: the account form starts from it, and the handbook's
chapter on expectations says the same sentence."""

import html
import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

from handbook.models import Document
from handbook.rendering import expand
from registry import models as registry_models
from registry.forms import AccountForm
from registry.models import RESPONSE_HOURS_DEFAULT, RESPONSE_TIME_DEFAULT, standard_response_text

from .test_handbook import shipped  # noqa: F401

CHAPTER = Path(settings.BASE_DIR) / "handbook" / "content" / "10-forventningsstyring.md"


def test_the_account_form_starts_from_the_standard_text(cast, catalogue):
    form = AccountForm(unit=cast["unit"])
    assert form["response_hours"].value() == RESPONSE_HOURS_DEFAULT
    assert form["response_time"].value() == RESPONSE_TIME_DEFAULT


def test_the_two_parts_make_the_sentence_the_handbook_quotes():
    assert standard_response_text() == (
        "Vi svarar på kvardagar 08–15, innan éin arbeidsdag. Vi svarar ikkje på spørsmål om enkeltpasientar."
    )
    assert standard_response_text("Måndag–fredag 08–19", "Innan to arbeidsdagar.") == (
        "Vi svarar på måndag–fredag 08–19, innan to arbeidsdagar."
    )


def test_the_handbook_does_not_write_a_text_of_its_own():
    """The chapter names the register's text by its placeholder, and quotes no copy of it."""
    text = CHAPTER.read_text(encoding="utf-8")
    standard = text[text.index("Standardteksten er:") :].split("\n\n", 2)[1]
    assert standard == "> «{{portal:svartekst}}»"
    assert standard_response_text() not in text


def quoted_standard(page: str) -> str:
    standard = page[page.index("Standardteksten er:") :]
    return html.unescape(re.search(r"<blockquote>\s*<p>«(.+?)»</p>", standard).group(1))


def test_the_chapter_shows_the_registers_text_as_it_is(client, shipped, monkeypatch):  # noqa: F811
    page = client.get(reverse("handbook:chapter", args=["forventningsstyring"])).content.decode()
    assert quoted_standard(page) == standard_response_text()
    # Whatever the register's text says, the chapter says the same (as the page fills it in).
    monkeypatch.setattr(registry_models, "standard_response_text", lambda: "Vi svarar på måndagar & fredagar.")
    published = Document.objects.get(slug="forventningsstyring").published
    assert quoted_standard(expand(published.body_html)) == "Vi svarar på måndagar & fredagar."


def outside_hours(page: str) -> str:
    """The text of the section "Utanom svartida" as the reader sees it."""
    section = page[page.index("Utanom svartida") :]
    return html.unescape(re.sub(r"<[^>]+>", "", section[: section.index("Kommentarfelt")]))


def test_outside_the_response_time_the_chapter_states_the_standard_texts_hours(client, shipped, monkeypatch):  # noqa: F811
    """The section on what happens outside the response time, and its automatic reply, state the
    hours and the answer time of the register's one standard text, never their own."""
    text = CHAPTER.read_text(encoding="utf-8")
    section = text[text.index("## Utanom svartida") : text.index("Kommentarfelt")]
    assert "08–15" not in section and "éin arbeidsdag" not in section
    page = client.get(reverse("handbook:chapter", args=["forventningsstyring"])).content.decode()
    said = outside_hours(page)
    assert "følgjer nokon med på kvardagar 08–15, slik standardteksten seier" in said
    assert "Vi les meldingar på kvardagar 08–15 og svarar innan éin arbeidsdag." in said
    monkeypatch.setattr(registry_models, "RESPONSE_HOURS_DEFAULT", "Måndag–torsdag 08–19")
    monkeypatch.setattr(registry_models, "RESPONSE_WITHIN_DEFAULT", "Innan to arbeidsdagar")
    published = Document.objects.get(slug="forventningsstyring").published
    said = outside_hours(expand(published.body_html))
    assert "Vi les meldingar på måndag–torsdag 08–19 og svarar innan to arbeidsdagar." in said


def test_the_standard_answer_time_is_the_first_part_of_the_standard_text():
    assert RESPONSE_TIME_DEFAULT.startswith(registry_models.RESPONSE_WITHIN_DEFAULT + ". ")


def test_an_installation_with_the_hand_written_hours_gets_the_placeholders(db):
    """0011: the chapter as 0008 shipped it becomes the new text as a new published version; an
    organisation's rewritten chapter keeps its text and gets the new one in its draft."""
    import importlib

    from django.apps import apps

    from handbook.content import fingerprint, shipped_documents
    from handbook.models import DocumentVersion

    migration = importlib.import_module("handbook.migrations.0011_shipped_response_hours")
    title, body = next((t, b) for _k, slug, _p, t, b in shipped_documents() if slug == "forventningsstyring")
    old = body.replace(
        "{{portal:svartid-timar}}, slik standardteksten seier. Resten av tida les",
        "kvardagar 08–15. Resten av døgnet og i helgane les",
    ).replace(
        "Vi les meldingar på {{portal:svartid-timar}} og svarar {{portal:svartid-innan}}.",
        "Vi les meldingar på kvardagar 08–15 og svarar innan éin arbeidsdag.",
    )
    assert fingerprint(title, old) == migration.PREVIOUS["forventningsstyring"]
    Document.objects.all().delete()
    migration.publish(apps, None)  # an installation without the chapter gets nothing new
    assert not Document.objects.exists()
    document = Document.objects.create(
        kind="chapter", slug="forventningsstyring", position=100, draft_title=title, draft_body=old
    )
    document.published = DocumentVersion.objects.create(
        document=document, number=1, title=title, body=old, body_html="", search_text=""
    )
    document.save()

    migration.publish(apps, None)

    document.refresh_from_db()
    assert [v.number for v in document.versions.all()] == [1, 2]
    assert document.published.body == body and document.draft_body == body
    migration.publish(apps, None)  # running it again changes nothing
    assert document.versions.count() == 2

    document.published = DocumentVersion.objects.create(
        document=document, number=3, title=title, body="Vår eigen tekst.", body_html="", search_text=""
    )
    document.draft_body = "Vår eigen tekst."
    document.save()
    migration.publish(apps, None)
    document.refresh_from_db()
    assert document.published.body == "Vår eigen tekst." and document.draft_body == body
