"""The open API under /api/v1/: what it answers, how it refuses, and what it never tells."""

import json
import threading
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from accounts import organisations
from accounts.models import Unit
from core import caching
from platforms.profiles import NotAProfile, read_profile
from registry.api import schemas
from registry.models import Account, AccountStatus
from registry.verification import CACHE_NAME

from .browser import assert_accessible
from .conftest import make_user


@pytest.fixture(autouse=True)
def answers_made_afresh(settings):
    """These tests count the API's own queries; whole answers kept for visitors are tested in
    test_public_page_cache.py."""
    settings.PUBLIC_PAGE_CACHE = False


pytestmark = pytest.mark.django_db


@pytest.fixture
def register_generation(db):
    """The register's answers have a generation, as in a running portal (its first change to
    the register drew one), so a count below is of an answer made afresh, not also of starting
    the generation after the cache was emptied."""
    caching.renew(CACHE_NAME)


ACCOUNT_KEYS = {
    "code",
    "url",
    "handle",
    "display_name",
    "purpose",
    "languages",
    "platform",
    "unit",
    "organisation",
    "status",
    "live_since",
    "closed_on",
    "register_url",
    "response_hours",
    "response_time",
}


@pytest.fixture
def people(cast):
    """An editor and a deputy whose names and addresses would stand out anywhere."""
    return {
        "editor": make_user("zebulon.privat@example.no", "Zebulon Quistgaard"),
        "deputy": make_user("xenia.privat@example.no", "Xenia Wolderbeek"),
    }


@pytest.fixture
def make_account(cast, people, catalogue):
    """An account straight into the register, in any status."""

    def make(url="https://www.instagram.com/blodbanken_bergen/", *, status="active", platform=None, **fields):
        profile = read_profile(url, platform=catalogue[platform] if platform else None)
        values = {
            "display_name": "Blodbanken i Bergen",
            "purpose": "Vi rekrutterer blodgivarar.",
            "languages": ["nn", "nb"],
            "unit": cast["unit"],
            "editor": people["editor"],
            "login_email": f"innlogging.{profile.key}@mailbox-example.no",
            "response_hours": "Kvardagar 08–15",
            "response_time": "Innan éin arbeidsdag",
            "live_since": date(2024, 3, 1) if status != AccountStatus.SETUP else None,
            "closed_on": date(2025, 6, 30) if status == AccountStatus.CLOSED else None,
        }
        values.update(fields)
        account = Account.objects.create(
            platform=profile.platform if not isinstance(profile.platform, str) else catalogue[profile.platform],
            handle=profile.handle,
            handle_key=profile.key,
            url=profile.url,
            status=status,
            **values,
        )
        account.deputies.set([people["deputy"]])
        return account

    return make


def get(client, name, *args, **query):
    return client.get(reverse(f"api:{name}", args=args), query)


def error_code(response):
    return response.json()["error"]["code"]


# The list


def test_the_list_holds_active_accounts_only(client, make_account):
    active = make_account()
    make_account("https://www.facebook.com/blodbankenbergen", status=AccountStatus.SETUP, display_name="Oppsett")
    make_account("https://www.tiktok.com/@blodbanken", status=AccountStatus.PAUSED, display_name="Pause")
    make_account("https://x.com/blodbanken", status=AccountStatus.CLOSED, display_name="Nedlagt")
    response = get(client, "accounts")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["count"] == 1 and data["page"] == 1 and data["page_size"] == schemas.PAGE_SIZE
    assert data["next"] is None and data["previous"] is None
    [item] = data["results"]
    assert set(item) == ACCOUNT_KEYS
    assert item["code"] == active.code
    assert item["url"] == active.url
    assert item["platform"] == {"slug": "instagram", "name": "Instagram"}
    assert item["organisation"] == {"slug": "helse-bergen", "name": "Helse Bergen"}
    assert item["unit"] == {"id": active.unit_id, "name": "Blodbanken i Bergen"}
    assert item["status"] == "active"
    assert item["live_since"] == "2024-03-01" and item["closed_on"] is None
    assert item["languages"] == ["nn", "nb"]
    assert item["register_url"] == settings.SITE_URL + reverse("registry:public_account", args=[active.code])


def test_the_list_filters_as_the_public_page_does(client, cast, make_account):
    first = make_account()
    second = make_account("https://www.facebook.com/hjartebergen", display_name="Hjarte på Facebook")
    third = make_account("https://www.tiktok.com/@hjarte", display_name="Hjarteavdelinga", unit=cast["other_unit"])

    def codes(**query):
        response = get(client, "accounts", **query)
        assert response.status_code == 200, response.content
        return {item["code"] for item in response.json()["results"]}

    assert codes(q="HJARTE") == {second.code, third.code}
    assert codes(q="  hjarte på ") == {second.code}
    assert codes(platform="instagram") == {first.code}
    assert codes(unit=cast["unit"].pk) == {first.code, second.code}
    assert codes(unit=cast["other_unit"].pk, q="hjarte") == {third.code}
    assert codes(unit=cast["trust"].pk) == set()
    assert codes(platform="facebook", unit=cast["other_unit"].pk) == set()


def test_the_list_is_in_order_of_display_name(client, make_account):
    for name, handle in [("Cecilie", "c"), ("Anne", "a"), ("Bjørn", "b"), ("Anne", "a2")]:
        make_account(f"https://www.instagram.com/{handle}konto/", display_name=name)
    names = [item["display_name"] for item in get(client, "accounts").json()["results"]]
    assert names == ["Anne", "Anne", "Bjørn", "Cecilie"]


def test_pages(client, make_account):
    for number in range(5):
        make_account(f"https://www.instagram.com/konto{number}/", display_name=f"Konto {number}")
    first = get(client, "accounts", page_size=2, q="konto").json()
    assert first["count"] == 5 and len(first["results"]) == 2 and first["previous"] is None
    assert first["next"].startswith(settings.SITE_URL + reverse("api:accounts") + "?")
    second = client.get(first["next"]).json()
    assert second["page"] == 2 and "q=konto" in first["next"] and "page_size=2" in first["next"]
    assert [item["display_name"] for item in second["results"]] == ["Konto 2", "Konto 3"]
    last = client.get(second["next"]).json()
    assert last["page"] == 3 and len(last["results"]) == 1 and last["next"] is None
    assert client.get(last["previous"]).json() == second

    beyond = get(client, "accounts", page_size=2, page=4)
    assert beyond.status_code == 404 and error_code(beyond) == "page_not_found"


def test_an_empty_register_has_one_empty_page(client, catalogue):
    data = get(client, "accounts").json()
    assert data["count"] == 0 and data["results"] == []
    assert get(client, "accounts", page=2).status_code == 404


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ({"page": "0"}, "bad_parameter"),
        ({"page": "x"}, "bad_parameter"),
        ({"page": "-1"}, "bad_parameter"),
        ({"page": "1.5"}, "bad_parameter"),
        ({"page": ""}, "bad_parameter"),
        ({"page": "99999999999"}, "bad_parameter"),
        ({"page_size": "0"}, "bad_parameter"),
        ({"page_size": str(schemas.MAX_PAGE_SIZE + 1)}, "bad_parameter"),
        ({"unit": "blodbanken"}, "bad_parameter"),
        ({"q": "x" * (schemas.MAX_QUERY + 1)}, "bad_parameter"),
        ({"q": "blod\x00banken"}, "bad_parameter"),
        ({"platform": "myspace"}, "unknown_platform"),
        ({"platform": ""}, "unknown_platform"),
        ({"lang": "de"}, "bad_parameter"),
    ],
)
def test_bad_parameters_are_400_with_a_reason(client, make_account, query, code):
    make_account()
    response = get(client, "accounts", **query)
    assert response.status_code == 400
    assert error_code(response) == code
    assert response.json()["error"]["message"]


def test_the_page_size_may_be_the_largest(client, make_account):
    make_account()
    assert get(client, "accounts", page_size=schemas.MAX_PAGE_SIZE).json()["page_size"] == schemas.MAX_PAGE_SIZE


def test_the_lists_query_count_does_not_grow_with_the_register(client, cast, make_account, django_assert_num_queries):
    for number in range(3):
        make_account(f"https://www.instagram.com/konto{number}/", display_name=f"Konto {number}")
    with django_assert_num_queries(2):  # the ids, then the page's rows
        get(client, "accounts")
    for number in range(3, 30):
        make_account(f"https://www.instagram.com/konto{number}/", display_name=f"Konto {number}")
    with django_assert_num_queries(2):
        assert len(get(client, "accounts").json()["results"]) == 30
    with django_assert_num_queries(3):  # and the platform
        get(client, "accounts", platform="instagram", unit=cast["unit"].pk, q="konto")


def test_a_large_register_is_counted_and_paged(
    client, make_account, monkeypatch, django_assert_num_queries, register_generation
):
    monkeypatch.setattr("registry.api.endpoints.FIRST_IDS", 4)  # as if the register were large
    for number in range(10):
        make_account(f"https://www.instagram.com/konto{number}/", display_name=f"Konto {number}")
    with django_assert_num_queries(5):  # the first ids, the shared cache, COUNT, remembering it, the page's rows
        data = get(client, "accounts", page_size=2, page=2).json()
    assert data["count"] == 10 and [item["display_name"] for item in data["results"]] == ["Konto 2", "Konto 3"]
    with django_assert_num_queries(4):  # the first ids, the count remembered, the ids of a page further on, its rows
        data = get(client, "accounts", page_size=2, page=5).json()
    assert [item["display_name"] for item in data["results"]] == ["Konto 8", "Konto 9"]
    assert data["next"] is None
    response = get(client, "accounts", page_size=2, page=6)
    assert response.status_code == 404 and "5" in response.json()["error"]["message"]


# One account


@pytest.mark.parametrize("status", [AccountStatus.ACTIVE, AccountStatus.PAUSED, AccountStatus.CLOSED])
def test_one_account_whatever_its_status(client, make_account, status):
    account = make_account(status=status)
    response = get(client, "account", account.code)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == ACCOUNT_KEYS
    assert data["code"] == account.code and data["status"] == status
    if status == AccountStatus.CLOSED:
        assert data["closed_on"] == "2025-06-30"
    assert get(client, "account", account.code.upper()).json() == data


def test_an_account_being_set_up_or_unknown_is_404(client, make_account, django_assert_max_num_queries):
    setup = make_account(status=AccountStatus.SETUP)
    for code in [setup.code, "zzzzzz"]:
        with django_assert_max_num_queries(1):
            response = get(client, "account", code)
        assert response.status_code == 404
        assert response["Content-Type"] == "application/json"
        assert error_code(response) == "not_found"


# Is this account official?


def verify(client, url=None, **query):
    if url is not None:
        query["url"] = url
    return client.get(reverse("api:verify"), query)


@pytest.mark.parametrize(
    ("status", "result"),
    [
        (AccountStatus.ACTIVE, "official"),
        (AccountStatus.PAUSED, "official"),
        (AccountStatus.CLOSED, "closed"),
        (AccountStatus.SETUP, "unknown"),
    ],
)
def test_verify_by_address(client, make_account, status, result, django_assert_max_num_queries, register_generation):
    account = make_account(status=status)
    with django_assert_max_num_queries(4):  # the shared cache, the catalogue, the account, remembering it
        verify(client, "instagram.com/BLODBANKEN_BERGEN?utm_source=x")
    with django_assert_max_num_queries(1):  # asked again: the shared cache alone
        response = verify(client, "instagram.com/BLODBANKEN_BERGEN?utm_source=x")
    assert response.status_code == 200
    data = response.json()
    assert data["result"] == result
    assert data["profile"]["url"] == account.url
    assert data["profile"]["platform"] == {"slug": "instagram", "name": "Instagram"}
    assert isinstance(data["profile"]["lookalikes"], list)
    if result == "unknown":
        assert data["account"] is None
    else:
        assert data["account"]["code"] == account.code and data["account"]["status"] == status
        assert set(data["account"]) == ACCOUNT_KEYS


def test_verify_a_profile_not_in_the_register(client, make_account):
    make_account()
    data = verify(client, "https://www.instagram.com/blodbanken_bergen_official/").json()
    assert data["result"] == "unknown" and data["account"] is None
    assert data["profile"]["url"] and data["profile"]["handle"]


def test_verify_a_bare_handle_finds_its_platform(client, make_account):
    account = make_account("https://www.tiktok.com/@blodbanken")
    data = verify(client, "@blodbanken").json()
    assert data["result"] == "official"
    assert data["account"]["code"] == account.code
    assert data["profile"]["platform"]["slug"] == "tiktok"


def test_verify_a_bare_handle_nobody_has(client, make_account):
    make_account()
    response = verify(client, "@ingen_her")
    assert response.status_code == 200
    data = response.json()
    assert data["result"] == "unknown" and data["account"] is None
    assert data["profile"]["url"] is None and data["profile"]["platform"] is None


def test_verify_a_bare_handle_being_set_up_is_unknown(client, make_account):
    make_account("https://www.tiktok.com/@blodbanken", status=AccountStatus.SETUP)
    assert verify(client, "@blodbanken").json()["result"] == "unknown"


def test_verify_a_handle_on_two_platforms_asks_for_the_platform(client, make_account):
    make_account("https://www.instagram.com/blodbanken/")
    tiktok = make_account("https://www.tiktok.com/@blodbanken", display_name="Blodbanken på TikTok")
    response = verify(client, "@blodbanken")
    assert response.status_code == 400
    assert error_code(response) == "handle_needs_platform"
    data = verify(client, "@blodbanken", platform="tiktok").json()
    assert data["result"] == "official" and data["account"]["code"] == tiktok.code


@pytest.mark.parametrize("language", ["nb", "en"])
def test_what_is_not_a_profile_is_400_in_the_language_asked_for(client, catalogue, language):
    with translation.override(language):
        with pytest.raises(NotAProfile) as refused:
            read_profile("https://www.instagram.com/explore/")
        expected = str(refused.value.message)
    for response in [
        verify(client, "https://www.instagram.com/explore/", lang=language),
        client.get(
            reverse("api:verify"), {"url": "https://www.instagram.com/explore/"}, headers={"accept-language": language}
        ),
    ]:
        assert response.status_code == 400
        assert response.json() == {"error": {"code": "not_a_profile", "message": expected}}
        assert response["Content-Language"] == language


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("javascript:alert(1)", "not_a_profile"),
        ("https://www.instagram.com/" + "x" * 600, "bad_parameter"),
        ("   ", "missing_parameter"),
        (None, "missing_parameter"),
    ],
)
def test_verify_refuses_what_cannot_be_checked(client, catalogue, url, code):
    response = verify(client, url)
    assert response.status_code == 400
    assert error_code(response) == code


def test_verify_with_an_unknown_platform(client, catalogue):
    response = verify(client, "@blodbanken", platform="myspace")
    assert response.status_code == 400 and error_code(response) == "unknown_platform"


# Platforms and units


def test_platforms(client, catalogue):
    catalogue["vimeo"].is_active = False
    catalogue["vimeo"].save()
    results = get(client, "platforms").json()["results"]
    assert [item["slug"] for item in results] == [p.slug for p in sorted(catalogue.values(), key=lambda p: p.position)]
    vimeo = next(item for item in results if item["slug"] == "vimeo")
    assert vimeo == {"slug": "vimeo", "name": "Vimeo", "active": False, "icon": catalogue["vimeo"].icon}
    assert all(set(item) == {"slug", "name", "active", "icon"} for item in results)


def test_units_are_those_with_active_accounts(client, cast, make_account, django_assert_num_queries):
    make_account()
    make_account("https://www.tiktok.com/@hjarte", unit=cast["other_unit"], status=AccountStatus.CLOSED)
    lonely = Unit.objects.create(name="Aaa einsam eining", kind=Unit.Kind.SECTION)
    owner = organisations.default()  # the organisations are kept in each process: no query of their own
    with django_assert_num_queries(1):
        results = get(client, "units").json()["results"]
    assert results == [
        {
            "id": cast["unit"].pk,
            "name": "Blodbanken i Bergen",
            "kind": "section",
            "parent": {"id": cast["clinic"].pk, "name": "Laboratorieklinikken"},
            "organisation": {"slug": owner.slug, "name": owner.name},
        }
    ]
    assert lonely.pk not in {item["id"] for item in results}


# The description and the documentation page


def test_the_openapi_document(client, catalogue):
    response = get(client, "openapi")
    assert response.status_code == 200 and "ETag" in response
    document = response.json()
    assert document["openapi"] == "3.1.0"
    assert document["servers"] == [{"url": "/api/v1"}]
    assert set(document["paths"]) == {
        "/accounts",
        "/accounts/verify",
        "/accounts/{code}",
        "/platforms",
        "/units",
        "/openapi.json",
    }
    assert document["components"]["schemas"]["Account"]["additionalProperties"] is False
    assert set(document["components"]["schemas"]["Account"]["required"]) == ACCOUNT_KEYS
    parameters = {p.get("name"): p for p in document["paths"]["/accounts"]["get"]["parameters"]}
    assert set(parameters["platform"]["schema"]["enum"]) == set(catalogue)
    assert set(document["components"]["schemas"]["Platform"]["properties"]["slug"]["enum"]) == set(catalogue)


def test_the_documentation_page_lists_every_endpoint(client, make_account):
    account = make_account()
    response = get(client, "docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    for path in ["/api/v1/accounts", "/api/v1/accounts/verify", "/api/v1/platforms", "/api/v1/units"]:
        assert f"GET {path}" in body
    assert reverse("api:openapi") in body
    # The example links lead to a real account when there is one.
    assert f'href="/api/v1/accounts/{account.code}"' in body
    for name in ["page_size", "If-None-Match", "lang", "handle_needs_platform"]:
        assert name in body


def test_the_documentation_page_is_in_the_portals_language(client, catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = get(client, "docs")
    assert response.status_code == 200
    assert '<html lang="en"' in response.content.decode()


# HTTP: caching, CORS, methods, errors, language


def test_etag_and_not_modified(client, make_account):
    make_account()
    first = get(client, "accounts")
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    assert first["Cache-Control"] == "public, max-age=60"
    again = client.get(reverse("api:accounts"), headers={"if-none-match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag and again["Cache-Control"] == "public, max-age=60"
    assert again["Access-Control-Allow-Origin"] == "*"
    weak = client.get(reverse("api:accounts"), headers={"if-none-match": f'"other", W/{etag}'})
    assert weak.status_code == 304
    other = client.get(reverse("api:accounts"), headers={"if-none-match": '"something-else"'})
    assert other.status_code == 200 and other["ETag"] == etag
    # A change in the register changes the ETag.
    make_account("https://www.tiktok.com/@blodbanken")
    changed = client.get(reverse("api:accounts"), headers={"if-none-match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_head_answers_as_get(client, make_account):
    make_account()
    response = client.head(reverse("api:accounts"))
    assert response.status_code == 200
    assert response["ETag"] == get(client, "accounts")["ETag"]


@pytest.mark.parametrize("name", ["accounts", "platforms", "units", "openapi", "verify"])
def test_every_answer_may_be_read_by_any_web_page(client, catalogue, name):
    response = get(client, name)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "ETag" in response["Access-Control-Expose-Headers"]


def test_the_cors_preflight(client, make_account):
    account = make_account()
    for url in [reverse("api:accounts"), reverse("api:account", args=[account.code]), reverse("api:verify")]:
        response = client.options(
            url,
            headers={
                "origin": "https://example.org",
                "access-control-request-method": "GET",
                "access-control-request-headers": "if-none-match",
            },
        )
        assert response.status_code == 204
        assert response.content == b""
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
        assert "if-none-match" in response["Access-Control-Allow-Headers"].lower()
        assert int(response["Access-Control-Max-Age"]) > 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("name", ["accounts", "verify", "platforms", "units", "openapi", "docs"])
def test_the_api_only_reads(catalogue, method, name):
    client = Client(enforce_csrf_checks=True)  # no CSRF token: the answer is still 405, not 403
    response = getattr(client, method)(reverse(f"api:{name}"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert error_code(response) == "method_not_allowed"


def test_unknown_addresses_under_the_api_are_json_404(client, catalogue):
    for path in ["/api/v1/nothing", "/api/v1/accounts/", "/api/v1/accounts/abc/def", "/api/v1/v2/accounts"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response["Content-Type"] == "application/json"
        assert error_code(response) == "not_found"
        assert response["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    ("query", "headers", "language"),
    [
        ({}, {}, "nb"),
        ({"lang": "nn"}, {}, "nn"),
        ({"lang": "en"}, {"accept-language": "nn"}, "en"),
        ({}, {"accept-language": "en-GB,en;q=0.9"}, "en"),
        ({}, {"accept-language": "nn-NO"}, "nn"),
        ({}, {"accept-language": "no"}, "nb"),
        ({}, {"accept-language": "de, en;q=0.5"}, "en"),
        ({}, {"accept-language": "de"}, "nb"),
        ({}, {"accept-language": "xx;;q==,,"}, "nb"),
    ],
)
def test_the_language_of_messages(client, catalogue, query, headers, language):
    response = client.get(reverse("api:accounts"), {"page": "x", **query}, headers=headers)
    assert response.status_code == 400
    assert response["Content-Language"] == language
    assert "Accept-Language" in response["Vary"]
    with translation.override(language):
        assert response.json()["error"]["message"] == translation.gettext(
            "“%(name)s” must be a whole number from 1 to %(maximum)d."
        ) % {"name": "page", "maximum": schemas.MAX_PAGE}


def test_the_site_language_cookie_does_not_choose_the_apis_language(client, catalogue):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert client.get(reverse("api:accounts"))["Content-Language"] == "nb"


def test_no_session_and_no_cookies(client, make_account):
    account = make_account()
    for url in [reverse("api:accounts"), reverse("api:account", args=[account.code]), reverse("api:units")]:
        response = client.get(url)
        assert not response.cookies
        assert "Set-Cookie" not in response


# Personal data


def test_no_answer_holds_personal_data(client, cast, people, make_account, django_user_model):
    accounts = [
        make_account(),
        make_account("https://www.tiktok.com/@blodbanken", status=AccountStatus.PAUSED),
        make_account("https://x.com/blodbanken", status=AccountStatus.CLOSED),
        make_account("https://www.facebook.com/blodbankenbergen", status=AccountStatus.SETUP),
        make_account("https://www.youtube.com/@hjarte", unit=cast["other_unit"], editor=cast["other"]),
    ]
    urls = [
        reverse("api:docs"),
        reverse("api:openapi"),
        reverse("api:platforms"),
        reverse("api:units"),
        reverse("api:accounts"),
        reverse("api:accounts") + "?page_size=1&page=2",
        reverse("api:verify") + "?url=@blodbanken",
        reverse("api:verify") + "?url=@blodbanken&platform=tiktok",
    ]
    for account in accounts:
        urls.append(reverse("api:account", args=[account.code]))
        urls.append(reverse("api:verify") + "?" + urlencode({"url": account.url}))
    secrets = [account.login_email for account in accounts]
    for user in django_user_model.objects.all():
        secrets += [user.full_name, user.email]
    assert "Zebulon Quistgaard" in secrets and "xenia.privat@example.no" in secrets
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 400, 404), url
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, (url, secret)
        if response["Content-Type"] == "application/json":
            text = json.dumps(response.json())
            assert "editor" not in text and "deputies" not in text and "login_email" not in text, url


# In a browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_documentation_page_is_accessible(browser, live_server, cast, people, make_account, language):
    make_account()
    context = browser.new_context()
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    page.goto(live_server.url + reverse("api:docs"))
    assert_accessible(page)
    assert page.locator("html").get_attribute("lang") == language
    # The example request is a link that answers.
    page.click(f"a[href='{reverse('api:platforms')}']")
    assert '"slug":"facebook"' in page.content()
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_documentation_page_on_a_phone(browser, live_server, cast, people, make_account):
    make_account()
    page = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True).new_page()
    page.goto(live_server.url + reverse("api:docs"))
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.evaluate(
        "[...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > 375)"
        ".slice(0, 5).map(e => e.outerHTML.slice(0, 200))"
    )


@pytest.fixture
def elsewhere():
    """A web page of another site: a small server of its own, with a blank page."""

    class Blank(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<!doctype html><title>Elsewhere</title>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Blank)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_web_page_elsewhere_may_call_the_api(browser, live_server, cast, people, make_account, elsewhere):
    account = make_account()
    page = browser.new_page()
    page.goto(elsewhere)
    url = live_server.url + reverse("api:verify") + "?" + urlencode({"url": account.url})
    # A header that is not CORS-safelisted makes the browser send a preflight first.
    data = page.evaluate(
        "url => fetch(url, {headers: {'If-None-Match': '\"x\"'}}).then(response => response.json())", url
    )
    assert data["result"] == "official" and data["account"]["code"] == account.code
