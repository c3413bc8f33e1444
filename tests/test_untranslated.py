"""No words of another language reach people.

Every page the portal shows, for each role, is rendered in Bokmål, Nynorsk and English (found by
following the links from the front page, plus pages with errors and messages), and so is every
e-mail a person gets. The test fails on any text that belongs to another language: a message id
left untranslated (English on a Norwegian page, "Not yet ticked:" in Bokmål), the Bokmål a
Nynorsk page falls back on when its catalogue lacks a message, Norwegian on an English page, and
Django's generic wording where the portal has its own. It reads the pages, not the catalogues: a
string missing from them, marked wrongly in the code, or built with an f-string shows here.

Text marked as another language (`lang="nn"` on the handbook's chapters, the language names in
the switcher) is left out, as are the hospital's own words for the plan template, which stay as
the hospital wrote them in every language.
"""

import ast
import re
from collections import Counter
from functools import cache
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from core import fallback_messages
from core.models import OutboundEmail
from plans import services as plan_services
from plans import template_text
from registry import reports
from registry.models import Report

from .catalogues import LANGUAGES, django_catalogue, fragments, page_text, project_catalogue

# Names that are the same in every language of the portal.
PROPER_NAMES = ["Haukeland universitetssjukehus", "SoMe-portalen", "Plan for sosiale medier", "Helse Bergen"]

# A fixed part this long (and of two words or more) is looked for inside a block of text;
# shorter ones only as a whole block ("Edit" alone in a button), so a short word that two
# languages happen to share inside longer text does not count.
LONG = 12


def _template_words() -> list[str]:
    found = []
    for value in vars(template_text).values():
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, template_text.TemplateField):
            found += [value.name, value.guidance]
        elif isinstance(value, tuple | list):
            found += [v.name for v in value if isinstance(v, template_text.TemplateField)]
            found += [v.guidance for v in value if isinstance(v, template_text.TemplateField)]
    found.append(template_text.closing_note())
    # The handbook is in Nynorsk in every language: its chapter titles are names (a course's
    # reading list names them, say), not text to translate.
    for chapter in sorted((Path(settings.BASE_DIR) / "handbook" / "content").glob("*.md")):
        found.append(chapter.read_text().splitlines()[0].lstrip("# ").strip())
    return found


def _overridden_ids() -> set[str]:
    """The Django message ids the portal words itself (core/fallback_messages.py)."""
    tree = ast.parse(Path(fallback_messages.__file__).read_text())
    return {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}


@cache
def _catalogues():
    return {language: project_catalogue(language) for language in LANGUAGES}


@cache
def foreign_words(language: str) -> tuple[frozenset, frozenset]:
    """(long, short) fixed parts of messages that may not appear on a page in `language`."""
    catalogues = _catalogues()
    own_strings = set()
    for entry in catalogues[language].values():
        own_strings.update(entry.translated)
    own = {f for text in own_strings for f in fragments(text)}
    allowed = {f for text in PROPER_NAMES + _template_words() for f in fragments(text)}

    candidates = set()
    for other, entries in catalogues.items():
        for entry in entries.values():
            candidates.update(fragments(entry.msgid))
            if entry.plural:
                candidates.update(fragments(entry.plural))
            if other != language:
                for text in entry.translated:
                    candidates.update(fragments(text))
    # Django's own words for the messages the portal words itself, in every language.
    overridden = _overridden_ids()
    for other in LANGUAGES:
        for msgid, entry in django_catalogue(other).items():
            if msgid in overridden:
                candidates.update(fragments(msgid))
                for text in entry.translated:
                    candidates.update(fragments(text))

    foreign = {f for f in candidates - own - allowed if re.search(r"[^\W\d_]{2}", f)}
    long = {f for f in foreign if len(f) >= LONG and " " in f}
    # A long part that is also inside a message of this language may be read there.
    long = {f for f in long if not any(f in text for text in own_strings)}
    allowed_text = " ".join(PROPER_NAMES + _template_words())
    long = {f for f in long if f not in allowed_text}
    return frozenset(long), frozenset(foreign - long)


# Bokmål forms that are never Nynorsk: a Nynorsk page (or catalogue) with one of them has
# a message that fell back on Bokmål or was translated into Bokmål.
BOKMAL_ONLY = {
    "ikke", "hva", "hvordan", "hvorfor", "hvem", "hvis", "jeg", "noen", "mye", "fra", "enhet", "enheten",
    "enheter", "leder", "lederen", "ledere", "rådgiver", "rådgivere", "kontoer", "kontoene", "plattformer",
    "meldinger", "kommentarer", "sykehus", "sykehuset", "gi", "innholdet", "dere", "deres", "hennes", "ble",
    "være", "vært", "bare", "medier",
}  # fmt: skip
# ... and what the brief forbids in Nynorsk.
NOT_NYNORSK = ["sosiale medium"]


def bokmal_in(text: str) -> list[str]:
    for name in PROPER_NAMES + _template_words():
        text = text.replace(name, " ")
    found = [word for word in re.findall(r"[^\W\d_]+", text.casefold()) if word in BOKMAL_ONLY]
    return found + [phrase for phrase in NOT_NYNORSK if phrase in text.casefold()]


def leaks(blocks: list[str], language: str) -> list[str]:
    long, short = foreign_words(language)
    found = []
    for block in blocks:
        found += [f"{f!r} in {block[:160]!r}" for f in long if f in block]
        if block in short or block.rstrip(".:!?") in short:
            found.append(f"{block!r}")
        if language == "nn":
            found += [f"Bokmål {word!r} in {block[:160]!r}" for word in bokmal_in(block)]
    return found


def test_the_nynorsk_catalogue_has_no_bokmal():
    """Each Nynorsk translation is Nynorsk (the pages check what the crawl reaches; this, all)."""
    found = []
    for msgid, entry in _catalogues()["nn"].items():
        for text in entry.translated:
            if words := bokmal_in(text):
                found.append((msgid[:60], words))
    assert found == []


def test_the_check_finds_what_it_should():
    """The check itself: English, Bokmål fallbacks and Django's generic wording are caught."""
    assert leaks(["Kontoen kan ikke bli aktiv. Not yet ticked: Visningsnavnet"], "nb")
    assert leaks(["Edit"], "nb")
    assert leaks(["Alle plattformer"], "nn")
    assert leaks(["Feltet er påkrevet."], "nb")
    assert leaks(["Endre"], "en")
    assert not leaks(["Endre", "Alle plattformer", "Plan for sosiale medier for: Blodbanken"], "nb")
    assert not leaks(["Edit", "Plan for sosiale medier for: Blodbanken"], "en")


# -- The pages ---------------------------------------------------------------------------------

ROLES = ["anonymous", "member", "leader", "adviser"]
PER_VIEW = 3  # different addresses of one page kind (three plans' pages are enough)
MAX_PAGES = 120
SKIP = re.compile(r"^/(admin|logg-ut|api/v1/.)|\.(pdf|docx|csv|xlsx)$|/pdf/$|format=|/vedlegg/|/eksport/")


@pytest.fixture
def world(cast, make_plan, make_account, language, settings, tmp_path):
    """Something in every state: plans, accounts, reports, comments, e-mail."""
    settings.MAIL_CATCHER_DIR = tmp_path
    (tmp_path / "20261126-100000-000000-demo.eml").write_text(
        "Subject: Ny plan\nFrom: some@example.no\nTo: info@helse-bergen.no\n"
        "Date: Thu, 26 Nov 2026 10:00:00 +0100\n\nPlanen ligg ved.\n"
    )
    for person in ("member", "deputy", "leader", "other", "adviser"):
        cast[person].language = language
        cast[person].save(update_fields=["language"])
    plans = {status: make_plan(status) for status in ["draft", "awaiting_leader", "in_review", "approved", "rejected"]}
    revised = make_plan("changes_requested")
    plan_services.plan_resubmit(plan=revised, actor=cast["member"])
    plans["revised"] = revised
    plan_services.plan_comment_add(plan=revised, actor=cast["adviser"], body="Kven svarar i helgene?")
    accounts = {
        "setup": make_account(
            "https://www.facebook.com/blodbankenbergen", display_name="Blodbanken på Facebook", response_hours="8–15"
        ),
        "active": make_account(status="active", plan=plans["approved"], response_hours="Måndag–fredag 8–15"),
        "closed": make_account(
            "https://www.tiktok.com/@blodbanken",
            display_name="Blodbanken på TikTok",
            status="closed",
            response_hours="8–15",
        ),
    }
    reports.report_submit(
        url="https://www.instagram.com/blodb%D0%B0nken_bergen/", what_is_wrong="Kopierer namnet.", client_key="a"
    )
    reports.report_submit(url="ikkje ei adresse", what_is_wrong="Rart.", client_key="b")
    return {"plans": plans, "accounts": accounts}


def _links(html: str, base: str) -> list[str]:
    found = []
    for href in re.findall(r'<a [^>]*href="([^"#]+)', html):
        parts = urlsplit(urljoin(base, href.replace("&amp;", "&")))
        if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(path):
            found.append(path)
    return found


def _crawl(client, seeds):
    """Every page reachable from the seeds: (address, HTML). A few of each kind."""
    seen, pages, per_view, queue = set(), [], Counter(), list(seeds)
    while queue and len(pages) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            view = resolve(urlsplit(path).path).view_name
        except Resolver404:
            view = "404"
        if per_view[view] >= PER_VIEW:
            continue
        per_view[view] += 1
        response = client.get(path)
        if response.status_code in (301, 302) or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages.append((path, html))
        queue += [link for link in _links(html, path) if link not in seen]
    return pages


def _seeds(world) -> list[str]:
    accounts, plans = world["accounts"], world["plans"]
    return [
        "/",
        reverse("registry:verify") + "?q=https%3A%2F%2Fwww.instagram.com%2Fblodb%25D0%25B0nken_bergen%2F",
        reverse("registry:verify") + "?q=javascript%3Aalert(1)",
        reverse("registry:verify") + "?q=%40blodbanken_bergen",
        reverse("registry:report") + f"?kopi={accounts['active'].code}",
        reverse("handbook:search") + "?q=evaluering",
        reverse("handbook:search") + "?q=taushetsplikt",
        reverse("handbook:search") + "?q=og",
        reverse("registry:public_account", args=[accounts["setup"].code]),
        reverse("registry:public_account", args=[accounts["closed"].code]),
        reverse("plans:review", args=[plans["revised"].pk]),
        reverse("plans:compare", args=[plans["revised"].pk]),
        reverse("registry:create"),
        reverse("registry:import"),
        "/finst-ikkje/",
    ]


def _actions(client, role, world) -> list[tuple[str, str]]:
    """Pages after bad input or an action: errors and messages, in the page's language."""
    done = []

    def post(url, data):
        response = client.post(url, data, follow=True)
        done.append((f"POST {url}", response.content.decode()))

    if role == "anonymous":
        post(reverse("registry:report"), {"url": "", "what_is_wrong": "", "contact_email": "ikkje-ei-adresse"})
        post(reverse("registry:report"), {"url": "https://www.instagram.com/kopi/", "what_is_wrong": "Kopi."})
        post(reverse("accounts:login"), {"username": "nokon@example.no", "password": "feil"})
    if role == "adviser":
        setup = world["accounts"]["setup"]
        post(reverse("registry:action", args=[setup.pk, "activate"]), {"on": ""})
        post(reverse("registry:action", args=[setup.pk, "close"]), {"on": "31.02.2026"})
        post(reverse("registry:edit", args=[setup.pk]), {"address": "https://www.facebook.com/search/top?q=blod"})
        post(reverse("registry:create") + f"?unit={setup.unit_id}", {"unit": setup.unit_id})
        report = Report.objects.order_by("pk").first()
        post(reverse("registry:report_detail", args=[report.pk]), {"status": "fake", "note": ""})
        post(reverse("registry:import"), {})
        post(reverse("handbook:edit", args=["evaluering"]), {"revision": "1", "title": "", "body": ""})
        post(reverse("handbook:chapter_new"), {"title": ""})
    if role in ("member", "adviser"):
        post(reverse("plans:comment", args=[world["plans"]["revised"].pk]), {"body": ""})
    return done


def _client(client, role, cast, language):
    client.logout()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if role != "anonymous":
        client.force_login(cast[role])
    return client


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_speaks_one_language(language, world, cast, client):
    problems = []
    visited = 0
    for role in ROLES:
        client = _client(client, role, cast, language)
        pages = _actions(client, role, world) + _crawl(client, _seeds(world))
        visited += len(pages)
        for path, html in pages:
            assert f'<html lang="{language}"' in html, path
            problems += [f"{role} {path}: {leak}" for leak in leaks(page_text(html, language), language)]
    assert visited > 60  # the crawl reached the portal, not just the front page
    assert problems == [], "\n".join(sorted(set(problems)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_e_mail_speaks_its_readers_language(language, world, cast, client):
    # A few more kinds of e-mail: a decision with a comment, and a report for the department.
    plan_services.plan_request_changes(
        plan=world["plans"]["in_review"], actor=cast["adviser"], comment="Skriv meir om ressursane."
    )
    readers = {cast[p].email for p in ("member", "deputy", "leader", "other", "adviser")}
    emails = [e for e in OutboundEmail.objects.all() if set(e.to) & readers]
    assert len({e.template for e in emails}) >= 4
    problems = []
    for email in emails:
        blocks = [email.subject, *page_text(email.body_html, language)]
        blocks += [" ".join(line.split()) for line in email.body_text.splitlines() if line.strip()]
        problems += [f"{email.template}: {leak}" for leak in leaks(blocks, language)]
        assert f'<html lang="{language}"' in email.body_html, email.template
    assert problems == [], "\n".join(sorted(set(problems)))
