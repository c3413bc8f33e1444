"""The register as files: export to CSV and Excel, written by core/exports.py (the portal's
one writer of both, with one formula guard).

The export takes the register page's filters (registry.forms.RegisterFilterForm).
Its columns, always in this order (``EXPORT_COLUMNS``), headed in the person's language
(``EXPORT_LABELS``), with the platform's name, the statuses and yes/no in that language
too, and numbers, dates and separators as a spreadsheet in that language reads them
(core.exports.spreadsheet_style). The import (registry/transfer_import.py) takes these
headings as well as its own column names, so a file cut down from an export to the
import's columns can be imported:

    code              the account's short public address
    platform          the platform's name, e.g. Instagram
    handle            the handle as the profile spells it
    url               the canonical profile address
    display_name      the name the profile shows
    purpose           what the account is for
    languages         language codes, comma-separated (nb, nn, se, en, other)
    unit              the owning unit's name
    unit_id           the owning unit's number
    plan              the plan's number, empty when there is none
    plan_status       the plan's status, empty when there is none
    editor_email      the responsible editor's e-mail address
    deputy_emails     the deputies' e-mail addresses, semicolon-separated
    login_email       the functional mailbox the account logs in with
    functional_mailbox  yes when an adviser has checked that a name-shaped login is a functional mailbox
    response_hours    when the account answers
    response_time     how fast it answers
    status            being set up, active, paused or closed
    needs_new_editor  yes when the editor or a deputy has left
    live_since        date (YYYY-MM-DD), empty if never live
    closed_on         date (YYYY-MM-DD), empty if not closed
    created_at        when the account was put in the register (Norwegian time, to the minute)
    public_page       the account's public page in the register

Every cell is quoted, and a formula character where a spreadsheet could start a cell
(at the start of the text, or after a comma, a semicolon or a line break in it) gets an
apostrophe in front (core/exports.py), so opening an export never runs anything a
profile's owner typed, whether the spreadsheet splits on commas or on semicolons.
"""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core.exports import csv_lines, download_name, spreadsheet_style, xlsx_bytes

from .models import Account


def accounts_for_export(user):
    """The accounts `user` may export: those of the register they see (their organisation's)."""
    return (
        Account.objects.visible_to(user)
        .select_related("platform", "unit", "plan", "editor")
        .prefetch_related(Prefetch("deputies", queryset=User.objects.order_by("email")))
    )


EXPORT_COLUMNS = [
    "code",
    "platform",
    "handle",
    "url",
    "display_name",
    "purpose",
    "languages",
    "unit",
    "unit_id",
    "plan",
    "plan_status",
    "editor_email",
    "deputy_emails",
    "login_email",
    "functional_mailbox",
    "response_hours",
    "response_time",
    "status",
    "needs_new_editor",
    "live_since",
    "closed_on",
    "created_at",
    "public_page",
]

EXPORT_LABELS = {
    "code": gettext_lazy("Short address"),
    "platform": gettext_lazy("Platform"),
    "handle": gettext_lazy("Handle"),
    "url": gettext_lazy("Address"),
    "display_name": gettext_lazy("Display name"),
    "purpose": gettext_lazy("What the account is for"),
    "languages": gettext_lazy("Languages"),
    "unit": gettext_lazy("Unit"),
    "unit_id": gettext_lazy("Unit number"),
    "plan": gettext_lazy("Plan number"),
    "plan_status": gettext_lazy("Plan status"),
    "editor_email": gettext_lazy("Editor's e-mail"),
    "deputy_emails": gettext_lazy("Deputies' e-mail"),
    "login_email": gettext_lazy("Login e-mail"),
    "functional_mailbox": gettext_lazy("Checked functional mailbox"),
    "response_hours": gettext_lazy("When it answers"),
    "response_time": gettext_lazy("How fast it answers"),
    "status": gettext_lazy("Status"),
    "needs_new_editor": gettext_lazy("Needs a new editor"),
    "live_since": gettext_lazy("Live since"),
    "closed_on": gettext_lazy("Closed on"),
    "created_at": gettext_lazy("Registered"),
    "public_page": gettext_lazy("Public page"),
}


def export_header() -> list[str]:
    return [str(EXPORT_LABELS[name]) for name in EXPORT_COLUMNS]


CHUNK = 500


def export_values(account: Account, site_url: str) -> list:
    """One account as a row of typed values, in the order of EXPORT_COLUMNS."""
    plan = account.plan
    return [
        account.code,
        account.platform.name,
        account.handle,
        account.url,
        account.display_name,
        account.purpose,
        ",".join(account.languages),
        account.unit.name,
        account.unit_id,
        plan.pk if plan else None,
        plan.get_status_display() if plan else "",
        account.editor.email,
        ";".join(d.email for d in account.deputies.all()),
        account.login_email,
        account.functional_mailbox,
        account.response_hours,
        account.response_time,
        account.get_status_display(),
        account.needs_new_editor,
        account.live_since,
        account.closed_on,
        timezone.localtime(account.created_at).replace(microsecond=0),
        site_url + reverse("registry:public_account", args=[account.code]),
    ]


def _export_rows(accounts, site_url: str):
    for account in accounts.iterator(chunk_size=CHUNK):
        yield export_values(account, site_url)


def export_csv_chunks(accounts, *, site_url: str):
    """The CSV file piece by piece: a byte order mark (so Excel reads æøå right), the
    header, then one line per account, as a spreadsheet in the person's language reads it."""
    return csv_lines(export_header(), _export_rows(accounts, site_url), style=spreadsheet_style())


def export_xlsx(accounts, *, site_url: str) -> bytes:
    return xlsx_bytes(_("Accounts"), export_header(), _export_rows(accounts, site_url), freeze_header=True)


def export_filename(extension: str) -> str:
    return download_name(_("Account register"), day=timezone.localdate(), extension=extension)
