"""The department's own checks and addresses for an account: its organisation (the unit's)
decides on it, and its e-mails name that organisation."""

from django.utils.translation import gettext_lazy as _

from accounts import organisations
from accounts.models import User
from core.access import require_adviser

from .base import NotAllowed


def organisation_of(account):
    """The organisation the account belongs to (its unit's), without a query."""
    return organisations.get(account.unit.organisation_id)


def require_adviser_of(actor, account) -> None:
    """Only an adviser of the account's own organisation decides on it (feedback, due dates,
    closing); a regional adviser and another organisation's advisers do not."""
    require_adviser(
        actor,
        NotAllowed,
        _("Only the Communications Department of the account's organisation can do this."),
        organisation_id=account.unit.organisation_id,
    )


def advisers_of(account):
    """The active advisers of the account's organisation: the ones told about it."""
    return User.objects.filter(is_adviser=True, is_active=True, organisation_id=account.unit.organisation_id)
