"""Units, memberships and people as the organisation register's file sets them: the writes the
organisation sync (organisation/services.py) asks for, in batches, since one file may create
hundreds of units and place thousands of people. The sync works out what to change; these
services change accounts' tables. Each is atomic and audited, and says what happened
(accounts/events.py):

- `units_changed` with the ids of the units created, linked, changed or closed;
- `person_left` for every person taken out of a unit (the register hands over the accounts
  they ran there). A person the file no longer lists at all is deactivated through
  `accounts.services.person_deactivate`, which announces `person_left` itself.

The bulk writes (bulk_create, bulk_update, update) send no model signals; a membership taken
away is deleted one by one and marked as announced, so nothing is announced twice.
"""

from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from core.audit import audit_log

from .events import person_left, units_changed
from .models import Membership, Unit, User, default_organisation

BATCH = 1000


@transaction.atomic
def units_link_to_register(*, links: list[tuple[Unit, str]], actor) -> None:
    """Units kept by hand, now known by the register's id: (unit, register id)."""
    for unit, register_id in links:
        Unit.objects.filter(pk=unit.pk).update(register_id=register_id)
        audit_log(unit, "unit.linked_to_register", actor=actor, data={"register_id": register_id})
    if links:
        units_changed.announce(unit_ids=[unit.pk for unit, _register_id in links])


@transaction.atomic
def units_create_from_register(*, units: list[Unit], actor) -> list[Unit]:
    """Create units of the register (new Unit objects with register_id set; their parents
    exist already). Returns them with their keys."""
    if not units:
        return units
    _place_in_organisations(units)
    Unit.objects.bulk_create(units, batch_size=BATCH)
    if any(unit.pk is None for unit in units):  # a database that does not return the new keys
        pk_of = dict(
            Unit.objects.filter(register_id__in=[u.register_id for u in units]).values_list("register_id", "pk")
        )
        for unit in units:
            unit.pk = pk_of[unit.register_id]
    for unit in units:
        audit_log(unit, "unit.created_from_register", actor=actor, data={"register_id": unit.register_id})
    units_changed.announce(unit_ids=[unit.pk for unit in units])
    return units


def _place_in_organisations(units: list[Unit]) -> None:
    """A new unit without an organisation belongs to its parent's (bulk_create does not call
    save()); a new top unit without one, to the portal's default organisation."""
    parents = {unit.parent_id for unit in units if unit.organisation_id is None and unit.parent_id}
    organisation_of = dict(Unit.objects.filter(pk__in=parents).values_list("pk", "organisation_id"))
    default = None
    for unit in units:
        if unit.organisation_id is not None:
            continue
        if unit.parent_id:
            unit.organisation_id = organisation_of[unit.parent_id]
        else:
            default = default or default_organisation()
            unit.organisation_id = default.pk


@transaction.atomic
def units_change_from_register(*, changes: list[tuple[Unit, dict]], actor) -> None:
    """Save units whose name, kind, parent, leader or opening the register changed: (the unit
    with its new values set, what changed for the audit log)."""
    for unit, data in changes:
        audit_log(unit, "unit.changed_by_register", actor=actor, data=data)
    units = [unit for unit, _data in changes]
    Unit.objects.bulk_update(units, ["name", "kind", "parent", "leader", "is_active", "closed_at"], batch_size=BATCH)
    if units:
        units_changed.announce(unit_ids=[unit.pk for unit in units])


@transaction.atomic
def units_close(*, units: list[Unit], actor, now: datetime | None = None) -> None:
    """Close units the register no longer has (never deleted: what they own is handed over)."""
    if not units:
        return
    Unit.objects.filter(pk__in=[u.pk for u in units]).update(is_active=False, closed_at=now or timezone.now())
    for unit in units:
        audit_log(unit, "unit.closed_by_register", actor=actor, data={"register_id": unit.register_id})
    units_changed.announce(unit_ids=[unit.pk for unit in units])


@transaction.atomic
def memberships_add(*, pairs: list[tuple[int, int]], actor) -> int:
    """Put people in units: (person id, unit id). One audit entry per unit, with its new members."""
    if not pairs:
        return 0
    Membership.objects.bulk_create(
        [Membership(user_id=user_id, unit_id=unit_id) for user_id, unit_id in pairs],
        batch_size=BATCH,
    )
    by_unit = defaultdict(list)
    for user_id, unit_id in pairs:
        by_unit[unit_id].append(user_id)
    for unit in Unit.objects.filter(pk__in=list(by_unit)):
        audit_log(unit, "unit.members_added_by_register", actor=actor, data={"people": sorted(by_unit[unit.pk])})
    return len(pairs)


@transaction.atomic
def memberships_end(*, membership_ids: list[int], actor) -> int:
    """Take people out of units, and say so for each (`person_left`): the accounts they ran
    there are handed over. Returns how many."""
    ended = 0
    for start in range(0, len(membership_ids), BATCH):
        batch = Membership.objects.filter(pk__in=membership_ids[start : start + BATCH]).select_related("user", "unit")
        for membership in batch:
            user, unit = membership.user, membership.unit
            membership.delete()
            audit_log(user, "person.unit_removed_by_register", actor=actor, data={"unit": unit.pk})
            person_left.announce(user=user, unit=unit, actor=actor)
            ended += 1
    return ended


@transaction.atomic
def people_mark_in_register(*, user_ids: list[int], actor) -> int:
    """These people are in the register's file: the register is their list of staff from now on."""
    marked = 0
    for start in range(0, len(user_ids), BATCH):
        people = list(User.objects.filter(pk__in=user_ids[start : start + BATCH], in_register=False).only("pk"))
        User.objects.filter(pk__in=[p.pk for p in people]).update(in_register=True)
        for person in people:
            audit_log(person, "person.placed_in_register", actor=actor)
        marked += len(people)
    return marked


@transaction.atomic
def people_place_in_organisations(*, placements: list[tuple[int, int]], actor) -> int:
    """People the register places in another organisation's units (and in none of the one they
    belong to): (person id, organisation id). Returns how many moved."""
    moved = 0
    for user_id, organisation_id in placements:
        person = User.objects.filter(pk=user_id).only("pk", "organisation_id").first()
        if person is None or person.organisation_id == organisation_id:
            continue
        User.objects.filter(pk=user_id).update(organisation_id=organisation_id)
        audit_log(
            person,
            "person.organisation_from_register",
            actor=actor,
            data={"from": person.organisation_id, "to": organisation_id},
        )
        moved += 1
    return moved


@transaction.atomic
def people_back_from_register(*, user_ids: list[int], actor) -> int:
    """People the register listed as gone, and lists again: active once more."""
    back = 0
    for person in User.objects.filter(
        pk__in=user_ids, is_active=False, inactive_reason=User.InactiveReason.LEFT_REGISTER
    ):
        person.is_active, person.inactive_reason = True, ""
        person.save(update_fields=["is_active", "inactive_reason"])
        audit_log(person, "person.reactivated_by_register", actor=actor)
        back += 1
    return back
