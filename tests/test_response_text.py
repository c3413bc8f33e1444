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
