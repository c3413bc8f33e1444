"""The open API: the register of official accounts as JSON, for anyone, without a key.

It only reads. It needs no session and sets no cookie, answers every web page
(CORS), and lets caches keep answers for a minute. It never gives out people:
no editors, deputies, login mailboxes or user ids, only what the public page shows.
"""

import hashlib
import json
import math
import re
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.http import HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt

from accounts.models import Unit
from core import caching
from core.pagecache import number, one_of, public_page, slug, text
from platforms.models import Platform
from platforms.profiles import NotAProfile, all_platforms

from . import openapi, verification
from .models import Account

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
CACHE_CONTROL = "public, max-age=60"
PREFLIGHT_MAX_AGE = 60 * 60 * 24
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
DIGITS = re.compile(r"[0-9]{1,10}")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
CODE = re.compile(r"[a-zA-Z0-9]{1,12}")
FIRST_IDS = 500

# Everything the public may read about an account, and nothing more: only these columns
# are ever read from the database.
ACCOUNT_FIELDS = (
    "id",
    "code",
    "url",
    "handle",
    "display_name",
    "purpose",
    "languages",
    "status",
    "live_since",
    "closed_on",
    "response_hours",
    "response_time",
    "platform_id",
    "platform__slug",
    "platform__name",
    "unit_id",
    "unit__name",
)


class ApiError(Exception):
    def __init__(self, status: int, code: str, message):
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = str(message)


# Languages ------------------------------------------------------------------------------


def _header_language(request) -> str:
    """The first of the API's languages the Accept-Language header names; Bokmål otherwise.

    "no" (Norwegian, unspecified) is read as Bokmål, as most Norwegian is written."""
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = tag.lower().split("-")[0]
        if base in ("nb", "no"):
            return "nb"
        if base in openapi.API_LANGUAGES:
            return base
    return settings.LANGUAGE_CODE


def _request_language(request) -> str:
    """The language asked for, without complaining about a wrong `lang` (for errors)."""
    chosen = request.GET.get("lang")
    return chosen if chosen in openapi.API_LANGUAGES else _header_language(request)


def _chosen_language(request, fallback: str) -> str:
    chosen = request.GET.get("lang")
    if chosen is None:
        return fallback
    if chosen not in openapi.API_LANGUAGES:
        raise ApiError(400, "bad_parameter", _("“lang” must be nb, nn or en."))
    return chosen


# Responses ------------------------------------------------------------------------------


def _cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Content-Language"
    return response


def _json(request, status: int, payload: dict, language: str):
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    response = HttpResponse(body, status=status, content_type="application/json")
    response["Content-Language"] = language
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ["Accept-Language"])
    _cors(response)
    if status == 405:
        response["Allow"] = ALLOWED_METHODS
    if status != 200:
        return response
    etag = f'"{hashlib.sha256(body).hexdigest()[:40]}"'
    response["ETag"] = etag
    asked = parse_etags(request.headers.get("If-None-Match", ""))
    if "*" in asked or etag in (tag.removeprefix("W/") for tag in asked):
        not_modified = HttpResponseNotModified()
        for header in ("ETag", "Cache-Control", "Vary", "Content-Language"):
            not_modified[header] = response[header]
        return _cors(not_modified)
    return response


def _error(request, error: ApiError, language: str):
    return _json(request, error.status, {"error": {"code": error.code, "message": error.message}}, language)


def _method_not_allowed():
    return ApiError(405, "method_not_allowed", _("This API only reads. Use GET, HEAD or OPTIONS."))


def _preflight():
    response = HttpResponse(status=204)
    del response["Content-Type"]
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match"
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return _cors(response)


def api_view(view):
    """A read-only JSON view: `view` returns the payload or raises ApiError.

    Takes care of methods (OPTIONS is the CORS preflight; anything but GET and HEAD is
    refused with 405), the language, CORS, caching headers and conditional GET."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return _preflight()
        language = _header_language(request)
        with translation.override(language):
            try:
                if request.method not in ("GET", "HEAD"):
                    raise _method_not_allowed()
                language = _chosen_language(request, language)
                with translation.override(language):
                    payload = view(request, *args, **kwargs)
            except ApiError as error:
                return _error(request, error, language)
        return _json(request, 200, payload, language)

    return wrapper


# Parameters -----------------------------------------------------------------------------


def _integer(request, name: str, *, default, maximum: int):
    raw = request.GET.get(name)
    if raw is None:
        return default
    if not DIGITS.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        raise ApiError(
            400,
            "bad_parameter",
            _("“%(name)s” must be a whole number from 1 to %(maximum)d.") % {"name": name, "maximum": maximum},
        )
    return int(raw)


def _text(request, name: str, *, maximum: int) -> str:
    value = request.GET.get(name, "")
    if len(value) > maximum:
        raise ApiError(
            400,
            "bad_parameter",
            _("“%(name)s” is too long: at most %(maximum)d characters.") % {"name": name, "maximum": maximum},
        )
    if CONTROL_CHARACTERS.search(value):
        raise ApiError(400, "bad_parameter", _("“%(name)s” contains control characters.") % {"name": name})
    return value.strip()


def _platform(request, catalogue=None):
    """The platform named by the `platform` parameter, or None when not given."""
    slug = request.GET.get("platform")
    if slug is None:
        return None
    platform = None
    if SLUG.fullmatch(slug):
        if catalogue is None:
            catalogue = Platform.objects.filter(slug=slug)
        platform = next((p for p in catalogue if p.slug == slug), None)
    if platform is None:
        raise ApiError(
            400,
            "unknown_platform",
            _("There is no such platform in the catalogue. See %(url)s for the short names.")
            % {"url": reverse("api:platforms")},
        )
    return platform


# Serialisation --------------------------------------------------------------------------


def _date(value):
    return value.isoformat() if value else None


def _register_urls():
    """code → the address of the account's public page (reversed once, not once per account)."""
    marker = "0"
    head, _marker, tail = (settings.SITE_URL + reverse("registry:public_account", args=[marker])).rpartition(marker)
    return lambda code: f"{head}{code}{tail}"


def account_json(row: dict, register_url) -> dict:
    """An account as the API shows it, from a row of `_accounts()`."""
    return {
        "code": row["code"],
        "url": row["url"],
        "handle": row["handle"],
        "display_name": row["display_name"],
        "purpose": row["purpose"],
        "languages": list(row["languages"] or []),
        "platform": {"slug": row["platform__slug"], "name": row["platform__name"]},
        "unit": {"id": row["unit_id"], "name": row["unit__name"]},
        "status": row["status"],
        "live_since": _date(row["live_since"]),
        "closed_on": _date(row["closed_on"]),
        "register_url": register_url(row["code"]),
        "response_hours": row["response_hours"],
        "response_time": row["response_time"],
    }


def _accounts(accounts):
    """The public columns of `accounts`, as dicts."""
    return accounts.order_by().values(*ACCOUNT_FIELDS)


def _page_link(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"{settings.SITE_URL}{request.path}?{query.urlencode()}"


def _page_ids(ordered, number: int, page_size: int, filters: tuple) -> tuple[int, list[int]]:
    """How many accounts match, and the ids on page `number`, read from the index alone.

    The first few hundred ids come in one query, so that a search with few matches is one
    pass over the index, not a count and then another pass. Only when there are more is
    there a count, and for a page further on a query for that page's ids, so a page far
    into the register costs no more than the first."""
    ids = ordered.values_list("id", flat=True)
    offset = (number - 1) * page_size
    first = list(ids[:FIRST_IDS])
    if len(first) < FIRST_IDS:
        return len(first), first[offset : offset + page_size]
    # Counting the whole register is the slowest part: remembered until it changes.
    count = caching.remembered(verification.CACHE_NAME, ("api count", filters), ordered.count)
    if offset + page_size <= FIRST_IDS:
        return count, first[offset : offset + page_size]
    return count, list(ids[offset : offset + page_size]) if offset < count else []


# Views ----------------------------------------------------------------------------------


@public_page(
    q=text(openapi.MAX_QUERY),
    platform=slug,
    unit=number,
    page=number,
    page_size=number,
    lang=one_of(*openapi.API_LANGUAGES),
    language=_header_language,
)
@api_view
def accounts(request):
    query = _text(request, "q", maximum=openapi.MAX_QUERY)
    platform = _platform(request)
    unit = _integer(request, "unit", default=None, maximum=openapi.MAX_ID)
    number = _integer(request, "page", default=1, maximum=openapi.MAX_PAGE)
    page_size = _integer(request, "page_size", default=openapi.PAGE_SIZE, maximum=openapi.MAX_PAGE_SIZE)

    found = Account.objects.public()
    if query:
        found = found.named(query)
    if platform is not None:
        found = found.filter(platform=platform)
    if unit is not None:
        found = found.filter(unit_id=unit)
    filters = (query, platform.pk if platform else None, unit)
    count, ids = _page_ids(found.order_by("display_name", "id"), number, page_size, filters)
    last = max(1, math.ceil(count / page_size))
    if number > last:
        raise ApiError(
            404,
            "page_not_found",
            _("There is no page %(number)d. The last page is %(last)d.") % {"number": number, "last": last},
        )
    rows = {row["id"]: row for row in _accounts(Account.objects.filter(id__in=ids))}
    register_url = _register_urls()
    return {
        "count": count,
        "page": number,
        "page_size": page_size,
        "next": _page_link(request, number + 1) if number < last else None,
        "previous": _page_link(request, number - 1) if number > 1 else None,
        "results": [account_json(rows[pk], register_url) for pk in ids if pk in rows],
    }


@public_page(lang=one_of(*openapi.API_LANGUAGES), language=_header_language)
@api_view
def account(request, code):
    found = list(_accounts(Account.objects.known().filter(code=code.lower()))[:1]) if CODE.fullmatch(code) else []
    if not found:
        raise ApiError(404, "not_found", _("There is no account with this short address in the register."))
    return account_json(found[0], _register_urls())


def _profile_json(profile) -> dict:
    return {
        "url": profile.url,
        "handle": profile.handle,
        "platform": {"slug": profile.platform.slug, "name": profile.platform.name},
        "lookalikes": list(profile.lookalikes),
    }


@public_page(
    url=text(openapi.MAX_ADDRESS), platform=slug, lang=one_of(*openapi.API_LANGUAGES), language=_header_language
)
@api_view
def verify(request):
    text = _text(request, "url", maximum=openapi.MAX_ADDRESS)
    if not text:
        raise ApiError(
            400, "missing_parameter", _("Give the profile's address or handle to check in the “url” parameter.")
        )
    outcome = verification.remembered("api", text, request.GET.get("platform"), lambda: _verify_outcome(request, text))
    if outcome[0] == "error":
        raise ApiError(*outcome[1:])
    return outcome[1]


def _verify_outcome(request, text) -> tuple:
    """("answer", payload) or ("error", status, code, message): either is remembered."""
    try:
        return ("answer", _verify_answer(request, text))
    except ApiError as error:
        return ("error", error.status, error.code, error.message)


def _verify_answer(request, text) -> dict:
    catalogue = all_platforms()
    platform = _platform(request, catalogue)
    try:
        verdict = verification.verify(text, platform=platform, platforms=catalogue, rows=_accounts)
    except verification.HandleOnSeveralPlatforms:
        raise ApiError(
            400,
            "handle_needs_platform",
            _(
                "This handle is in the register on more than one platform. Say which platform you mean "
                "with the “platform” parameter."
            ),
        ) from None
    except NotAProfile as error:
        raise ApiError(400, "not_a_profile", error.message) from None
    if verdict.profile is not None:
        profile = _profile_json(verdict.profile)
    else:
        profile = {"url": None, "handle": verdict.handle, "platform": None, "lookalikes": list(verdict.lookalikes)}
    shown = account_json(verdict.account, _register_urls()) if verdict.account else None
    return {"result": verdict.result, "profile": profile, "account": shown}


@public_page(lang=one_of(*openapi.API_LANGUAGES), language=_header_language)
@api_view
def platforms(request):
    return {
        "results": [
            {"slug": platform.slug, "name": platform.name, "active": platform.is_active, "icon": platform.icon}
            for platform in Platform.objects.order_by("position", "name").only("slug", "name", "is_active", "icon")
        ]
    }


@public_page(lang=one_of(*openapi.API_LANGUAGES), language=_header_language)
@api_view
def units(request):
    owning = (
        Unit.objects.filter(Exists(Account.objects.public().filter(unit=OuterRef("pk"))))
        .select_related("parent")
        .only("name", "kind", "parent__name")
        .order_by("name", "id")
    )
    return {
        "results": [
            {
                "id": unit.pk,
                "name": unit.name,
                "kind": unit.kind,
                "parent": {"id": unit.parent_id, "name": unit.parent.name} if unit.parent_id else None,
            }
            for unit in owning
        ]
    }


@api_view
def openapi_document(request):
    return openapi.document()


@csrf_exempt
def not_found(request, *args, **kwargs):
    language = _request_language(request)
    with translation.override(language):
        error = ApiError(
            404,
            "not_found",
            _("There is nothing at this address in the API. See %(url)s for what there is.")
            % {"url": reverse("api:docs")},
        )
    return _error(request, error, language)


# The documentation page -----------------------------------------------------------------


@csrf_exempt
def docs(request):
    """The API's documentation for people, drawn from the same OpenAPI document.

    A page of the portal like the others, in the language the person chose there."""
    if request.method == "OPTIONS":
        return _preflight()
    if request.method not in ("GET", "HEAD"):
        language = _request_language(request)
        with translation.override(language):
            return _error(request, _method_not_allowed(), language)
    document = openapi.document()
    server = document["servers"][0]["url"]
    example = Account.objects.public().only("code", "url").order_by("display_name", "id").first()
    operations = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            request_path = operation["x-example-request"]
            # Links that answer with something real, when the register has an account to show.
            if example and path == "/accounts/{code}":
                request_path = f"/accounts/{example.code}"
            elif example and path == "/accounts/verify":
                request_path = "/accounts/verify?" + urlencode({"url": example.url})
            ok = _resolve(document, operation["responses"]["200"])
            body = ok["content"]["application/json"].get("example")
            operations.append(
                {
                    "id": operation["operationId"],
                    "method": method.upper(),
                    "path": server + path,
                    "summary": operation["summary"],
                    "description": operation["description"],
                    "parameters": [_parameter_row(_resolve(document, p)) for p in operation["parameters"]],
                    "example_request": server + request_path,
                    "example_response": json.dumps(body, ensure_ascii=False, indent=2) if body else "",
                    "responses": [
                        (status, _resolve(document, response)["description"])
                        for status, response in operation["responses"].items()
                    ],
                }
            )
    schemas = document["components"]["schemas"]
    context = {
        "info": document["info"],
        "server": server,
        "operations": operations,
        "account_fields": [
            (name, _type_text(schema), schema.get("description", ""))
            for name, schema in schemas["Account"]["properties"].items()
        ],
        "error_codes": openapi.error_codes(),
    }
    return _cors(render(request, "registry/api_docs.html", context))


def _resolve(document: dict, node: dict) -> dict:
    while "$ref" in node:
        *_root, section, name = node["$ref"].split("/")
        node = document["components"][section][name]
    return node


def _parameter_row(parameter: dict) -> dict:
    return {
        "name": parameter["name"],
        "location": parameter["in"],
        "required": parameter.get("required", False),
        "type": _type_text(parameter["schema"]),
        "description": parameter.get("description", ""),
    }


def _type_text(schema: dict) -> str:
    """A short description of a schema, for people."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "oneOf" in schema:
        kinds = [_type_text(option) for option in schema["oneOf"] if option.get("type") != "null"]
        return _("%(kind)s or null") % {"kind": " / ".join(kinds)}
    if "enum" in schema:
        return _("one of: %(values)s") % {"values": ", ".join(str(value) for value in schema["enum"])}
    kind = schema.get("type")
    if kind == "array":
        return _("list of %(kind)s") % {"kind": _type_text(schema["items"])}
    if kind == "integer":
        parts = [_("whole number")]
        if schema.get("maximum", openapi.MAX_ID) < openapi.MAX_ID:
            parts.append(_("%(minimum)d to %(maximum)d") % {"minimum": schema["minimum"], "maximum": schema["maximum"]})
        elif "minimum" in schema:
            parts.append(_("from %(minimum)d") % {"minimum": schema["minimum"]})
        if "default" in schema:
            parts.append(_("default %(default)s") % {"default": schema["default"]})
        return ", ".join(parts)
    if kind == "string":
        if schema.get("format") == "date":
            return _("date (YYYY-MM-DD)")
        if schema.get("format") == "uri":
            return _("web address")
        if "maxLength" in schema:
            return _("text, at most %(maximum)d characters") % {"maximum": schema["maxLength"]}
        return _("text")
    if kind == "boolean":
        return _("true or false")
    return str(kind or "")
