"""Who may see and do what with evaluations and the overview.

- The unit's own people (members and the effective leader: `User.unit_ids()`) write the
  evaluations of the unit's accounts.
- A leader also sees everything below the units they lead, also sub-units with leaders of
  their own (the overview of a clinic is the whole clinic).
- The unit's leader (or, when the unit has none, the nearest leader above it) confirms an
  evaluation before it goes to the department, or returns it to the writer. A member does not,
  nor does an adviser on the unit's behalf.
- Advisers see everything of the organisations they advise (the account's unit's organisation),
  set due dates, write feedback and close accounts there; another organisation's account or
  evaluation is a 404 for them.
- A regional adviser reads the overview of the region's organisations, and decides nothing.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import units_below


def led_scope(user) -> set[int]:
    """Units a person sees on the overview as a leader: the units they lead and all below."""
    if not user.is_authenticated:
        return set()
    if not hasattr(user, "_evaluation_led_scope"):
        user._evaluation_led_scope = units_below(leader=user)
    return user._evaluation_led_scope


def unit_scope(user) -> set[int]:
    """Units whose evaluations a person may read: their own units, and all below those they lead."""
    if not user.is_authenticated:
        return set()
    return set(user.unit_ids()) | led_scope(user)


def may_see_overview(user) -> bool:
    return user.is_authenticated and (bool(user.read_organisation_ids()) or bool(led_scope(user)))


def advises_account(user, account) -> bool:
    """An adviser of the account's organisation (its unit's)."""
    return user.is_authenticated and user.advises(account.unit.organisation_id)


def may_write(user, account) -> bool:
    """The account's own unit writes its evaluations: members and the effective leader."""
    return user.is_authenticated and user.is_active and account.unit_id in user.unit_ids()


def may_confirm(user, account) -> bool:
    """The leader who answers for the account's unit: its own leader, or the nearest leader
    above it (`User.led_unit_ids`, the same rule as for plans)."""
    return user.is_authenticated and user.is_active and account.unit_id in user.led_unit_ids()


def account_for(user, account, *, act: bool = False):
    """404 for those who may not see the account's evaluations; 403 for those who may see
    but not write them (advisers, leaders further up)."""
    if not advises_account(user, account) and account.unit_id not in unit_scope(user):
        raise Http404
    if act and not may_write(user, account):
        raise PermissionDenied
    return account


def require_adviser_or_404(user, account):
    """For the department's own actions: outsiders (another organisation's advisers too) 404,
    the unit 403."""
    if advises_account(user, account):
        return
    if account.unit_id in unit_scope(user):
        raise PermissionDenied
    raise Http404
