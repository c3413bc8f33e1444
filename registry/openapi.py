"""The OpenAPI 3.1 description of the open API, built as a dict.

The same dict is served as JSON at /api/v1/openapi.json and rendered as the browsable
page at /api/v1/, so the two cannot disagree. Descriptions are translated into the
language of the request; the list of platform short names comes from the catalogue.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import Unit
from platforms.models import Platform

from .models import LANGUAGES, AccountStatus

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"

# Limits shared by the views and the document.
PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_PAGE = 2_147_483_647
MAX_ID = 2_147_483_647
MAX_QUERY = 200
MAX_ADDRESS = 500
API_LANGUAGES = ["nb", "nn", "en"]

# Text a person may type: anything but control characters (which some databases refuse).
NO_CONTROL_CHARACTERS = r"^[^\u0000-\u001f\u007f]*$"
CODE_PATTERN = r"^[a-zA-Z0-9]+$"


def error_codes() -> list[tuple[str, str]]:
    """The `code` of an error, and what it means."""
    return [
        ("bad_parameter", _("A parameter is not right: not a number, out of range, too long, or not allowed.")),
        ("missing_parameter", _("A parameter that must be there is not.")),
        ("unknown_platform", _("No platform in the catalogue has this short name.")),
        ("not_a_profile", _("What was given is not a profile's address or handle; the message says why.")),
        ("handle_needs_platform", _("The handle is in the register on several platforms; say which one.")),
        ("page_not_found", _("There is no such page of results.")),
        ("not_found", _("No such account, or nothing at this address in the API.")),
        ("method_not_allowed", _("The API only reads.")),
    ]


EXAMPLE_ACCOUNT = {
    "code": "bq7k2m",
    "url": "https://www.instagram.com/blodbankenbergen/",
    "handle": "blodbankenbergen",
    "display_name": "Blodbanken i Bergen",
    "purpose": "Rekruttere og takke blodgivarar.",
    "languages": ["nn", "nb"],
    "platform": {"slug": "instagram", "name": "Instagram"},
    "unit": {"id": 12, "name": "Blodbanken i Bergen"},
    "status": "active",
    "live_since": "2024-03-01",
    "closed_on": None,
    "register_url": None,  # the address on this site, filled in by _paths()
    "response_hours": "Kvardagar 08–15",
    "response_time": "Innan to arbeidsdagar",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def _schemas(platform_slugs: list[str]) -> dict:
    platform_ref = {
        "type": "object",
        "additionalProperties": False,
        "required": ["slug", "name"],
        "properties": {
            "slug": {"type": "string", "description": _("The platform's short name.")},
            "name": {"type": "string"},
        },
    }
    unit_ref = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name"],
        "properties": {"id": {"type": "integer", "minimum": 1}, "name": {"type": "string"}},
    }
    date = {"type": "string", "format": "date"}
    account = {
        "type": "object",
        "description": _("An account in the register."),
        "additionalProperties": False,
        "required": [
            "code",
            "url",
            "handle",
            "display_name",
            "purpose",
            "languages",
            "platform",
            "unit",
            "status",
            "live_since",
            "closed_on",
            "register_url",
            "response_hours",
            "response_time",
        ],
        "properties": {
            "code": {"type": "string", "description": _("The account's short address in the register.")},
            "url": {"type": "string", "description": _("The profile's address on the platform.")},
            "handle": {"type": "string", "description": _("The profile's handle as the platform spells it.")},
            "display_name": {"type": "string"},
            "purpose": {"type": "string", "description": _("What the account is for.")},
            "languages": {
                "type": "array",
                "items": {"type": "string", "enum": [code for code, _label in LANGUAGES]},
                "description": _("The languages the account writes in."),
            },
            "platform": _ref("PlatformRef"),
            "unit": _ref("UnitRef"),
            "status": {
                "type": "string",
                "enum": [AccountStatus.ACTIVE, AccountStatus.PAUSED, AccountStatus.CLOSED],
                "description": _("active, paused (still the hospital's, but quiet for now) or closed."),
            },
            "live_since": _nullable(date),
            "closed_on": _nullable(date),
            "register_url": {
                "type": "string",
                "format": "uri",
                "description": _("The account's page in the register, for people to read."),
            },
            "response_hours": {"type": "string", "description": _("When the account answers messages.")},
            "response_time": {"type": "string", "description": _("How fast the account answers.")},
        },
    }
    page_link = _nullable({"type": "string", "format": "uri"})
    return {
        "PlatformRef": platform_ref,
        "UnitRef": unit_ref,
        "Account": account,
        "AccountPage": {
            "type": "object",
            "additionalProperties": False,
            "required": ["count", "page", "page_size", "next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "minimum": 0, "description": _("Accounts that match, on all pages.")},
                "page": {"type": "integer", "minimum": 1},
                "page_size": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
                "next": page_link,
                "previous": page_link,
                "results": {"type": "array", "items": _ref("Account")},
            },
        },
        "Profile": {
            "type": "object",
            "description": _("The profile as the portal read the address."),
            "additionalProperties": False,
            "required": ["url", "handle", "platform", "lookalikes"],
            "properties": {
                "url": _nullable({"type": "string"}),
                "handle": {"type": "string"},
                "platform": _nullable(_ref("PlatformRef")),
                "lookalikes": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": _("Warnings about characters in the handle that look like others."),
                },
            },
        },
        "Verification": {
            "type": "object",
            "additionalProperties": False,
            "required": ["result", "profile", "account"],
            "properties": {
                "result": {"type": "string", "enum": ["official", "closed", "unknown"]},
                "profile": _ref("Profile"),
                "account": _nullable(_ref("Account")),
            },
        },
        "Platform": {
            "type": "object",
            "additionalProperties": False,
            "required": ["slug", "name", "active", "icon"],
            "properties": {
                "slug": _slug_schema(platform_slugs),
                "name": {"type": "string"},
                "active": {"type": "boolean", "description": _("Whether new plans may choose the platform.")},
                "icon": {
                    "type": "string",
                    "description": _(
                        "The path data (the “d” attribute) of a one-colour SVG icon drawn on a 24 × 24 grid; "
                        "empty when the platform has none."
                    ),
                },
            },
        },
        "PlatformList": {
            "type": "object",
            "additionalProperties": False,
            "required": ["results"],
            "properties": {"results": {"type": "array", "items": _ref("Platform")}},
        },
        "Unit": {
            "type": "object",
            "additionalProperties": False,
            "required": ["id", "name", "kind", "parent"],
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "name": {"type": "string"},
                "kind": {"type": "string", "enum": list(Unit.Kind.values)},
                "parent": _nullable(_ref("UnitRef")),
            },
        },
        "UnitList": {
            "type": "object",
            "additionalProperties": False,
            "required": ["results"],
            "properties": {"results": {"type": "array", "items": _ref("Unit")}},
        },
        "Error": {
            "type": "object",
            "additionalProperties": False,
            "required": ["error"],
            "properties": {
                "error": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["code", "message"],
                    "properties": {
                        "code": {
                            "type": "string",
                            "oneOf": [{"const": code, "description": meaning} for code, meaning in error_codes()],
                        },
                        "message": {"type": "string", "description": _("For people, in the language asked for.")},
                    },
                }
            },
        },
    }


def _headers() -> dict:
    def header(description, schema=None, required=True):
        return {"description": description, "required": required, "schema": schema or {"type": "string"}}

    return {
        "ETag": header(_("A strong validator of the body; send it back in If-None-Match.")),
        "Cache-Control": header(_("public, max-age=60")),
        "Access-Control-Allow-Origin": header(_("Any web page may read the answer."), {"const": "*"}),
        "Content-Language": header(_("The language of the messages."), {"enum": API_LANGUAGES}),
        "Allow": header(_("The methods the API answers."), {"const": "GET, HEAD, OPTIONS"}),
    }


def _slug_schema(platform_slugs: list[str]) -> dict:
    # An empty enum would allow nothing; a catalogue with no platforms allows any name (and finds none).
    return {"type": "string", "enum": platform_slugs} if platform_slugs else {"type": "string"}


def _parameters(platform_slugs: list[str]) -> dict:
    return {
        "lang": {
            "name": "lang",
            "in": "query",
            "required": False,
            "description": _(
                "The language of messages: nb (Bokmål), nn (Nynorsk) or en (English). Without it the "
                "Accept-Language header decides, and without that Bokmål."
            ),
            "schema": {"type": "string", "enum": API_LANGUAGES},
            "example": "en",
        },
        "Accept-Language": {
            "name": "Accept-Language",
            "in": "header",
            "required": False,
            "description": _("Used for the language of messages when lang is not given."),
            "schema": {"type": "string"},
        },
        "If-None-Match": {
            "name": "If-None-Match",
            "in": "header",
            "required": False,
            "description": _("The ETag of an answer you already have; if nothing changed, the answer is 304."),
            "schema": {"type": "string"},
        },
        "platform": {
            "name": "platform",
            "in": "query",
            "required": False,
            "description": _("A platform's short name from /platforms."),
            "schema": _slug_schema(platform_slugs),
            "example": "instagram",
        },
    }


def _ok(schema: str, example, description: str) -> dict:
    return {
        "description": description,
        "headers": {
            name: {"$ref": f"#/components/headers/{name}"}
            for name in ["ETag", "Cache-Control", "Access-Control-Allow-Origin", "Content-Language"]
        },
        "content": {"application/json": {"schema": _ref(schema), "example": example}},
    }


def _responses() -> dict:
    def error(description, example_code, example_message, extra_headers=()):
        headers = {name: {"$ref": f"#/components/headers/{name}"} for name in ["Access-Control-Allow-Origin"]}
        for name in extra_headers:
            headers[name] = {"$ref": f"#/components/headers/{name}"}
        return {
            "description": description,
            "headers": headers,
            "content": {
                "application/json": {
                    "schema": _ref("Error"),
                    "example": {"error": {"code": example_code, "message": example_message}},
                }
            },
        }

    return {
        "NotModified": {
            "description": _("Not modified: the answer is the same as the one with the ETag you sent. No body."),
            "headers": {
                name: {"$ref": f"#/components/headers/{name}"}
                for name in ["ETag", "Cache-Control", "Access-Control-Allow-Origin"]
            },
        },
        "BadRequest": error(
            _("A parameter is missing or not right."),
            "bad_parameter",
            _("“page” must be a whole number from 1 upwards."),
        ),
        "NotFound": error(
            _("Not found: no such account, no such page of results, or no such address in the API."),
            "not_found",
            _("There is no account with this short address in the register."),
        ),
        "MethodNotAllowed": error(
            _("The API only reads: other methods than GET, HEAD and OPTIONS are refused."),
            "method_not_allowed",
            _("This API only reads. Use GET, HEAD or OPTIONS."),
            extra_headers=["Allow"],
        ),
    }


def _standard_responses(*codes) -> dict:
    names = {"304": "NotModified", "400": "BadRequest", "404": "NotFound", "405": "MethodNotAllowed"}
    return {code: {"$ref": f"#/components/responses/{names[code]}"} for code in codes}


def _common_parameters(*names) -> list:
    return [{"$ref": f"#/components/parameters/{name}"} for name in names]


def _paths() -> dict:
    common = _common_parameters("lang", "Accept-Language", "If-None-Match")
    example_account = {
        **EXAMPLE_ACCOUNT,
        "register_url": settings.SITE_URL + reverse("registry:public_account", args=[EXAMPLE_ACCOUNT["code"]]),
    }
    integer = {"type": "integer"}
    account_page_example = {
        "count": 1,
        "page": 1,
        "page_size": 2,
        "next": None,
        "previous": None,
        "results": [example_account],
    }
    return {
        "/accounts": {
            "get": {
                "operationId": "listAccounts",
                "summary": _("The official accounts"),
                "description": _(
                    "The hospital's active accounts, by display name. Paused and closed accounts are "
                    "left out here; ask for one by its short address or check a profile to learn about those."
                ),
                "x-example-request": "/accounts?platform=instagram&page_size=2",
                "parameters": [
                    {
                        "name": "q",
                        "in": "query",
                        "required": False,
                        "description": _("Text to look for in the display name (capital letters do not matter)."),
                        "schema": {"type": "string", "maxLength": MAX_QUERY, "pattern": NO_CONTROL_CHARACTERS},
                        "example": "blodbanken",
                    },
                    {"$ref": "#/components/parameters/platform"},
                    {
                        "name": "unit",
                        "in": "query",
                        "required": False,
                        "description": _("A unit's number from /units: only the accounts that unit owns."),
                        "schema": {**integer, "minimum": 1, "maximum": MAX_ID},
                        "example": 12,
                    },
                    {
                        "name": "page",
                        "in": "query",
                        "required": False,
                        "description": _("Which page, from 1. A page after the last one is answered with 404."),
                        "schema": {**integer, "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                    },
                    {
                        "name": "page_size",
                        "in": "query",
                        "required": False,
                        "description": _("Accounts per page."),
                        "schema": {**integer, "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": PAGE_SIZE},
                        "example": 2,
                    },
                    *common,
                ],
                "responses": {
                    "200": _ok("AccountPage", account_page_example, _("One page of accounts.")),
                    **_standard_responses("304", "400", "404", "405"),
                },
            }
        },
        "/accounts/verify": {
            "get": {
                "operationId": "verifyProfile",
                "summary": _("Is this account official?"),
                "description": _(
                    "Give a profile address, or a handle such as @helsebergen. The answer is official (the "
                    "hospital's account; status tells if it is paused), closed (it was the hospital's, until "
                    "closed_on) or unknown (not in the register: it may be fake, or a private person's). A bare "
                    "handle without platform is looked up on every platform; if it is in the register on more "
                    "than one, the answer is 400 and asks for platform."
                ),
                "x-example-request": "/accounts/verify?url=https%3A%2F%2Fwww.instagram.com%2Fblodbankenbergen%2F",
                "parameters": [
                    {
                        "name": "url",
                        "in": "query",
                        "required": True,
                        "description": _("The profile's address, or its handle."),
                        "schema": {
                            "type": "string",
                            "minLength": 1,
                            "maxLength": MAX_ADDRESS,
                            "pattern": NO_CONTROL_CHARACTERS,
                        },
                        "example": "https://www.instagram.com/blodbankenbergen/",
                    },
                    {"$ref": "#/components/parameters/platform"},
                    *common,
                ],
                "responses": {
                    "200": _ok(
                        "Verification",
                        {
                            "result": "official",
                            "profile": {
                                "url": EXAMPLE_ACCOUNT["url"],
                                "handle": EXAMPLE_ACCOUNT["handle"],
                                "platform": EXAMPLE_ACCOUNT["platform"],
                                "lookalikes": [],
                            },
                            "account": example_account,
                        },
                        _("The verdict, the profile as read, and the account if it is in the register."),
                    ),
                    **_standard_responses("304", "400", "405"),
                },
            }
        },
        "/accounts/{code}": {
            "get": {
                "operationId": "getAccount",
                "summary": _("One account"),
                "description": _(
                    "An account by its short address, whether active, paused or closed. Accounts still being set "
                    "up are not public, and are answered with 404."
                ),
                "x-example-request": f"/accounts/{EXAMPLE_ACCOUNT['code']}",
                "parameters": [
                    {
                        "name": "code",
                        "in": "path",
                        "required": True,
                        "description": _("The account's short address, as in the profile's bio."),
                        "schema": {"type": "string", "minLength": 1, "maxLength": 12, "pattern": CODE_PATTERN},
                        "example": EXAMPLE_ACCOUNT["code"],
                    },
                    *common,
                ],
                "responses": {
                    "200": _ok("Account", example_account, _("The account.")),
                    **_standard_responses("304", "400", "404", "405"),
                },
            }
        },
        "/platforms": {
            "get": {
                "operationId": "listPlatforms",
                "summary": _("The platforms"),
                "description": _("The platform catalogue, in the portal's order."),
                "x-example-request": "/platforms",
                "parameters": common,
                "responses": {
                    "200": _ok(
                        "PlatformList",
                        {
                            "results": [
                                {
                                    "slug": "facebook",
                                    "name": "Facebook",
                                    "active": True,
                                    "icon": "M9.101 23.691v-7.98H6.627…Z",
                                },
                                {"slug": "threads", "name": "Threads", "active": False, "icon": ""},
                            ]
                        },
                        _("Every platform in the catalogue."),
                    ),
                    **_standard_responses("304", "400", "405"),
                },
            }
        },
        "/units": {
            "get": {
                "operationId": "listUnits",
                "summary": _("The units with official accounts"),
                "description": _(
                    "The units that own at least one active account, by name, with the unit each is part of."
                ),
                "x-example-request": "/units",
                "parameters": common,
                "responses": {
                    "200": _ok(
                        "UnitList",
                        {
                            "results": [
                                {
                                    "id": 12,
                                    "name": "Blodbanken i Bergen",
                                    "kind": "section",
                                    "parent": {"id": 3, "name": "Laboratorieklinikken"},
                                }
                            ]
                        },
                        _("The units."),
                    ),
                    **_standard_responses("304", "400", "405"),
                },
            }
        },
        "/openapi.json": {
            "get": {
                "operationId": "getOpenAPI",
                "summary": _("This description"),
                "description": _("The OpenAPI 3.1 description of the API, as JSON."),
                "x-example-request": "/openapi.json",
                "parameters": common,
                "responses": {
                    "200": {
                        "description": _("The OpenAPI document."),
                        "headers": {
                            name: {"$ref": f"#/components/headers/{name}"}
                            for name in ["ETag", "Cache-Control", "Access-Control-Allow-Origin", "Content-Language"]
                        },
                        "content": {"application/json": {"schema": {"type": "object", "required": ["openapi"]}}},
                    },
                    **_standard_responses("304", "400", "405"),
                },
            }
        },
    }


def server_url() -> str:
    """Where the API lives on this site, e.g. /api/v1."""
    return reverse("api:docs").rstrip("/")


def document(platform_slugs: list[str] | None = None) -> dict:
    """The OpenAPI document, in the active language, for the platforms in the catalogue."""
    if platform_slugs is None:
        platform_slugs = list(Platform.objects.values_list("slug", flat=True))
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": _("SoMe-portalen: the register of official accounts"),
            "version": API_VERSION,
            "description": _(
                "Read the register of Haukeland University Hospital's official social media accounts, and "
                "check whether an account is official. Open to all, without a key. Only reads: GET and HEAD, "
                "and OPTIONS for browsers' CORS checks; any web page may call it. Answers are JSON, in UTF-8. "
                "Every answer with 200 carries an ETag and may be kept for 60 seconds; send the ETag back in "
                "If-None-Match to get 304 if nothing changed. Errors are JSON too: "
                '{"error": {"code": ..., "message": ...}}, with the message in the language asked for '
                "(lang, else Accept-Language, else Bokmål). Lists come in pages: count, page, page_size, "
                "and links to the next and previous page."
            ),
            "contact": {"name": _("The Communications Department, Haukeland University Hospital")},
        },
        "servers": [{"url": server_url()}],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(platform_slugs),
            "parameters": _parameters(platform_slugs),
            "headers": _headers(),
            "responses": _responses(),
        },
    }
