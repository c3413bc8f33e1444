"""Whole public pages for anonymous visitors, from the shared cache.

The public pages (the official accounts, an account's page, "Is it official?", the open API,
the strategy and the handbook) look the same to every visitor who is not logged in. A view
marked with `public_page` is answered for such a visitor from the shared cache (core/caching.py),
keyed by the path, the query parameters the page reads (each with a value it accepts) and the
language the page is shown in (one of the three), and used only while the generations of the data behind the public pages are those it was made in: each app
names its own by subscribing to `public_data` (the register's, renewed by every change to an account, a
platform or a unit; the handbook's, by every save of a chapter), so every node answers from the
changed data at once. A hit is one query to the cache table and skips the session, the CSRF
check, the login and the rendering.

Only what is truly the same for everyone is kept: a GET by a visitor without a session (no
cookie but the language cookie and the CSRF cookie), not conditional, answered 200 or 400 (a
refused verify link) with no cookie set, not private, and without a CSRF token in it (a page with
a form that posts, such as the report form, renders a token and is never kept). The answer is
kept with its headers (Content-Security-Policy, Vary, Content-Language, the API's ETag), so a
hit is the same answer the page would have given.

What a visitor sends cannot multiply the kept copies of one page. A query parameter the page
does not read is dropped before the page sees it (so `?x=<random>` is the page without it, from
the same kept copy); a value the page would not accept (a page number that is not a number, a
search longer than the page reads, a parameter given twice) is answered but not kept; and the
language is the one the page resolves (the language cookie, or for the open API the
Accept-Language header read the API's way), never the raw header. What is kept is bounded by the
cache itself (core/cache.py culls on every write; Redis by its maxmemory).
"""

import functools
import re
import zlib
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve

from . import caching
from .events import Event

public_data = Event(
    "pagecache.public_data",
    "Asked once per process: each subscriber answers with the name of a cache generation "
    "(core/caching.py) whose data the public pages show. See core/pagecache.py.",
)
# Kept no longer than this even when nothing changes, for what a page shows of the day.
TIMEOUT = 60 * 10
MAX_ADDRESS = 1000  # longer addresses are answered, not kept
KEPT_STATUSES = (200, 400)
# Cookies that do not change what an anonymous visitor is shown (the language is in the key).
HARMLESS_COOKIES = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
DROPPED_HEADERS = {"set-cookie", "date"}
FORMAT = 3  # of a kept answer: (status, headers, zlib-compressed body)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


# What a page accepts in a query parameter (a value refused is answered, not kept).
def number(value: str) -> bool:
    """A whole number as a page number or an id is written (1 to 9 digits), or nothing chosen."""
    return value == "" or (value.isascii() and value.isdigit() and len(value) <= 9)


def slug(value: str) -> bool:
    """A short name of lower-case letters, digits and hyphens, or nothing chosen."""
    return re.fullmatch(r"([a-z0-9][a-z0-9_-]{0,49})?", value) is not None


def text(maximum: int) -> Callable[[str], bool]:
    """Typed text of at most `maximum` characters, without control characters."""
    return lambda value: len(value) <= maximum and not _CONTROL.search(value)


def one_of(*values: str) -> Callable[[str], bool]:
    return lambda value: value in values


def public_page(view=None, *, language: Callable | None = None, **query: Callable[[str], bool]):
    """Mark a view whose answer to an anonymous visitor may be kept (see the module).

    `query` names each parameter the page reads, with what it accepts (`number`, `slug`,
    `text(200)`, `one_of(...)`); `language(request)` is how the page picks its language when
    that is not the language cookie (one of settings.LANGUAGES). Used bare (`@public_page`),
    the page reads no parameter."""

    def mark(view):
        view.public_page = True
        view.public_query = query
        view.public_language = language
        return view

    return mark(view) if view is not None else mark


@functools.cache
def _generations() -> tuple[str, ...]:
    """The generations whose data the public pages show (see `public_data`)."""
    return tuple(sorted(set(public_data.ask())))


def renew_public_pages() -> None:
    """Forget every kept public page (as the transaction commits): for a change that every page shows,
    such as an organisation's name or mailbox in the header and footer."""
    for name in _generations():
        caching.renew(name)


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        parts = self._parts(request)
        if parts is None:
            return self.get_response(request)
        key, kept, generation = caching.lookup(("pages", *_generations()), parts)
        if kept is not None:
            status, headers, content = kept
            response = HttpResponse(zlib.decompress(content), status=status)
            for name, value in headers:
                response.headers[name] = value
            return response
        response = self.get_response(request)
        if self._keepable(request, response):
            headers = [(k, v) for k, v in response.headers.items() if k.lower() not in DROPPED_HEADERS]
            # Compressed: a list with its 2,000-unit filter is 124 kB of HTML, read on every hit.
            content = zlib.compress(response.content, 1)
            caching.store(key, generation, (response.status_code, headers, content), TIMEOUT)
        return response

    def _parts(self, request) -> tuple | None:
        """What the kept answer depends on, or None when this request is not answered from the cache."""
        if not settings.PUBLIC_PAGE_CACHE or request.method != "GET" or not set(request.COOKIES) <= HARMLESS_COOKIES:
            return None
        if "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
            return None
        if len(request.get_full_path()) > MAX_ADDRESS:
            return None
        try:
            match = resolve(request.path_info)
            host = request.get_host()
        except (Resolver404, DisallowedHost):
            return None
        view = match.func
        if not getattr(view, "public_page", False):
            return None
        accepts = getattr(view, "public_query", {})
        read = []
        for name, values in request.GET.lists():
            if name not in accepts:
                continue  # not read by the page: dropped below
            if len(values) != 1 or not accepts[name](values[0]):
                return None  # a value the page does not accept: answered, not kept
            read.append((name, values[0]))
        query = urlencode(sorted(read))
        if query != request.META.get("QUERY_STRING", ""):
            # The page is made from exactly what the key names.
            request.META["QUERY_STRING"] = query
            request.GET = QueryDict(query)
        choose = getattr(view, "public_language", None)
        if choose is not None:
            language = choose(request)
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        if language not in self.languages:
            return None
        return (FORMAT, request.scheme, host, request.path, query, language)

    @staticmethod
    def _keepable(request, response) -> bool:
        if response.status_code not in KEPT_STATUSES or response.streaming or response.cookies:
            return False
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
            return False
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return False
        control = response.get("Cache-Control", "")
        return "private" not in control and "no-store" not in control
