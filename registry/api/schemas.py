"""What the open API answers, as schemas: the one list of the fields it gives.

The OpenAPI document is generated from these classes, the answers are checked against them,
and the columns the API reads from the register are derived from them, so a field is added or
taken away in one place. Descriptions are translated when the document is made."""

from datetime import date
from typing import Literal

from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel, ConfigDict, Field

from accounts.models import Unit as UnitModel

from ..models import LANGUAGES, AccountStatus

API_VERSION = "1.0.0"

# Limits shared by the parameters, the views and the document.
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


class Answer(BaseModel):
    """An object of the API: exactly these fields, no others."""

    model_config = ConfigDict(extra="forbid")


def _web_address(description=None):
    extra = {"format": "uri"}
    return Field(description=description, json_schema_extra=extra) if description else Field(json_schema_extra=extra)


class PlatformRef(Answer):
    slug: str = Field(description=_("The platform's short name."))
    name: str


class UnitRef(Answer):
    id: int = Field(ge=1)
    name: str


class OrganisationRef(Answer):
    slug: str = Field(description=_("The organisation's short name, as in the “organisation” parameter."))
    name: str


class Account(Answer):
    """An account in the register."""

    code: str = Field(description=_("The account's short address in the register."))
    url: str = Field(description=_("The profile's address on the platform."))
    handle: str = Field(description=_("The profile's handle as the platform spells it."))
    display_name: str
    purpose: str = Field(description=_("What the account is for."))
    languages: list[Literal[tuple(code for code, _label in LANGUAGES)]] = Field(
        description=_("The languages the account writes in.")
    )
    platform: PlatformRef
    unit: UnitRef
    organisation: OrganisationRef = Field(description=_("The organisation whose account it is: the unit's."))
    status: Literal[AccountStatus.ACTIVE.value, AccountStatus.PAUSED.value, AccountStatus.CLOSED.value] = Field(
        description=_("active, paused (still the organisation's, but quiet for now) or closed.")
    )
    live_since: date | None
    closed_on: date | None
    register_url: str = _web_address(_("The account's page in the register, for people to read."))
    response_hours: str = Field(description=_("When the account answers messages."))
    response_time: str = Field(description=_("How fast the account answers."))


# Made by the API, not read from the register.
COMPUTED = {"register_url"}
# Nested objects not read through a foreign key of their own name: the organisation is the unit's.
THROUGH = {"organisation": "unit__organisation"}


def _sources(schema: type[Answer]) -> tuple:
    """(field, where its value comes from) for each of `schema`'s fields, in order: a column, a
    nested object's (field, column) pairs read through its foreign key (platform__name, its id
    from the key itself: unit_id), or None for a value the API makes."""
    found = []
    for name, field in schema.model_fields.items():
        nested = field.annotation
        if name in COMPUTED:
            found.append((name, None))
        elif isinstance(nested, type) and issubclass(nested, Answer):
            path = THROUGH.get(name, name)
            found.append(
                (name, tuple((sub, f"{path}_id" if sub == "id" else f"{path}__{sub}") for sub in nested.model_fields))
            )
        else:
            found.append((name, name))
    return tuple(found)


def _columns(sources):
    for _name, source in sources:
        if isinstance(source, str):
            yield source
        elif source:
            yield from (column for _sub, column in source)


ACCOUNT_SOURCES = _sources(Account)
# Everything the public may read about an account, and nothing more: only these columns are ever
# read from the database (the id and the platform's id are for finding, never shown).
ACCOUNT_COLUMNS = ("id", "platform_id", *_columns(ACCOUNT_SOURCES))


def account_answer(row: dict, register_url) -> dict:
    """An account as the API shows it, from a row of ACCOUNT_COLUMNS, in Account's order."""
    answer = {}
    for name, source in ACCOUNT_SOURCES:
        if source is None:
            answer[name] = register_url(row["code"])
        elif isinstance(source, tuple):
            answer[name] = {sub: row[column] for sub, column in source}
        else:
            value = row[source]
            if isinstance(value, date):
                value = value.isoformat()
            elif name == "languages":
                value = list(value or [])
            answer[name] = value
    return answer


class AccountPage(Answer):
    count: int = Field(ge=0, description=_("Accounts that match, on all pages."))
    page: int = Field(ge=1)
    page_size: int = Field(ge=1, le=MAX_PAGE_SIZE)
    next: str | None = Field(json_schema_extra={"anyOf": [{"type": "string", "format": "uri"}, {"type": "null"}]})
    previous: str | None = Field(json_schema_extra={"anyOf": [{"type": "string", "format": "uri"}, {"type": "null"}]})
    results: list[Account]


class Profile(Answer):
    """The profile as the portal read the address."""

    url: str | None
    handle: str
    platform: PlatformRef | None
    lookalikes: list[str] = Field(description=_("Warnings about characters in the handle that look like others."))


class Verification(Answer):
    result: Literal["official", "closed", "unknown"]
    profile: Profile
    account: Account | None


class Platform(Answer):
    slug: str  # the catalogue's short names, filled in when the document is made
    name: str
    active: bool = Field(description=_("Whether new plans may choose the platform."))
    icon: str = Field(
        description=_(
            "The path data (the “d” attribute) of a one-colour SVG icon drawn on a 24 × 24 grid; "
            "empty when the platform has none."
        )
    )


class PlatformList(Answer):
    results: list[Platform]


class Unit(Answer):
    id: int = Field(ge=1)
    name: str
    kind: Literal[tuple(UnitModel.Kind.values)]
    parent: UnitRef | None
    organisation: OrganisationRef = Field(description=_("The organisation the unit belongs to."))


class UnitList(Answer):
    results: list[Unit]


class ErrorBody(Answer):
    code: str = Field(
        json_schema_extra=lambda schema: schema.update(
            oneOf=[{"const": code, "description": meaning} for code, meaning in error_codes()]
        )
    )
    message: str = Field(description=_("For people, in the language asked for."))


class Error(Answer):
    error: ErrorBody
