from django import template
from django.utils.translation import gettext_lazy as _

from accounts import organisations
from registry.models import CHECKLIST, LANGUAGES

register = template.Library()

AUDIT_TEXT = {
    "account.registered": _("Put in the register"),
    "account.updated": _("The details were changed"),
    "account.checked": _("Ticked on the checklist: %(item)s"),
    "account.unchecked": _("Unticked on the checklist: %(item)s"),
    "account.activate": _("Made active"),
    "account.pause": _("Paused"),
    "account.resume": _("Made active again"),
    "account.close": _("Closed"),
    "account.needs_new_editor": _("An editor left: the account needs a new editor"),
    "account.editor_back": _("The editor is back: the account no longer needs a new editor"),
    "account.imported": _("Imported from a file"),
    # Written by the apps built on the register.
    "account.training_missing": _("Marked: its editors lack the required training"),
    "evaluation.closure_candidate": _("Marked as a candidate for closure: the evaluation is long overdue"),
}
CHECKLIST_LABELS = dict(CHECKLIST)


@register.filter
def account_audit_text(entry) -> str:
    text = AUDIT_TEXT.get(entry.action)
    if text is None:
        return entry.action
    item = entry.data.get("item")
    return str(text) % {"item": CHECKLIST_LABELS.get(item, item)} if item else str(text)


@register.filter
def language_label(code: str) -> str:
    return str(dict(LANGUAGES).get(code, code))


@register.filter
def organisation_of(unit):
    """The organisation a unit belongs to, from the process's list (no query): the owner an
    account's pages name."""
    return organisations.get(unit.organisation_id)
