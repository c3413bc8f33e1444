"""A fixed register and a fixed set of requests to the open API, with the answers in a form
that does not depend on the test run (unit ids, the site's address): the answers the API gave
before it was built on django-ninja are kept in tests/data/api-answers.json, and
test_api_compatibility.py asks again and compares."""

import json
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings

from accounts.models import User
from platforms.profiles import read_profile
from registry.models import Account, AccountStatus

DATA = Path(__file__).parent / "data"
ANSWERS = DATA / "api-answers.json"

# (url, status, unit key, display name, code)
REGISTER = [
    ("https://www.instagram.com/blodbanken_bergen/", AccountStatus.ACTIVE, "unit", "Blodbanken i Bergen", "aaaa11"),
    ("https://www.tiktok.com/@blodbanken", AccountStatus.PAUSED, "unit", "Blodbanken på TikTok", "bbbb22"),
    ("https://x.com/blodbanken", AccountStatus.CLOSED, "other_unit", "Blodbanken på X", "cccc33"),
    ("https://www.facebook.com/hjartebergen", AccountStatus.ACTIVE, "other_unit", "Hjarteavdelinga", "dddd44"),
    ("https://www.youtube.com/@oppsett", AccountStatus.SETUP, "clinic", "Oppsett", "eeee55"),
    ("https://www.instagram.com/blodbanken/", AccountStatus.ACTIVE, "unit", "Blodbanken", "ffff66"),
]

HEADERS = [
    "Content-Type",
    "Content-Language",
    "Cache-Control",
    "Vary",
    "Allow",
    "Access-Control-Allow-Origin",
    "Access-Control-Expose-Headers",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
    "Access-Control-Max-Age",
]

PREFLIGHT = {"origin": "https://example.org", "access-control-request-method": "GET"}

# (method, path, query, headers): {unit} is the cast's unit's id.
REQUESTS = [
    ("get", "/api/v1/accounts", {}, {}),
    ("get", "/api/v1/accounts", {"q": "blod"}, {}),
    ("get", "/api/v1/accounts", {"q": "  BLODBANKEN i "}, {}),
    ("get", "/api/v1/accounts", {"platform": "instagram"}, {}),
    ("get", "/api/v1/accounts", {"platform": "facebook", "lang": "en"}, {}),
    ("get", "/api/v1/accounts", {"unit": "{unit}"}, {}),
    ("get", "/api/v1/accounts", {"page_size": "1"}, {}),
    ("get", "/api/v1/accounts", {"page_size": "1", "page": "2", "q": "b"}, {}),
    ("get", "/api/v1/accounts", {"page_size": "1", "page": "3"}, {}),
    ("get", "/api/v1/accounts", {"page": "4", "page_size": "1"}, {}),
    ("get", "/api/v1/accounts", {"page": "2"}, {"accept-language": "en"}),
    ("get", "/api/v1/accounts", {"page": "x"}, {}),
    ("get", "/api/v1/accounts", {"page": "0"}, {"accept-language": "nn"}),
    ("get", "/api/v1/accounts", {"page": ""}, {}),
    ("get", "/api/v1/accounts", {"page": "99999999999"}, {}),
    ("get", "/api/v1/accounts", {"page_size": "201"}, {"accept-language": "en"}),
    ("get", "/api/v1/accounts", {"unit": "blodbanken"}, {}),
    ("get", "/api/v1/accounts", {"q": "x" * 201}, {}),
    ("get", "/api/v1/accounts", {"q": "a\x01b"}, {}),
    ("get", "/api/v1/accounts", {"platform": "myspace"}, {}),
    ("get", "/api/v1/accounts", {"platform": ""}, {"accept-language": "en"}),
    ("get", "/api/v1/accounts", {"lang": "de"}, {}),
    ("get", "/api/v1/accounts", {"lang": "de"}, {"accept-language": "en"}),
    ("get", "/api/v1/accounts", {"unknown": "1"}, {}),
    ("get", "/api/v1/accounts/aaaa11", {}, {}),
    ("get", "/api/v1/accounts/BBBB22", {"lang": "nn"}, {}),
    ("get", "/api/v1/accounts/cccc33", {}, {}),
    ("get", "/api/v1/accounts/eeee55", {}, {}),
    ("get", "/api/v1/accounts/zzzz99", {"lang": "en"}, {}),
    ("get", "/api/v1/accounts/abc-def", {}, {}),
    ("get", "/api/v1/accounts/aaaa11", {"lang": "xx"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "https://www.instagram.com/blodbanken_bergen/"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "instagram.com/BLODBANKEN_BERGEN?utm_source=x"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "https://www.tiktok.com/@blodbanken"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "https://x.com/blodbanken", "lang": "en"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "https://www.youtube.com/@oppsett"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "https://www.instagram.com/b1odbanken_bergen/"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "@hjartebergen"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "@ingen_her"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "@blodbanken"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "@blodbanken"}, {"accept-language": "en"}),
    ("get", "/api/v1/accounts/verify", {"url": "@blodbanken", "platform": "tiktok"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "@blodbanken", "platform": "myspace"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "https://www.instagram.com/explore/"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "https://www.instagram.com/explore/", "lang": "en"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "javascript:alert(1)"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "https://www.instagram.com/" + "x" * 600}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "   "}, {}),
    ("get", "/api/v1/accounts/verify", {}, {"accept-language": "nn"}),
    ("get", "/api/v1/accounts/verify", {"url": "a\x00"}, {}),
    ("get", "/api/v1/platforms", {}, {}),
    ("get", "/api/v1/platforms", {"lang": "en"}, {}),
    ("get", "/api/v1/units", {}, {}),
    ("get", "/api/v1/units", {"lang": "fr"}, {}),
    ("get", "/api/v1/nothing", {}, {}),
    ("get", "/api/v1/accounts/", {"lang": "en"}, {}),
    ("get", "/api/v1/accounts/abc/def", {}, {"accept-language": "nn"}),
    ("get", "/api/v1/v2/accounts", {}, {}),
    ("head", "/api/v1/accounts", {}, {}),
    ("head", "/api/v1/units", {}, {}),
    ("post", "/api/v1/accounts", {}, {}),
    ("put", "/api/v1/accounts/aaaa11", {}, {"accept-language": "en"}),
    ("patch", "/api/v1/accounts/verify", {}, {}),
    ("delete", "/api/v1/platforms", {}, {}),
    ("post", "/api/v1/units", {"lang": "nn"}, {}),
    ("post", "/api/v1/openapi.json", {}, {}),
    ("post", "/api/v1/", {}, {}),
    ("post", "/api/v1/nothing", {}, {}),
    ("options", "/api/v1/accounts", {}, PREFLIGHT),
    ("options", "/api/v1/accounts/aaaa11", {}, PREFLIGHT),
    ("options", "/api/v1/accounts/verify", {}, PREFLIGHT),
    ("options", "/api/v1/platforms", {}, PREFLIGHT),
    ("options", "/api/v1/units", {}, PREFLIGHT),
    ("options", "/api/v1/openapi.json", {}, PREFLIGHT),
    ("options", "/api/v1/", {}, PREFLIGHT),
    # Two things wrong at once: the first, in the order the old API read them.
    ("get", "/api/v1/accounts", {"platform": "myspace", "unit": "x"}, {}),
    ("get", "/api/v1/accounts", {"q": "x" * 201, "page": "x"}, {}),
    ("get", "/api/v1/accounts", {"lang": "de", "page": "x"}, {"accept-language": "nn"}),
    ("get", "/api/v1/accounts", {"q": "a\x01", "platform": "myspace"}, {}),
    ("get", "/api/v1/accounts/verify", {"lang": "xx"}, {}),
    ("get", "/api/v1/accounts/verify", {"url": "x" * 501, "platform": "myspace"}, {}),
    ("get", "/api/v1/accounts/abc-def", {"lang": "xx"}, {}),
    # Numbers as only digits are.
    ("get", "/api/v1/accounts", {"page": "+1"}, {}),
    ("get", "/api/v1/accounts", {"page": " 1"}, {}),
    ("get", "/api/v1/accounts", {"page": "1_0"}, {}),
    ("get", "/api/v1/accounts", {"page_size": "1.0"}, {}),
    ("get", "/api/v1/accounts", {"unit": "0"}, {}),
    ("get", "/api/v1/accounts", {"unit": "٣"}, {}),
    ("get", "/api/v1/accounts", {"page_size": "0002"}, {}),
    ("get", "/api/v1/accounts/aaaaaaaaaaaaa", {}, {}),
    ("get", "/api/v1/accounts/verify", {"url": ""}, {"accept-language": "en"}),
    ("get", "/api/v1/accounts/verify", {"url": "@hjartebergen", "platform": ""}, {}),
    # Conditional requests.
    ("get", "/api/v1/units", {}, {"if-none-match": "*"}),
    ("get", "/api/v1/accounts/aaaa11", {}, {"if-none-match": '"other"'}),
    ("get", "/api/v1/accounts/zzzz99", {}, {"if-none-match": "*"}),
    ("head", "/api/v1/accounts/verify", {"url": "@hjartebergen"}, {"if-none-match": "*"}),
    ("get", "/api/v1/openapi.json", {"lang": "en"}, {"if-none-match": "*"}),
]


def make_register(cast):
    editor = User.objects.create_user("redaktor@example.no", "x", full_name="Redaktør Redaktørsen")
    for url, status, unit, name, code in REGISTER:
        profile = read_profile(url)
        Account.objects.create(
            code=code,
            platform=profile.platform,
            handle=profile.handle,
            handle_key=profile.key,
            url=profile.url,
            display_name=name,
            purpose="Til prøving.",
            languages=["nb", "nn"],
            unit=cast[unit],
            editor=editor,
            login_email=f"{code}@example.no",
            response_hours="Kvardagar",
            response_time="Innan ein dag",
            status=status,
            live_since=None if status == AccountStatus.SETUP else date(2024, 1, 1),
            closed_on=date(2025, 1, 1) if status == AccountStatus.CLOSED else None,
        )


def _placeholders(cast) -> dict:
    return {"{unit}": str(cast["unit"].pk)}


def _normalised(value, units: dict):
    """The answer without what differs from run to run: unit ids become the unit's name."""
    if isinstance(value, dict):
        if set(value) >= {"id", "name"} and value["id"] in units:
            value = {**value, "id": f"<{units[value['id']]}>"}
        return {key: _normalised(item, units) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item, units) for item in value]
    if isinstance(value, str):
        return value.replace(settings.SITE_URL, "<site>")
    return value


def answers(client, cast) -> list[dict]:
    """Each request of REQUESTS with its answer: status, the headers that matter, the body."""
    placeholders = _placeholders(cast)
    units = {unit.pk: unit.name for key, unit in cast.items() if hasattr(unit, "kind")}
    found = []
    for method, path, query, headers in REQUESTS:
        asked = {key: placeholders.get(value, value) for key, value in query.items()}
        address = path + ("?" + urlencode(asked) if asked else "")
        response = getattr(client, method)(address, headers=headers)
        kind = response.get("Content-Type", "")
        if kind == "application/json" and response.content:
            body = _normalised(json.loads(response.content), units)
        else:
            body = response.content.decode()
        found.append(
            {
                "request": [method, path, query, headers],
                "status": response.status_code,
                "headers": {name: response[name] for name in HEADERS if name in response},
                "etag": response.has_header("ETag"),
                "body": body,
            }
        )
    return found
