"""The open API: the register of official accounts as JSON, for anyone, without a key.

It never gives out people: no editors, deputies, login mailboxes or user ids, only what the
public page shows (registry/api/schemas.py lists it). How it speaks HTTP is in http.py; each
operation here is marked with the same decorators: `spoken` (the language), `conditional`
(ETag and 304), and `public_page` (an anonymous visitor's answer may be kept whole).

An answer is built from its schema's fields (schemas.py) and sent as it is: django-ninja's check
of each answer against its schema would cost more than making it (for a page of 200 accounts,
more than the queries). The tests check every answer against the document instead
(tests/test_api_schema.py)."""

import math
import re
from typing import Annotated, Literal

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import NinjaAPI, Path, Query
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from pydantic import BeforeValidator

from accounts import organisations
from accounts.models import Unit
from core import caching
from core.pagecache import number, one_of, public_page, slug, text
from platforms.models import Platform
from platforms.profiles import NotAProfile, all_platforms

from .. import verification
from ..models import Account
from . import schemas
from .http import (
    CONTENT_TYPE,
    ApiError,
    CompactJSON,
    conditional,
    error_response,
    header_language,
    json_response,
    spoken,
)
from .schemas import (
    ACCOUNT_COLUMNS,
    API_LANGUAGES,
    API_VERSION,
    CODE_PATTERN,
    MAX_ADDRESS,
    MAX_ID,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    MAX_QUERY,
    NO_CONTROL_CHARACTERS,
    PAGE_SIZE,
    account_answer,
)

DIGITS = re.compile(r"[0-9]{1,10}")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,40}")
FIRST_IDS = 500


class ReadOnlyAPI(NinjaAPI):
    def get_content_type(self) -> str:
        return CONTENT_TYPE


api = ReadOnlyAPI(
    title="SoMe-portalen",
    version=API_VERSION,
    renderer=CompactJSON(),
    openapi_url=None,
    docs_url=None,
    urls_namespace="api",
)

# Parameters -----------------------------------------------------------------------------


def _digits(value):
    """A whole number written as digits only (no sign, spaces, point or exponent)."""
    if isinstance(value, str) and not DIGITS.fullmatch(value):
        raise ValueError("not a whole number")
    return value


Digits = Annotated[int, BeforeValidator(_digits)]
Language = Literal[tuple(API_LANGUAGES)]

LANG = Query(
    None,
    description=gettext_lazy(
        "The language of messages: nb (Bokmål), nn (Nynorsk) or en (English). Without it the "
        "Accept-Language header decides, and without that Bokmål."
    ),
    example="en",
)
PLATFORM = Query(None, description=gettext_lazy("A platform's short name from /platforms."), example="instagram")
QUERY = Query(
    "",
    max_length=MAX_QUERY,
    pattern=NO_CONTROL_CHARACTERS,
    description=gettext_lazy("Text to look for in the display name (capital letters do not matter)."),
    example="blodbanken",
)
ORGANISATION = Query(
    None,
    description=gettext_lazy(
        "An organisation's short name (as in an account's organisation.slug): only that organisation's accounts."
    ),
)
UNITS_ORGANISATION = Query(
    None,
    description=gettext_lazy(
        "An organisation's short name (as in a unit's organisation.slug): only that organisation's units."
    ),
)
UNIT = Query(
    None,
    ge=1,
    le=MAX_ID,
    description=gettext_lazy("A unit's number from /units: only the accounts that unit owns."),
    example=12,
)
PAGE = Query(
    1,
    ge=1,
    le=MAX_PAGE,
    description=gettext_lazy("Which page, from 1. A page after the last one is answered with 404."),
)
PER_PAGE = Query(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description=gettext_lazy("Accounts per page."), example=2)
ADDRESS = Query(
    ...,
    min_length=1,
    max_length=MAX_ADDRESS,
    pattern=NO_CONTROL_CHARACTERS,
    description=gettext_lazy("The profile's address, or its handle."),
    example="https://www.instagram.com/blodbankenbergen/",
)
CODE = Path(
    ...,
    min_length=1,
    max_length=12,
    pattern=CODE_PATTERN,
    description=gettext_lazy("The account's short address, as in the profile's bio."),
    example="bq7k2m",
)
# How a refused parameter is told, checked in this order (as a person reads the address).
LIMITS = {"unit": MAX_ID, "page": MAX_PAGE, "page_size": MAX_PAGE_SIZE, "q": MAX_QUERY, "url": MAX_ADDRESS}
ORDER = ["lang", "code", "q", "url", "platform", "organisation", "unit", "page", "page_size"]


def _refusal(request, name: str) -> ApiError:
    raw = request.GET.get(name, "")
    if name == "lang":
        return ApiError(400, "bad_parameter", _("“lang” must be nb, nn or en."))
    if name == "code":
        return _no_such_account()
    if name == "url" and not raw:
        return _missing_address()
    if name in ("q", "url"):
        if len(raw) > LIMITS[name]:
            return ApiError(
                400,
                "bad_parameter",
                _("“%(name)s” is too long: at most %(maximum)d characters.") % {"name": name, "maximum": LIMITS[name]},
            )
        return ApiError(400, "bad_parameter", _("“%(name)s” contains control characters.") % {"name": name})
    return ApiError(
        400,
        "bad_parameter",
        _("“%(name)s” must be a whole number from 1 to %(maximum)d.") % {"name": name, "maximum": LIMITS[name]},
    )


@api.exception_handler(ApiError)
def _api_error(request, error):
    return error_response(error)


@api.exception_handler(ValidationError)
def _bad_parameters(request, error):
    """The first parameter that is not right, told as the API tells it (see error_codes)."""
    refused = {entry["loc"][-1] for entry in error.errors}
    for name in ORDER:
        if name == "platform" and "platform" in request.GET:
            try:
                _platform(request.GET["platform"])  # an unknown platform is told before what follows
            except ApiError as unknown:
                return error_response(unknown)
        if name in refused:
            return error_response(_refusal(request, name))
    return error_response(ApiError(400, "bad_parameter", str(error.errors[0].get("msg", ""))))


def _platform(slug, catalogue=None):
    """The platform named by the `platform` parameter, or None when not given."""
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


def _organisation(slug):
    """The organisation named by the `organisation` parameter, or None when not given."""
    if slug is None:
        return None
    found = organisations.by_slug(slug) if SLUG.fullmatch(slug) else None
    if found is None or found.is_region or not found.is_active:
        known = ", ".join(o.slug for o in organisations.all_organisations() if o.is_active and not o.is_region)
        raise ApiError(
            400,
            "bad_parameter",
            _("“organisation” must be the short name of an organisation in the portal: %(known)s.") % {"known": known},
        )
    return found


def _organisation_ref(pk) -> dict:
    found = organisations.get(pk)
    return {"slug": found.slug, "name": found.name}


def _no_such_account() -> ApiError:
    return ApiError(404, "not_found", _("There is no account with this short address in the register."))


def _missing_address() -> ApiError:
    return ApiError(
        400, "missing_parameter", _("Give the profile's address or handle to check in the “url” parameter.")
    )


# Reading --------------------------------------------------------------------------------


def _register_urls():
    """code → the address of the account's public page (reversed once, not once per account)."""
    marker = "0"
    head, _marker, tail = (settings.SITE_URL + reverse("registry:public_account", args=[marker])).rpartition(marker)
    return lambda code: f"{head}{code}{tail}"


def _accounts(accounts):
    """The public columns of `accounts`, as dicts."""
    return accounts.order_by().values(*ACCOUNT_COLUMNS)


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


# Operations -----------------------------------------------------------------------------

ERRORS = {400: schemas.Error, 404: schemas.Error, 405: schemas.Error}


def _lang_only(view):
    """The language is the one parameter every operation reads (and refuses when wrong)."""
    return public_page(lang=one_of(*API_LANGUAGES), language=header_language)(view)


@api.get(
    "/accounts",
    response={200: schemas.AccountPage, 304: None, **ERRORS},
    url_name="accounts",
    operation_id="listAccounts",
    summary=gettext_lazy("The official accounts"),
    description=gettext_lazy(
        "The active accounts of every organisation in the portal, or of one (organisation), by display name. "
        "Paused and closed accounts are left out here; ask for one by its short address or check a profile "
        "to learn about those."
    ),
)
@decorate_view(spoken, conditional)
@public_page(
    q=text(MAX_QUERY),
    platform=slug,
    organisation=slug,
    unit=number,
    page=number,
    page_size=number,
    lang=one_of(*API_LANGUAGES),
    language=header_language,
)
def accounts(
    request,
    q: str = QUERY,
    platform: str = PLATFORM,
    organisation: str = ORGANISATION,
    unit: Digits = UNIT,
    page: Digits = PAGE,
    page_size: Digits = PER_PAGE,
    lang: Language = LANG,
):
    query = q.strip()
    platform = _platform(platform)
    organisation = _organisation(organisation)
    found = Account.objects.public()
    if query:
        found = found.named(query)
    if platform is not None:
        found = found.filter(platform=platform)
    if organisation is not None:
        found = found.of_organisation(organisation)
    if unit is not None:
        found = found.filter(unit_id=unit)
    filters = (query, platform.pk if platform else None, unit) + ((organisation.pk,) if organisation else ())
    count, ids = _page_ids(found.order_by("display_name", "id"), page, page_size, filters)
    last = max(1, math.ceil(count / page_size))
    if page > last:
        raise ApiError(
            404,
            "page_not_found",
            _("There is no page %(number)d. The last page is %(last)d.") % {"number": page, "last": last},
        )
    rows = {row["id"]: row for row in _accounts(Account.objects.filter(id__in=ids))}
    register_url = _register_urls()
    return json_response(
        200,
        {
            "count": count,
            "page": page,
            "page_size": page_size,
            "next": _page_link(request, page + 1) if page < last else None,
            "previous": _page_link(request, page - 1) if page > 1 else None,
            "results": [account_answer(rows[pk], register_url) for pk in ids if pk in rows],
        },
    )


@api.get(
    "/accounts/verify",
    response={200: schemas.Verification, 304: None, 400: schemas.Error, 405: schemas.Error},
    url_name="verify",
    operation_id="verifyProfile",
    summary=gettext_lazy("Is this account official?"),
    description=gettext_lazy(
        "Give a profile address, or a handle such as @blodbanken. The answer is official (an "
        "organisation's account, which account.organisation names; status tells if it is paused), closed "
        "(it was an organisation's, until closed_on) or unknown (not in the register of any organisation in "
        "the portal: it may be fake, or a private person's). A bare "
        "handle without platform is looked up on every platform; if it is in the register on more "
        "than one, the answer is 400 and asks for platform."
    ),
)
@decorate_view(spoken, conditional)
@public_page(url=text(MAX_ADDRESS), platform=slug, lang=one_of(*API_LANGUAGES), language=header_language)
def verify(request, url: str = ADDRESS, platform: str = PLATFORM, lang: Language = LANG):
    address = url.strip()
    if not address:
        raise _missing_address()
    outcome = verification.remembered("api", address, platform, lambda: _verify_outcome(address, platform))
    if outcome[0] == "error":
        raise ApiError(*outcome[1:])
    return json_response(200, outcome[1])


def _verify_outcome(address, platform) -> tuple:
    """("answer", payload) or ("error", status, code, message): either is remembered."""
    try:
        return ("answer", _verify_answer(address, platform))
    except ApiError as error:
        return ("error", error.status, error.code, error.message)


def _verify_answer(address, slug) -> dict:
    catalogue = all_platforms()
    platform = _platform(slug, catalogue)
    try:
        verdict = verification.verify(address, platform=platform, platforms=catalogue, rows=_accounts)
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
        found = verdict.profile
        profile = {
            "url": found.url,
            "handle": found.handle,
            "platform": {"slug": found.platform.slug, "name": found.platform.name},
            "lookalikes": list(found.lookalikes),
        }
    else:
        profile = {"url": None, "handle": verdict.handle, "platform": None, "lookalikes": list(verdict.lookalikes)}
    shown = account_answer(verdict.account, _register_urls()) if verdict.account else None
    return {"result": verdict.result, "profile": profile, "account": shown}


@api.get(
    "/accounts/{code}",
    response={200: schemas.Account, 304: None, **ERRORS},
    url_name="account",
    operation_id="getAccount",
    summary=gettext_lazy("One account"),
    description=gettext_lazy(
        "An account by its short address, whether active, paused or closed. Accounts still being set "
        "up are not public, and are answered with 404."
    ),
)
@decorate_view(spoken, conditional)
@_lang_only
def account(request, code: str = CODE, lang: Language = LANG):
    found = list(_accounts(Account.objects.known().filter(code=code.lower()))[:1])
    if not found:
        raise _no_such_account()
    return json_response(200, account_answer(found[0], _register_urls()))


@api.get(
    "/platforms",
    response={200: schemas.PlatformList, 304: None, 400: schemas.Error, 405: schemas.Error},
    url_name="platforms",
    operation_id="listPlatforms",
    summary=gettext_lazy("The platforms"),
    description=gettext_lazy("The platform catalogue, in the portal's order."),
)
@decorate_view(spoken, conditional)
@_lang_only
def platforms(request, lang: Language = LANG):
    return json_response(
        200,
        {
            "results": [
                {"slug": platform.slug, "name": platform.name, "active": platform.is_active, "icon": platform.icon}
                for platform in Platform.objects.order_by("position", "name").only("slug", "name", "is_active", "icon")
            ]
        },
    )


@api.get(
    "/units",
    response={200: schemas.UnitList, 304: None, 400: schemas.Error, 405: schemas.Error},
    url_name="units",
    operation_id="listUnits",
    summary=gettext_lazy("The units with official accounts"),
    description=gettext_lazy("The units that own at least one active account, by name, with the unit each is part of."),
)
@decorate_view(spoken, conditional)
@public_page(organisation=slug, lang=one_of(*API_LANGUAGES), language=header_language)
def units(request, organisation: str = UNITS_ORGANISATION, lang: Language = LANG):
    organisation = _organisation(organisation)
    owning = Unit.objects.filter(Exists(Account.objects.public().filter(unit=OuterRef("pk"))))
    if organisation is not None:
        owning = owning.of_organisations([organisation.pk])
    owning = (
        owning.select_related("parent").only("name", "kind", "organisation_id", "parent__name").order_by("name", "id")
    )
    return json_response(
        200,
        {
            "results": [
                {
                    "id": unit.pk,
                    "name": unit.name,
                    "kind": unit.kind,
                    "parent": {"id": unit.parent_id, "name": unit.parent.name} if unit.parent_id else None,
                    "organisation": _organisation_ref(unit.organisation_id),
                }
                for unit in owning
            ]
        },
    )


@api.get(
    "/openapi.json",
    response={200: dict, 304: None, 400: schemas.Error, 405: schemas.Error},
    url_name="openapi",
    operation_id="getOpenAPI",
    summary=gettext_lazy("This description"),
    description=gettext_lazy("The OpenAPI 3.1 description of the API, as JSON."),
)
@decorate_view(spoken, conditional)
def openapi_document(request, lang: Language = LANG):
    from .document import document

    return json_response(200, document())
