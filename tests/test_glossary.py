"""One vocabulary (docs/glossary.toml) across the portal, its e-mails and the handbook.

Checked against the same rules (core.glossary): the texts written in Nynorsk that ship with the
portal (the strategy, the handbook's chapters, and what the handbook shows from the platform
terms and placeholders); every translation catalogue, each language against its own rules; and
every e-mail template, in each language it is sent in, through the catalogue entries it uses."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation.template import templatize

from core import glossary
from facts import shipped

from .catalogues import LANGUAGES, LOCALE_DIRS, project_catalogue, read_po

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
        "Slå på tofaktorautentisering for alle.",
        "Vi svarar ikkje på spørsmål om einskildpasientar.",
        "Operasjonen blei utsett.",
        "Planen er sendt til leiaren.",
        "Leiaren har send planen.",
        "Merk han som avslutta i registeret.",
        "Publiser eit innlegg om at kontoen blir avslutta.",
        "Vi er uroa for deg etter det du skriv.",
        "Sjå kapittelet FØR de startar.",
        "Oppgje gjennomsnittleg svartid.",
    ],
)
def test_the_slips_found_in_review_and_their_kind_are_caught(slip):
    assert glossary.problems(slip, "nn")


@pytest.mark.parametrize(
    "text",
    [
        "> «Ingen sa noko om kvifor operasjonen blei utsett!»",  # the public's own words, quoted
        "Planen er send til leiaren, og leiaren har sendt han vidare.",
        "Eit utkast som aldri er sendt, kan slettast.",
        "Kontoen er lagd ned. Før de startar, les planen. Vi er urolege for deg.",
        "Median svartid og tofaktorinnlogging for enkeltpasientar.",
    ],
)
def test_the_chosen_forms_and_quoted_words_pass(text):
    assert glossary.problems(text, "nn") == []


# -- The catalogues ----------------------------------------------------------------------------

CATALOGUES = [
    (directory / language / "LC_MESSAGES" / "django.po", language)
    for directory in LOCALE_DIRS
    for language in LANGUAGES
    if (directory / language / "LC_MESSAGES" / "django.po").exists()
]


def _where(po: Path) -> str:
    """ "locale" for the project's catalogue, the app's name for an app's own."""
    return po.relative_to(settings.BASE_DIR).parts[0]


def _catalogue_problems(po: Path, language: str) -> list[tuple]:
    found = []
    for msgid, entry in read_po(po).items():
        for text in entry.translated:
            found += [(msgid[:60], rule, form) for rule, form in glossary.problems(text, language)]
    return found


@pytest.mark.parametrize(
    ("po", "language"), CATALOGUES, ids=[f"{_where(po)}-{language}" for po, language in CATALOGUES]
)
def test_every_catalogue_uses_the_chosen_forms_of_its_language(po, language):
    assert read_po(po)
    assert _catalogue_problems(po, language) == []


def test_every_app_catalogue_is_checked():
    assert {_where(po) for po, _ in CATALOGUES} >= {
        "locale", "courses", "evaluations", "facts", "organisation"
    }  # fmt: skip
    assert {language for _, language in CATALOGUES} == set(LANGUAGES)


def test_the_catalogue_check_fails_on_a_rejected_form(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n\n'
        'msgid "Plans for social media"\nmsgstr "Planar for sosiale medium"\n\n'
        'msgid "Adviser"\nmsgstr "Rådgivar"\n\n'
        'msgid "Reject"\nmsgstr "Avslå"\n\n'
        'msgid "Approved"\nmsgstr ""\n"Planen er godkjent."\n\n'
        '#, fuzzy\nmsgid "Unit"\nmsgstr "Enhet"\n'
    )
    found = {form.casefold() for _msgid, _rule, form in _catalogue_problems(po, "nn")}
    assert found == {"sosiale medium", "rådgivar", "avslå", "planen er godkjent"}  # not the fuzzy one
    assert {form for _msgid, _rule, form in _catalogue_problems(po, "nb")} == {"sosiale medium", "Rådgivar", "Avslå"}


# -- The e-mails --------------------------------------------------------------------------------

EMAIL_DIRS = [Path(settings.BASE_DIR) / "templates" / "emails"]
EMAIL_DIRS += sorted(p for p in Path(settings.BASE_DIR).glob("*/templates/emails") if p.is_dir())
EMAIL_TEMPLATES = sorted(p for d in EMAIL_DIRS for p in d.rglob("*") if p.suffix in (".txt", ".html"))


STRING = r"u?'(?:[^'\\]|\\.)*'" + r'|u?"(?:[^"\\]|\\.)*"'
CALL = re.compile(rf"\b(n?p?gettext)\(((?:\s*(?:{STRING})\s*,?)+)")


def email_messages(path: Path) -> list[str]:
    """The message ids a template translates, as makemessages finds them (a plural's entry is
    found by its singular id, and holds both)."""
    found = []
    for function, arguments in CALL.findall(templatize(path.read_text())):
        strings = [ast.literal_eval(s) for s in re.findall(STRING, arguments)]
        found.append(strings[1 if function in ("pgettext", "npgettext") else 0])
    return found


def test_every_e_mail_template_is_found_and_read():
    names = {p.parent.name for p in EMAIL_TEMPLATES}
    assert {"plan_decision", "account_needs_editor", "evaluation_due", "session_reminder", "org_sync_report"} <= names
    assert "Hello %(name)s," in email_messages(Path(settings.BASE_DIR) / "templates/emails/plan_decision/body.txt")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_e_mail_uses_the_chosen_forms_in_each_language_it_is_sent_in(language):
    catalogue = project_catalogue(language)
    found, untranslated = [], []
    for path in EMAIL_TEMPLATES:
        name = str(path.relative_to(settings.BASE_DIR))
        for msgid in email_messages(path):
            # The English text is what the English catalogue gives, and what the code says.
            texts = catalogue[msgid].translated if msgid in catalogue else []
            if not texts:
                untranslated.append((name, msgid[:60]))
            if language == "en":
                texts = [*texts, msgid, catalogue[msgid].plural if msgid in catalogue else ""]
            for text in texts:
                found += [(name, rule, form) for rule, form in glossary.problems(text, language)]
        # What a template says outside its translated parts is the same in every language.
        literal = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}|<[^>]+>", " ", path.read_text(), flags=re.S)
        found += [(name, rule, form) for rule, form in glossary.problems(literal, language)]
    assert untranslated == []
    assert found == []


def test_the_e_mail_check_fails_on_a_rejected_form(tmp_path, settings):
    template = tmp_path / "body.txt"
    template.write_text('{% load i18n %}{% translate "Reject" %} {% blocktranslate %}Hello{% endblocktranslate %}')
    assert email_messages(template) == ["Reject", "Hello"]
    assert glossary.problems("Ny plan kl. 10:04", "nn")
    assert glossary.problems("The plan was rejected.", "en")


# -- Times ---------------------------------------------------------------------------------------

HARD_CODED_TIME = re.compile(r"H:i|%H:%M|\{[^}]*:[^}]*%H:%M")
NOT_SHOWN = ("config/formats/", "/migrations/", "tests/", "bench/", "demo/")


def test_no_time_format_is_hard_coded_where_people_read_it():
    """Times reach people through the named formats (config/formats/: "kl. 10.04" in Norwegian),
    never through a format written into a template, an e-mail, a PDF or the code."""
    base = Path(settings.BASE_DIR)
    found = []
    skipped = {".venv", "node_modules", "var", "static", ".git"}
    roots = [p for p in base.iterdir() if p.is_dir() and p.name not in skipped]
    for path in sorted(p for root in roots for p in root.rglob("*") if p.suffix in (".py", ".html", ".txt")):
        name = str(path.relative_to(base))
        if any(part in name for part in NOT_SHOWN):
            continue
        found += [(name, match.group(0)) for match in HARD_CODED_TIME.finditer(path.read_text())]
    assert found == []


def test_mixed_address_is_caught_but_quotes_and_chapter_titles_are_not():
    assert glossary.mixed_address("## Bakgrunn\n\nDe tek bildet. Det du ikkje ser, ser andre.") == ["Bakgrunn"]
    assert glossary.mixed_address("## Svar\n\nDe svarar: «Takk for at du skreiv.»\n\n> Du kan ringje oss.") == []
    assert glossary.mixed_address("## Lenkje\n\nDu finn meir i [FØR de startar](kapittel:for-de-startar).") == []
