"""How the open API speaks HTTP, as decorators around its operations.

It only reads. It needs no session and sets no cookie, answers every web page (CORS), lets
caches keep answers for a minute with an ETag for conditional GET, and speaks the language
asked for (`lang`, else Accept-Language, else Bokmål). Errors are JSON:
{"error": {"code": …, "message": …}}."""

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from django.views.decorators.csrf import csrf_exempt
from ninja.renderers import BaseRenderer

from .schemas import API_LANGUAGES

ALLOWED_METHODS = "GET, HEAD, OPTIONS"
CACHE_CONTROL = "public, max-age=60"
PREFLIGHT_MAX_AGE = 60 * 60 * 24
CONTENT_TYPE = "application/json"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message):
        super().__init__(str(message))
        self.status = status
        self.code = code
        self.message = str(message)


def method_not_allowed() -> ApiError:
    return ApiError(405, "method_not_allowed", _("This API only reads. Use GET, HEAD or OPTIONS."))


# Languages ------------------------------------------------------------------------------


def header_language(request) -> str:
    """The first of the API's languages the Accept-Language header names; Bokmål otherwise.

    "no" (Norwegian, unspecified) is read as Bokmål, as most Norwegian is written."""
    for tag, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        base = tag.lower().split("-")[0]
        if base in ("nb", "no"):
            return "nb"
        if base in API_LANGUAGES:
            return base
    return settings.LANGUAGE_CODE


def request_language(request) -> str:
    """The language asked for, without complaining about a wrong `lang` (for errors)."""
    chosen = request.GET.get("lang")
    return chosen if chosen in API_LANGUAGES else header_language(request)


# Bodies ---------------------------------------------------------------------------------


class CompactJSON(BaseRenderer):
    """UTF-8 JSON without spaces: the same bytes for the same answer, so the same ETag."""

    media_type = CONTENT_TYPE
    charset = None

    def render(self, request, data, *, response_status):
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder).encode()


def json_response(status: int, payload: dict) -> HttpResponse:
    return HttpResponse(
        CompactJSON().render(None, payload, response_status=status), status=status, content_type=CONTENT_TYPE
    )


def error_response(error: ApiError) -> HttpResponse:
    response = json_response(error.status, {"error": {"code": error.code, "message": error.message}})
    if error.status == 405:
        response["Allow"] = ALLOWED_METHODS
    return response


def cors(response):
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = "ETag, Content-Language"
    return response


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    del response["Content-Type"]
    response["Allow"] = ALLOWED_METHODS
    response["Access-Control-Allow-Methods"] = ALLOWED_METHODS
    response["Access-Control-Allow-Headers"] = "Accept, Accept-Language, If-None-Match"
    response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return cors(response)


# Decorators -----------------------------------------------------------------------------


def read_only(view):
    """A view of the API that only reads: OPTIONS is the CORS preflight, HEAD is answered as
    GET, and anything else is refused with a JSON 405 (never a CSRF 403). Every answer may be
    read by any web page. The marks of `public_page` on the view are kept."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "OPTIONS":
            return preflight()
        if request.method not in ("GET", "HEAD"):
            language = header_language(request)
            with translation.override(language):
                return cors(in_language(error_response(method_not_allowed()), language))
        if request.method == "HEAD":  # the operations are GET's; the server leaves out the body
            request.method = "GET"
            try:
                return cors(view(request, *args, **kwargs))
            finally:
                request.method = "HEAD"
        return cors(view(request, *args, **kwargs))

    return wrapper


def in_language(response, language: str):
    response["Content-Language"] = language
    response["Cache-Control"] = CACHE_CONTROL
    patch_vary_headers(response, ["Accept-Language"])
    return response


def spoken(run):
    """An operation answered in the language asked for: a `lang` the API speaks, else the
    Accept-Language header's. A `lang` it does not speak is refused by the operation's
    parameters, in the header's language."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        chosen = request.GET.get("lang")
        language = chosen if chosen in API_LANGUAGES else header_language(request)
        with translation.override(language):
            response = run(request, *args, **kwargs)
        return in_language(response, language)

    return wrapper


def conditional(run):
    """An answer with 200 carries a strong ETag of its body; a request whose If-None-Match
    names it (or *) is answered 304 without a body."""

    @wraps(run)
    def wrapper(request, *args, **kwargs):
        response = run(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        etag = f'"{hashlib.sha256(response.content).hexdigest()[:40]}"'
        response["ETag"] = etag
        asked = parse_etags(request.headers.get("If-None-Match", ""))
        if "*" in asked or etag in (tag.removeprefix("W/") for tag in asked):
            not_modified = HttpResponseNotModified()
            for header in ("ETag", "Cache-Control", "Vary", "Content-Language"):
                if header in response:
                    not_modified[header] = response[header]
            return not_modified
        return response

    return wrapper


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Anything else under /api/v1/ is answered in JSON, not with the portal's HTML page."""
    language = request_language(request)
    with translation.override(language):
        error = ApiError(
            404,
            "not_found",
            _("There is nothing at this address in the API. See %(url)s for what there is.")
            % {"url": reverse("api:docs")},
        )
        return cors(in_language(error_response(error), language))
