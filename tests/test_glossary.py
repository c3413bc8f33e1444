"""One vocabulary (docs/glossary.toml) across the portal, its e-mails and the handbook.

This part checks the texts written in Nynorsk that ship with the portal: the strategy, the
handbook's chapters, and what the handbook shows from the platform terms and placeholders.
The checks of the catalogues and the e-mail templates use the same rules (core.glossary)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from core import glossary
from facts import shipped

CONTENT = Path(settings.BASE_DIR) / "handbook" / "content"
TEXTS = sorted(p for p in CONTENT.glob("*.md") if p.name != "README.md")


def test_the_glossary_names_a_form_in_every_language_for_every_term():
    data = glossary.load()
    assert data["term"] and data["rule"]
    for term in data["term"]:
        assert all(term.get(language) for language in ("nn", "nb", "en")), term["concept"]
        for language in ("nn", "nb", "en"):
            chosen = term[language].split(" (")[0]
            assert not glossary.problems(chosen, language), (term["concept"], language)
    for language in ("nn", "nb", "en"):
        assert glossary.rules(language)  # every expression compiles


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_the_handbook_and_the_strategy_use_the_chosen_forms(path):
    assert glossary.problems(path.read_text(), "nn") == []


@pytest.mark.parametrize("path", TEXTS, ids=[p.name for p in TEXTS])
def test_each_section_speaks_to_the_reader_as_de_or_as_du_not_both(path):
    assert glossary.mixed_address(path.read_text()) == []


def test_what_the_handbook_shows_from_the_portal_uses_the_chosen_forms():
    texts = [reason for _policy, reason in shipped.PLATFORM_TERMS.values()]
    texts += [label for label, _kind in shipped.PLACEHOLDERS.values()]
    for text in texts:
        assert glossary.problems(text, "nn") == [], text


def test_times_in_the_texts_are_written_the_norwegian_way():
    for path in TEXTS:
        for match in re.finditer(r"kl\. (\S+)", path.read_text()):
            assert re.fullmatch(r"\d{2}\.\d{2}[.,]?", match.group(1)), (path.name, match.group(0))


@pytest.mark.parametrize(
    "slip",
    [
        "Vi skriv slik ein kollega ville snakka med ein pasient.",  # a-infinitive
        "Vise fram kvardagsheltar i kulissane.",
        "To innlegg i veka: éin «Møt ein gjevar» (med samtykke).",
        "Slik at alle kan stadfeste at kontoen er ekte.",
        "Visningsnamnet skal følgje mønsteret.",
        "Planen for sosiale medium.",
        "Rådgivaren svarar innan kl. 10:04.",
        "### 4. Innhold",
        "Vi vil gi råd til enheten og lederen.",
        "Dei tre kontoer har ein innlegg kvar.",
    ],
)
def test_the_slips_found_in_review_and_their_kind_are_caught(slip):
    assert glossary.problems(slip, "nn")


def test_mixed_address_is_caught_but_quotes_and_chapter_titles_are_not():
    assert glossary.mixed_address("## Bakgrunn\n\nDe tek bildet. Det du ikkje ser, ser andre.") == ["Bakgrunn"]
    assert glossary.mixed_address("## Svar\n\nDe svarar: «Takk for at du skreiv.»\n\n> Du kan ringje oss.") == []
    assert glossary.mixed_address("## Lenkje\n\nDu finn meir i [FØR de startar](kapittel:for-de-startar).") == []
