"""Whole public pages kept for anonymous visitors (core/pagecache.py): the same answer as the page
would give, right at once after every change to what it shows, in each language apart, and never
for a logged-in person or a page with a CSRF token.

Whether an answer came from the cache is seen from its queries: a kept page costs the one query
to the cache table (the generations and the page together), a page made afresh costs more.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.services import unit_save
from handbook import services as handbook_services
from handbook.models import Document
from platforms.profiles import read_profile
from registry import services
from registry.models import AccountStatus

from .registry_helpers import details
from .test_shared_cache import shipped_handbook  # noqa: F401  (the fixture)

URL = "https://www.instagram.com/blodbanken_bergen/"


def ask(client, path, data=None):
    """The answer and how many queries it cost."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, data)
    return response, len(queries)


def test_a_visitors_public_page_is_kept_whole_with_its_headers(client, make_account):
    account = make_account(status=AccountStatus.ACTIVE)
    for path in (
        reverse("core:home"),
        reverse("registry:public_list"),
        reverse("registry:public_account", args=[account.code]),
        reverse("registry:verify") + "?q=" + URL,
        reverse("api:verify") + "?url=" + URL,
        reverse("api:accounts"),
    ):
        made, made_queries = ask(client, path)
        kept, kept_queries = ask(client, path)
        assert made.status_code == kept.status_code == 200, path
        assert kept.content == made.content, path
        assert kept_queries == 1 < made_queries, path
        for header in ("Content-Type", "Content-Security-Policy", "Vary", "Content-Language", "X-Frame-Options"):
            assert kept.get(header) == made.get(header), (path, header)
        assert "Cookie" in kept["Vary"] or "Accept-Language" in kept["Vary"], path
        assert not kept.cookies, path
        assert "csrfmiddlewaretoken" not in kept.content.decode(), path


def test_a_refused_link_is_kept_too(client, catalogue):
    path = reverse("registry:verify") + "?q=https://www.instagram.com/p/C0ffee123/"
    made, _queries = ask(client, path)
    kept, queries = ask(client, path)
    assert made.status_code == kept.status_code == 400 and kept.content == made.content and queries == 1


def test_register_rename_and_close_are_on_every_public_page_at_once(client, make_account, cast):
    verify_page = reverse("registry:verify") + "?q=" + URL
    verify_api = reverse("api:verify") + "?url=" + URL
    public_list = reverse("registry:public_list")
    assert client.get(verify_api).json()["result"] == "unknown"
    assert "Gje blod i Bergen" not in client.get(public_list).content.decode()
    client.get(verify_page)

    account = make_account(status=AccountStatus.ACTIVE, display_name="Gje blod i Bergen")
    account_page = reverse("registry:public_account", args=[account.code])
    assert client.get(verify_api).json()["result"] == "official"
    assert client.get(verify_page).context["verdict"] == "official"
    assert "Gje blod i Bergen" in client.get(public_list).content.decode()
    assert "Gje blod i Bergen" in client.get(account_page).content.decode()

    services.account_update(
        account=account,
        actor=cast["adviser"],
        profile=read_profile(URL),
        details=details(cast, display_name="Blodbanken – Haukeland"),
    )
    assert client.get(verify_api).json()["account"]["display_name"] == "Blodbanken – Haukeland"
    assert "Blodbanken – Haukeland" in client.get(public_list).content.decode()
    assert "Blodbanken – Haukeland" in client.get(account_page).content.decode()

    services.account_transition(account=account, actor=cast["adviser"], action="close")
    assert client.get(verify_api).json()["result"] == "closed"
    assert client.get(verify_page).context["verdict"] == "closed"
    assert "Blodbanken – Haukeland" not in client.get(public_list).content.decode()


def test_a_renamed_unit_is_on_the_kept_account_page_at_once(client, make_account, cast):
    account = make_account(status=AccountStatus.ACTIVE)
    page = reverse("registry:public_account", args=[account.code])
    assert cast["unit"].name in client.get(page).content.decode()
    cast["unit"].name = "Blodbanken i Bergen og Voss"
    unit_save(unit=cast["unit"], actor=cast["admin"], changed=["name"])
    assert "Blodbanken i Bergen og Voss" in client.get(page).content.decode()


def test_a_published_chapter_is_on_its_kept_page_at_once(client, cast, shipped_handbook):  # noqa: F811
    chapter = Document.objects.published().chapters().first()
    page = chapter.get_absolute_url()
    assert "sjokoladekake" not in client.get(page).content.decode()
    assert ask(client, page)[1] == 1  # kept
    handbook_services.document_save_draft(
        document=chapter,
        actor=cast["adviser"],
        revision=chapter.draft_revision,
        title=chapter.draft_title,
        body=chapter.draft_body + "\n\nVi bakar sjokoladekake til dei nye blodgjevarane.",
    )
    assert "sjokoladekake" not in client.get(page).content.decode()  # a draft is not published
    handbook_services.document_publish(document=Document.objects.get(pk=chapter.pk), actor=cast["adviser"])
    assert "sjokoladekake" in client.get(page).content.decode()


@pytest.mark.django_db
def test_each_language_is_kept_apart(catalogue):
    path = reverse("registry:public_list")
    seen = {}
    for language in ("nb", "nn", "en", "nb", "nn", "en", "xx"):
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(path)
        page = response.content.decode()
        shown = language if language != "xx" else "nb"  # an unknown language is Bokmål
        assert f'<html lang="{shown}"' in page and response["Content-Language"] == shown
        seen.setdefault(shown, set()).add(page)
    assert all(len(pages) == 1 for pages in seen.values())
    assert len({next(iter(pages)) for pages in seen.values()}) == 3


@pytest.mark.django_db
def test_the_apis_language_from_the_header_is_kept_apart(client, catalogue):
    post = reverse("api:verify") + "?url=https://www.instagram.com/p/C0ffee123/"
    english = client.get(post, HTTP_ACCEPT_LANGUAGE="en").json()
    norwegian = client.get(post, HTTP_ACCEPT_LANGUAGE="nn").json()
    again = client.get(post, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english == again and english["error"]["message"] != norwegian["error"]["message"]


def test_logged_in_pages_are_never_kept_nor_given_to_visitors(client, cast, make_account):
    make_account(status=AccountStatus.ACTIVE)
    path = reverse("registry:public_list")
    client.force_login(cast["adviser"])
    mine = client.get(path)
    assert "private" in mine["Cache-Control"] and cast["adviser"].full_name in mine.content.decode()
    visitor = Client()
    theirs, queries = ask(visitor, path)
    assert queries > 1  # made afresh: nothing of the logged-in answer was kept
    assert cast["adviser"].full_name not in theirs.content.decode()
    _again, queries = ask(client, path)
    assert queries > 1  # the visitor's kept page is not the logged-in person's either


@pytest.mark.django_db
def test_a_page_with_a_form_that_posts_is_never_kept(client, catalogue):
    report = reverse("registry:report")
    first, second = client.get(report), client.get(report)
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert first.content != second.content  # a token of its own each time


@pytest.mark.django_db
def test_a_visitor_with_a_session_or_a_message_is_answered_afresh(client, catalogue):
    path = reverse("registry:public_list")
    client.get(path)
    client.cookies[settings.SESSION_COOKIE_NAME] = "ukjend"
    assert ask(client, path)[1] > 1
    visitor = Client()
    visitor.cookies["messages"] = "noko"
    assert ask(visitor, path)[1] > 1


@pytest.mark.django_db
def test_a_visitor_switches_language_without_a_token_a_logged_in_person_with_one(cast):
    visitor = Client(enforce_csrf_checks=True)
    response = visitor.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en"' in visitor.get(reverse("core:home")).content.decode()

    person = Client(enforce_csrf_checks=True)
    person.force_login(cast["member"])
    refused = person.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    assert refused.status_code == 403
    cast["member"].refresh_from_db()
    assert cast["member"].language != "en"
    page = person.get(reverse("core:home")).content.decode()
    assert "csrfmiddlewaretoken" in page.split('class="portal-language"', 1)[1].split("</form>", 1)[0]


def cache_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM core_cache")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_junk_in_the_query_or_the_language_header_does_not_multiply_a_kept_page(catalogue):
    """The probe's 1,600 `?x=<random>` and 100 random Accept-Language values: each the same kept
    copy of the page, not a new row in the cache."""
    pages = {
        reverse("registry:public_list"): "text/html",
        reverse("registry:public_list") + "?q=blod&page=1": "text/html",
        reverse("api:accounts"): "application/json",
        reverse("handbook:search") + "?q=tiktok": "text/html",
    }
    kept = {}
    for path in pages:
        kept[path] = Client().get(path).content
        Client().get(path)
    rows = cache_rows()
    for n in range(40):
        for path in pages:
            junk = f"{'&' if '?' in path else '?'}x{n}=j{n}&utm_source=s{n}"
            response, queries = ask(Client(HTTP_ACCEPT_LANGUAGE=f"x-{n};q=0.{n % 9 + 1}, zz"), path + junk)
            assert response.status_code == 200, path
            assert response.content == kept[path], path  # the page as without the junk
            assert queries == 1, path  # from the kept copy
    assert cache_rows() == rows
    # The open API's language from the header: one kept copy for each of the three languages.
    api = reverse("api:platforms")
    for header in ("en", "en-GB,en;q=0.9", "nn-NO", "nn", "no", "nb-NO", "de", "", "fr;q=0.5", "*"):
        Client(HTTP_ACCEPT_LANGUAGE=header).get(api)
    assert cache_rows() - rows == 3  # nb, nn and en


@pytest.mark.django_db
def test_a_value_the_page_does_not_accept_is_answered_but_not_kept(catalogue):
    Client().get(reverse("registry:public_list"))
    rows = cache_rows()
    for path in (
        reverse("registry:public_list") + "?page=abc",
        reverse("registry:public_list") + "?page=1&page=2",
        reverse("registry:public_list") + "?q=" + "x" * 300,
        reverse("api:accounts") + "?page=zz",
        reverse("api:accounts") + "?lang=xx",
        reverse("api:accounts") + "?q=a%01b",
    ):
        first, _queries = ask(Client(), path)
        again, queries = ask(Client(), path)
        assert first.content == again.content and first.status_code == again.status_code, path
        assert queries != 1, path  # made afresh each time (a kept answer costs one query)
    assert cache_rows() == rows


def test_an_advisers_handbook_page_is_never_kept_for_the_public_nor_the_publics_for_the_adviser(
    client,
    cast,
    catalogue,
    shipped_handbook,  # noqa: F811
):
    from django.apps import apps

    from facts import services as facts_services
    from facts import shipped
    from facts.models import Placeholder, PlatformTerms

    shipped.load(PlatformTerms, Placeholder, apps.get_model("platforms", "Platform"))
    page = reverse("handbook:chapter", args=["bildebruk"])
    fill_in = reverse("facts:placeholder_edit", args=["samtykkeskjema"])
    assert "[Manglar" not in client.get(page).content.decode()
    assert ask(client, page)[1] == 1  # kept for visitors

    adviser = Client()
    adviser.force_login(cast["adviser"])
    shown, queries = ask(adviser, page)
    assert queries > 1 and "[Manglar: lenkja til samtykkeskjemaet for bilde og video]" in shown.content.decode()
    assert f'href="{fill_in}"' in shown.content.decode()
    kept, queries = ask(Client(), page)
    assert queries == 1 and "[Manglar" not in kept.content.decode() and fill_in not in kept.content.decode()

    # Filled in, it is on the kept page at once.
    facts_services.placeholder_update(key="samtykkeskjema", actor=cast["adviser"], value="https://skjema.example.no/")
    shown = Client().get(page).content.decode()
    assert '<a href="https://skjema.example.no/" rel="noopener noreferrer">samtykkeskjemaet</a>' in shown


def test_a_renamed_organisation_is_on_the_kept_pages_at_once(client, cast, make_account):
    """The organisation's name and mailbox are on every public page: changing them forgets the kept ones."""
    from accounts.organisations import default
    from accounts.services import organisation_save

    account = make_account(status=AccountStatus.ACTIVE)
    pages = [
        reverse("core:home"),
        reverse("registry:public_list"),
        reverse("registry:public_account", args=[account.code]),
    ]
    for path in pages:
        client.get(path)
        assert ask(client, path)[1] == 1, path  # kept
    organisation = default()
    organisation.name = "Helse Vestlandet"
    organisation.mailbox = "kommunikasjon@helse-vestlandet.example"
    organisation_save(organisation=organisation, actor=cast["admin"], changed=["name", "mailbox"])
    for path in pages:
        page = client.get(path).content.decode()
        assert "Helse Vestlandet" in page and "kommunikasjon@helse-vestlandet.example" in page, path
