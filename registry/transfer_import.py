"""Importing accounts that were opened before the register existed, from a CSV file.

The columns are listed in ``IMPORT_COLUMNS``; the export's headings
(registry/transfer_export.py) are read as well, so a file cut down from an export to the
import's columns can be imported. The file is read by core/tabular.py, with the bounds
and the one encoding policy of every upload. An import is checked as a whole first (a dry
run that writes nothing) and then written in one transaction through the same service,
and the same rules, as an account registered by hand.
"""

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Unit, User
from core import tabular
from core.errors import DomainError
from core.exports import csv_text
from core.text import clean_name, strip_invisible
from platforms.models import Platform
from platforms.profiles import NotAProfile, read_profile

from .models import LANGUAGES, Account
from .services import (
    AccountDetails,
    AccountError,
    AlreadyRegistered,
    InvalidDetails,
    account_register,
    ask_for_plans,
    details_errors,
    personal_address,
    tell_unit,
)
from .transfer_export import EXPORT_LABELS


@dataclass(frozen=True)
class ImportColumn:
    name: str
    required: bool
    help: object


IMPORT_COLUMNS = [
    ImportColumn("platform", True, gettext_lazy("The platform's name or short name, e.g. Instagram or instagram.")),
    ImportColumn("url", True, gettext_lazy("The profile's address, as copied from the browser.")),
    ImportColumn("display_name", True, gettext_lazy("The name the profile shows.")),
    ImportColumn("purpose", True, gettext_lazy("What the account is for.")),
    ImportColumn("unit", True, gettext_lazy("The owning unit's name as in the portal, or its number.")),
    ImportColumn("editor_email", True, gettext_lazy("The responsible editor's e-mail address in the portal.")),
    ImportColumn(
        "deputy_emails",
        True,
        gettext_lazy("The deputies' e-mail addresses in the portal, separated by semicolons or commas."),
    ),
    ImportColumn(
        "login_email", True, gettext_lazy("The functional mailbox the account logs in with (not a person's address).")
    ),
    ImportColumn(
        "functional_mailbox",
        False,
        gettext_lazy(
            "Optional. “yes” when the login address looks like a person's name (first.last@…) but you have "
            "checked that it is a functional mailbox the hospital owns, as the tick box “This is a functional "
            "mailbox” in the account form. Empty or “no” otherwise: then such an address is refused."
        ),
    ),
    ImportColumn("response_hours", True, gettext_lazy("When the account answers, e.g. weekdays 8–15.")),
    ImportColumn("response_time", True, gettext_lazy("How fast it answers, e.g. within two working days.")),
    ImportColumn("languages", False, gettext_lazy("Optional. Language codes: nb, nn, se, en, other.")),
    ImportColumn(
        "live_since",
        False,
        gettext_lazy(
            "Optional. The date the account went live (YYYY-MM-DD). With a date the account goes in as active; "
            "without, as being set up."
        ),
    ),
]
IMPORT_COLUMN_NAMES = [c.name for c in IMPORT_COLUMNS]
REQUIRED_COLUMNS = [c.name for c in IMPORT_COLUMNS if c.required]

EXAMPLE_ROW = {
    "platform": "instagram",
    "url": "https://www.instagram.com/blodbanken/",
    "display_name": "Blodbanken i Bergen",
    "purpose": "Rekruttere og takke blodgivarar",
    "unit": "Blodbanken i Bergen",
    "editor_email": "redaktor@helse-bergen.no",
    "deputy_emails": "nestleiar@helse-bergen.no",
    "login_email": "blodbanken.some@helse-bergen.no",
    "functional_mailbox": "yes",
    "response_hours": "Kvardagar 08–15",
    "response_time": "Innan to arbeidsdagar",
    "languages": "nb,nn",
    "live_since": "2019-03-01",
}

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
# A checked file is held (core/held.py) this long between the dry run and the import.
HELD_FOR = timedelta(hours=12)
HELD_PURPOSE = "registry.import"

# Where details_errors() puts a message, and which column of the file that is.
DETAIL_COLUMNS = {
    "deputies": "deputy_emails",
    "editor": "editor_email",
    "login_email": "login_email",
    "functional_mailbox": "functional_mailbox",
    "languages": "languages",
    "plan": "unit",
}
LENGTH_LIMITED = ["display_name", "purpose", "login_email", "response_hours", "response_time"]


class FileProblem(DomainError):
    """The file as a whole cannot be read as an import; `messages` says why."""

    def __init__(self, *messages):
        super().__init__(messages[0])
        self.messages = list(messages)


def example_csv() -> str:
    return csv_text(IMPORT_COLUMN_NAMES, [[EXAMPLE_ROW[name] for name in IMPORT_COLUMN_NAMES]])


# The bounds of core/tabular.py, with this import's size and rows (and the header line).
LIMITS = tabular.Limits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS + 1)


def _problem(problem: tabular.TableProblem) -> FileProblem:
    """The reader's message, in this import's own words where it has them."""
    own = {
        "bytes": lambda: _("The file is larger than 2 MB. Split it into smaller files."),
        "rows": lambda: _("The file has more than %(max)d accounts. Split it into smaller files.") % {"max": MAX_ROWS},
    }
    return FileProblem(own[problem.code]() if problem.code in own else problem.message)


def decode_upload(content: bytes) -> str:
    """The uploaded bytes as text, or a FileProblem saying in plain words why not."""
    try:
        tabular.check_size(content, LIMITS)
    except tabular.TableProblem as problem:
        raise _problem(problem) from None
    if content.startswith((tabular.ZIP_MAGIC, tabular.OLE_MAGIC[:4])):
        raise FileProblem(
            _(
                "This is an Excel workbook, not a CSV file. In Excel, choose “Save as” and the file type "
                "“CSV UTF-8”, and upload that file."
            )
        )
    try:
        return tabular.decode_text(content, LIMITS)
    except tabular.TableProblem as problem:
        raise _problem(problem) from None


def _column_name(header: str) -> str:
    return re.sub(r"[\s-]+", "_", header.strip().lower())


def _exported_headings() -> dict[str, str]:
    """The export's headings in every language, as the column names they stand for."""
    names = {}
    for code, _language in settings.LANGUAGES:
        with translation.override(code):
            names.update({_column_name(str(label)): name for name, label in EXPORT_LABELS.items()})
    return names


@dataclass
class Table:
    columns: list[str]
    # (line number in the file, {column: value}, values in columns without a name)
    rows: list[tuple[int, dict, list]]


def read_table(text: str) -> Table:
    """Split CSV text into named rows (core/tabular.py reads it, with its bounds). The
    separator is read from the header line."""
    try:
        sheet = tabular.read_csv(text, LIMITS)
    except tabular.TableProblem as problem:
        raise _problem(problem) from None
    (_line, record), *records = sheet.rows
    exported = _exported_headings()
    header = [exported.get(_column_name(h), _column_name(h)) for h in record]
    _check_header(header)
    rows = []
    for line, record in records:
        values, extra = {}, []
        for index, cell in enumerate(record):
            name = header[index] if index < len(header) else ""
            cell = strip_invisible(cell).strip()
            if name:
                values[name] = cell
            elif cell:
                extra.append(cell)
        rows.append((line, values, extra))
    if not rows:
        raise FileProblem(_("The file has a header line but no accounts."))
    return Table(columns=[h for h in header if h], rows=rows)


def _check_header(header: list[str]) -> None:
    named = [h for h in header if h]
    problems = []
    missing = [c for c in REQUIRED_COLUMNS if c not in named]
    if missing:
        problems.append(_("The file lacks these columns: %(columns)s.") % {"columns": ", ".join(missing)})
    counts = Counter(named)  # a hostile header may have hundreds of thousands of columns
    unknown = [h for h in counts if h not in IMPORT_COLUMN_NAMES]
    if unknown:
        problems.append(
            _("The file has columns the import does not know: %(columns)s. Use the columns of the example file.")
            % {"columns": ", ".join(unknown[:20])}
        )
    repeated = sorted(h for h, count in counts.items() if count > 1)
    if repeated:
        problems.append(_("These columns appear more than once: %(columns)s.") % {"columns": ", ".join(repeated[:20])})
    if problems:
        raise FileProblem(*problems)


@dataclass
class ImportRow:
    """One line of the file: what it will create, or what is wrong with it."""

    line: int
    values: dict
    errors: list[tuple[str, str]] = field(default_factory=list)  # (column, message)
    platform: Platform | None = None
    profile: object = None
    details: AccountDetails | None = None
    live_since: date | None = None

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def add(self, column: str, message) -> None:
        self.errors.append((column, str(message)))

    def has_error(self, column: str) -> bool:
        return any(c == column for c, _m in self.errors)


@dataclass
class ImportCheck:
    rows: list[ImportRow]

    @property
    def is_valid(self) -> bool:
        return all(row.is_valid for row in self.rows)

    @property
    def invalid_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.is_valid]


def _split(value: str, pattern=r"[;,]") -> list[str]:
    return [part.strip() for part in re.split(pattern, value) if part.strip()]


# How "yes" and "no" are written in the functional_mailbox column, whatever the language of the file.
YES = {"yes", "y", "ja", "j", "true", "1", "x"}
NO = {"", "no", "n", "nei", "false", "0"}


def _read_date(value: str) -> date:
    for parse in (date.fromisoformat, lambda v: datetime.strptime(v, "%d.%m.%Y").date()):
        try:
            return parse(value)
        except ValueError:
            continue
    raise ValueError(value)


class _Lookups:
    """Everything the rows refer to, fetched in a handful of queries for the whole file."""

    def __init__(self, table: Table, user):
        rows = [values for _line, values, _extra in table.rows]
        advised = user.advised_organisation_ids()
        # The organisation asking, for the words when a profile is another's (an adviser advises one).
        self.organisation_id = min(advised) if advised else None
        self.platforms = {}
        for platform in Platform.objects.all():
            self.platforms[platform.slug.lower()] = platform
            self.platforms[platform.name.lower()] = platform
        emails = set()
        for values in rows:
            emails.add(values.get("editor_email", "").lower())
            emails.update(e.lower() for e in _split(values.get("deputy_emails", "")))
            emails.add(values.get("login_email", "").lower())  # a person's own address is never a login
        emails.discard("")
        self.people = {
            u.email_key: u for u in User.objects.annotate(email_key=Lower("email")).filter(email_key__in=emails)
        }
        # Every unit, compared in Python: the database's LOWER() leaves Æ, Ø and Å alone.
        self.units_by_id = {}
        self.units_by_name = defaultdict(list)
        for unit in Unit.objects.of_organisations(advised).order_by("pk"):
            self.units_by_id[unit.pk] = unit
            self.units_by_name[clean_name(unit.name).casefold()].append(unit)

    def unit(self, row: ImportRow, value: str):
        if value.isdigit():
            unit = self.units_by_id.get(int(value))
            if unit is None:
                row.add("unit", _("There is no unit number %(value)s.") % {"value": value})
            elif not unit.is_active:
                row.add("unit", _("The unit “%(name)s” is no longer active.") % {"name": unit.name})
            else:
                return unit
            return None
        candidates = self.units_by_name.get(clean_name(value).casefold(), [])
        active = [u for u in candidates if u.is_active]
        if len(active) == 1:
            return active[0]
        if len(active) > 1:
            row.add(
                "unit",
                _("Several units are called “%(value)s”. Use the unit's number instead: %(ids)s.")
                % {"value": value, "ids": ", ".join(str(u.pk) for u in active)},
            )
        elif candidates:
            row.add("unit", _("The unit “%(name)s” is no longer active.") % {"name": candidates[0].name})
        else:
            row.add(
                "unit",
                _("No unit is called “%(value)s”. Use the unit's name as it is in the portal, or its number.")
                % {"value": value},
            )
        return None

    def person(self, row: ImportRow, column: str, email: str):
        person = self.people.get(email.lower())
        if person is None:
            row.add(column, _("No one in the portal has the e-mail address “%(email)s”.") % {"email": email})
        return person


def _check_row(line: int, values: dict, extra: list, lookups: _Lookups) -> ImportRow:
    row = ImportRow(line=line, values=values)
    if extra:
        row.add(
            "",
            _(
                "This line has more values than the header has columns. A text with a comma or semicolon "
                "in it must be in quotes."
            ),
        )
    for name in REQUIRED_COLUMNS:
        if not values.get(name):
            row.add(name, _("This value is missing."))
    for name in LENGTH_LIMITED:
        limit = Account._meta.get_field(name).max_length
        if len(values.get(name, "")) > limit:
            row.add(
                name,
                _("Too long: at most %(max)d characters, this has %(length)d.")
                % {"max": limit, "length": len(values[name])},
            )

    if values.get("platform"):
        row.platform = lookups.platforms.get(values["platform"].lower())
        if row.platform is None:
            row.add(
                "platform",
                _("Unknown platform “%(value)s”. Use one of: %(names)s.")
                % {
                    "value": values["platform"],
                    "names": ", ".join(sorted({p.slug for p in lookups.platforms.values()})),
                },
            )
    if row.platform and values.get("url"):
        try:
            row.profile = read_profile(values["url"], platform=row.platform)
        except NotAProfile as error:
            row.add("url", error.message)
        else:
            fields = [Account._meta.get_field(name) for name in ("url", "handle")]
            if any(len(getattr(row.profile, f.name)) > f.max_length for f in fields):
                row.add("url", _("This profile address is too long for the register."))

    unit = lookups.unit(row, values["unit"]) if values.get("unit") else None
    editor = lookups.person(row, "editor_email", values["editor_email"]) if values.get("editor_email") else None
    deputies = []
    for email in _split(values.get("deputy_emails", "")):
        person = lookups.person(row, "deputy_emails", email)
        if person is not None and all(d.pk != person.pk for d in deputies):
            deputies.append(person)
    login_email = values.get("login_email", "")
    mark = values.get("functional_mailbox", "").casefold()
    functional_mailbox = mark in YES
    if mark not in YES | NO:
        row.add("functional_mailbox", _("Write “yes” or “no”, or leave it empty."))
    if login_email:
        try:
            validate_email(login_email)
        except ValidationError:
            row.add("login_email", _("“%(value)s” is not an e-mail address.") % {"value": login_email})
        else:
            if personal_address(login_email) and not functional_mailbox and login_email.lower() not in lookups.people:
                # The register's rule, in the words of the file: the mark is a column here, not a tick box.
                row.add(
                    "login_email",
                    _(
                        "This looks like a person's address. Use a functional mailbox the hospital owns, so the "
                        "account does not leave with the person. If it is a functional mailbox, write “yes” in "
                        "the column functional_mailbox."
                    ),
                )
    languages = [code.lower() for code in _split(values.get("languages", ""), r"[;,\s]+")]
    if values.get("live_since"):
        try:
            row.live_since = _read_date(values["live_since"])
        except ValueError:
            row.add(
                "live_since",
                _("“%(value)s” is not a date. Write it as YYYY-MM-DD.") % {"value": values["live_since"]},
            )
        else:
            if row.live_since > timezone.localdate():
                row.add("live_since", _("The date is in the future."))

    details = AccountDetails(
        display_name=values.get("display_name", ""),
        purpose=values.get("purpose", ""),
        unit=unit,
        editor=editor,
        deputies=deputies,
        login_email=login_email,
        response_hours=values.get("response_hours", ""),
        response_time=values.get("response_time", ""),
        languages=languages,
        functional_mailbox=functional_mailbox,
    )
    for key, message in details_errors(details).items():
        column = DETAIL_COLUMNS.get(key, "")
        if key == "editor":
            # Say who has left, and in which column they are.
            gone = [p for p in [editor, *deputies] if p is not None and not p.is_active]
            if editor is not None and editor.is_active:
                column = "deputy_emails"
            message = f"{message} ({', '.join(p.email for p in gone)})"
        if column == "languages":
            message = _("%(message)s Use these codes: %(codes)s.") % {
                "message": message,
                "codes": ", ".join(code for code, _label in LANGUAGES),
            }
        if not row.has_error(column):
            row.add(column, message)
    row.details = details
    return row


def check_table(table: Table, *, user) -> ImportCheck:
    """Check every row against the register's rules, the register itself and the
    rest of the file, for `user`: the units are those of the organisations they advise (another
    organisation's unit is not known here). Writes nothing."""
    lookups = _Lookups(table, user)
    rows = [_check_row(line, values, extra, lookups) for line, values, extra in table.rows]
    # One profile has one canonical address (platforms.profiles), whatever form was pasted.
    same_profile = defaultdict(list)
    for row in rows:
        if row.profile is not None:
            same_profile[row.profile.url].append(row)
    registered = {a.url: a for a in Account.objects.filter(url__in=list(same_profile)).select_related("unit")}
    for url, same in same_profile.items():
        if url in registered:
            for row in same:
                asking = row.details.unit.organisation_id if row.details and row.details.unit else None
                row.add("url", AlreadyRegistered(registered[url], asking or lookups.organisation_id).message)
        if len(same) > 1:
            for row in same:
                others = ", ".join(str(r.line) for r in same if r is not row)
                row.add("url", _("The same profile is also on line %(lines)s of the file.") % {"lines": others})
    return ImportCheck(rows=rows)


@transaction.atomic
def accounts_import(*, actor, check: ImportCheck) -> list[Account]:
    """Register every row of a checked file, or none: the first failure rolls back the
    whole file, and the failing row carries the reason."""
    if not check.is_valid:
        raise AccountError(_("Nothing was imported: some lines have problems."))
    accounts = []
    for row in check.rows:
        try:
            accounts.append(
                account_register(
                    actor=actor,
                    profile=row.profile,
                    details=row.details,
                    live_since=row.live_since,
                    ask_for_plan=False,
                    notify=False,
                )
            )
        except InvalidDetails as error:
            for key, message in error.errors.items():
                row.add(DETAIL_COLUMNS.get(key, ""), message)
            raise
        except AccountError as error:
            row.add("url" if isinstance(error, AlreadyRegistered) else "", error.message)
            raise
    tell_unit(accounts, "registered")
    ask_for_plans(accounts)
    return accounts
