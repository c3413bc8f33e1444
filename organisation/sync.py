"""The organisation register's file, compared with the portal: what a sync would create,
rename, move, give a new leader, close or open again, and which people join, move, leave or
come back. `sync_plan` only compares; organisation/services.py applies a plan.

Rules (the README says the same):
- Units are matched by their id in the register. A unit kept by hand (no register id) with the
  same name as a new unit in the file is taken over rather than duplicated.
- A unit missing from the file is closed, never deleted; what it owns is listed for handover.
- A leader or member who is not in the portal yet is reported, not created: people come into
  the portal by logging in with their hospital account, and the next sync after that places
  them. A unit whose leader is not in the portal yet has no leader of its own meanwhile, so
  its plans go to the nearest leader above.
- Members are synced only when the file has a members column. Then the register is the list
  of staff: a person who was in the register and is in no unit of the file any more is
  deactivated (and the register of accounts hands over what they edited), and one who comes
  back is active again.
- Organisations: a file is for one organisation (chosen when it is uploaded, or the folder of the
  drop directory it came from; else the portal's default), or names each unit's organisation in
  a column of its own (its id in the register or its address name; a unit that names none is in
  its parent's). A sync sees only the units of the file's organisations: it never creates a unit
  in, moves, closes or takes over a unit of another organisation (a unit id that is another
  organisation's is an error in the file), and only people of the file's organisations can be
  found to have left. A person the file places in one organisation's units, who is in no unit of
  another, is that organisation's from then on.
- A file with errors (a cycle in the tree, a parent that is not in the file, one id on two
  lines, an unknown kind, a line without id or name) changes nothing.
- A file that would close more than ORG_SYNC_MAX_CLOSE_PERCENT of the open units, or deactivate
  more than that share of the active people in the register, is a mass change (`mass_change`):
  a file cut short looks like this. The scheduled sync holds it back; only an administrator can
  apply it, from the dry run, after a warning with the numbers.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

from accounts import organisations
from accounts.models import Membership, Unit, User

from .reader import LineProblem, Row, kind_of

LIST_LIMIT = 200  # entries per list kept for the dry run and the report


@dataclass
class UnitCreate:
    row: Row
    kind: str
    leader_id: int | None
    depth: int
    organisation_id: int


@dataclass
class SyncPlan:
    problems: list[LineProblem] = field(default_factory=list)
    warnings: list[LineProblem] = field(default_factory=list)
    rows: int = 0
    created: list[UnitCreate] = field(default_factory=list)
    adopted: list[tuple[Unit, Row]] = field(default_factory=list)
    renamed: list[tuple[Unit, str, str]] = field(default_factory=list)
    moved: list[tuple[Unit, str, str]] = field(default_factory=list)
    kind_changed: list[tuple[Unit, str, str]] = field(default_factory=list)
    new_leader: list[tuple[Unit, int | None, int | None]] = field(default_factory=list)
    closed: list[Unit] = field(default_factory=list)
    reopened: list[Unit] = field(default_factory=list)
    # Desired state, applied by services.sync_apply
    unit_fields: dict[str, dict] = field(default_factory=dict)  # register id -> fields that change
    members_added: list[tuple[int, str]] = field(default_factory=list)  # (user id, unit register id)
    members_removed: list[int] = field(default_factory=list)  # membership ids
    people_in: list[int] = field(default_factory=list)
    people_left: list[int] = field(default_factory=list)
    people_back: list[int] = field(default_factory=list)
    unknown_people: int = 0
    members_synced: bool = False
    names: dict[int, str] = field(default_factory=dict)  # person id -> name, for the lists
    units_open: int = 0  # open units from the register before the sync
    people_active: int = 0  # active people in the register before the sync
    organisation_ids: list[int] = field(default_factory=list)  # the organisations the file is for
    people_placed: list[tuple[int, int]] = field(default_factory=list)  # (person id, organisation id)

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def has_changes(self) -> bool:
        return any(
            [
                self.created,
                self.adopted,
                self.unit_fields,
                self.closed,
                self.reopened,
                self.members_added,
                self.members_removed,
                self.people_in,
                self.people_left,
                self.people_back,
                self.people_placed,
            ]
        )

    def summary(self) -> dict:
        """Counts and (capped) lists, for the dry run page, the stored record and the e-mail."""

        def person(pk):
            return self.names.get(pk, "–") if pk else "–"

        return {
            "rows": self.rows,
            "organisation_ids": self.organisation_ids,
            "organisations": [organisations.get(pk).name for pk in self.organisation_ids if organisations.get(pk)],
            "valid": self.valid,
            "has_changes": self.has_changes,
            "problems": [{"line": p.line, "message": p.message} for p in self.problems[:LIST_LIMIT]],
            "problem_count": len(self.problems),
            "warnings": [{"line": p.line, "message": p.message} for p in self.warnings[:LIST_LIMIT]],
            "warning_count": len(self.warnings),
            "counts": {
                "created": len(self.created),
                "adopted": len(self.adopted),
                "renamed": len(self.renamed),
                "moved": len(self.moved),
                "kind_changed": len(self.kind_changed),
                "new_leader": len(self.new_leader),
                "closed": len(self.closed),
                "reopened": len(self.reopened),
                "members_added": len(self.members_added),
                "members_removed": len(self.members_removed),
                "people_left": len(self.people_left),
                "people_back": len(self.people_back),
                "people_placed": len(self.people_placed),
                "unknown_people": self.unknown_people,
            },
            "created": [
                {"id": c.row.unit_id, "name": c.row.name, "leader": person(c.leader_id)}
                for c in self.created[:LIST_LIMIT]
            ],
            "adopted": [{"id": row.unit_id, "name": unit.name} for unit, row in self.adopted[:LIST_LIMIT]],
            "renamed": [{"id": u.register_id, "from": a, "to": b} for u, a, b in self.renamed[:LIST_LIMIT]],
            "moved": [{"id": u.register_id, "name": u.name, "from": a, "to": b} for u, a, b in self.moved[:LIST_LIMIT]],
            "new_leader": [
                {"id": u.register_id, "name": u.name, "from": person(a), "to": person(b)}
                for u, a, b in self.new_leader[:LIST_LIMIT]
            ],
            "closed": [{"id": u.register_id, "name": u.name, "pk": u.pk} for u in self.closed[:LIST_LIMIT]],
            "reopened": [{"id": u.register_id, "name": u.name} for u in self.reopened[:LIST_LIMIT]],
            "people_left": [person(pk) for pk in self.people_left[:LIST_LIMIT]],
            "people_back": [person(pk) for pk in self.people_back[:LIST_LIMIT]],
            "members_synced": self.members_synced,
            "totals": {"units": self.units_open, "people": self.people_active},
        }


def _share(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def mass_change(summary: dict, percent: int | None = None) -> dict | None:
    """The numbers, when a plan's summary closes more than `percent` (ORG_SYNC_MAX_CLOSE_PERCENT)
    of the open units or deactivates more than that share of the active people; else None."""
    percent = settings.ORG_SYNC_MAX_CLOSE_PERCENT if percent is None else percent
    counts, totals = summary.get("counts", {}), summary.get("totals", {})
    closed, units = counts.get("closed", 0), totals.get("units", 0)
    left, people = counts.get("people_left", 0), totals.get("people", 0)
    if closed * 100 <= percent * units and left * 100 <= percent * people:
        return None
    return {
        "closed": closed,
        "units": units,
        "closed_share": _share(closed, units),
        "left": left,
        "people": people,
        "left_share": _share(left, people),
        "percent": percent,
    }


def _check_rows(rows: list[Row], plan: SyncPlan) -> dict[str, Row]:
    """Problems in the file itself; returns the rows by unit id."""
    by_id: dict[str, Row] = {}
    for row in rows:
        if not row.unit_id:
            plan.problems.append(LineProblem(row.line, _("The line has no unit id.")))
            continue
        if not row.name:
            plan.problems.append(LineProblem(row.line, _("Unit %(id)s has no name.") % {"id": row.unit_id}))
        elif len(row.name) > 200:
            plan.problems.append(LineProblem(row.line, _("The name is longer than 200 characters.")))
        if kind_of(row.kind) is None:
            plan.problems.append(
                LineProblem(
                    row.line,
                    _("“%(kind)s” is not a kind of unit. Use helseføretak, klinikk, senter, avdeling or seksjon.")
                    % {"kind": row.kind},
                )
            )
        if row.unit_id in by_id:
            plan.problems.append(
                LineProblem(
                    row.line,
                    _("Unit id %(id)s is also on line %(other)s; each unit must have its own id.")
                    % {"id": row.unit_id, "other": by_id[row.unit_id].line},
                )
            )
            continue
        by_id[row.unit_id] = row
    for row in by_id.values():
        if row.parent_id and row.parent_id not in by_id:
            plan.problems.append(
                LineProblem(
                    row.line,
                    _("The parent of unit %(id)s, %(parent)s, is not in the file.")
                    % {"id": row.unit_id, "parent": row.parent_id},
                )
            )
    # Cycles: follow each unit's parents; coming back to a unit already on the path is a cycle.
    reported: set[str] = set()
    done: set[str] = set()
    for start in by_id:
        path: list[str] = []
        on_path: set[str] = set()
        current = start
        while current and current in by_id and current not in done:
            if current in on_path:
                cycle = path[path.index(current) :]
                if not reported & set(cycle):
                    reported |= set(cycle)
                    plan.problems.append(
                        LineProblem(
                            by_id[current].line,
                            _("The units %(ids)s are each other's parents (a cycle in the tree).")
                            % {"ids": " → ".join([*cycle, current])},
                        )
                    )
                break
            path.append(current)
            on_path.add(current)
            current = by_id[current].parent_id
        done |= on_path
    return by_id


def _depth(unit_id: str, by_id: dict[str, Row], cache: dict[str, int]) -> int:
    chain = []
    current = unit_id
    while current and current not in cache:
        chain.append(current)
        current = by_id[current].parent_id
    depth = cache.get(current, -1) if current else -1
    for uid in reversed(chain):
        depth += 1
        cache[uid] = depth
    return cache[unit_id]


class _People:
    """Finds people by e-mail or employee number, from one read of the person table."""

    def __init__(self):
        self.by_email: dict[str, int] = {}
        self.by_number: dict[str, int] = {}
        self.state: dict[int, tuple[bool, bool, str]] = {}  # pk -> (is_active, in_register, inactive_reason)
        self.names: dict[int, str] = {}
        self.organisation_of: dict[int, int | None] = {}
        for pk, email, number, name, active, in_register, reason, organisation_id in User.objects.values_list(
            "pk", "email", "employee_id", "full_name", "is_active", "in_register", "inactive_reason", "organisation_id"
        ):
            self.by_email[email.lower()] = pk
            if number:
                self.by_number[number] = pk
            self.state[pk] = (active, in_register, reason)
            self.names[pk] = name or email
            self.organisation_of[pk] = organisation_id

    def find(self, value: str) -> int | None:
        value = value.strip()
        if "@" in value:
            return self.by_email.get(value.lower())
        return self.by_number.get(value)


def find_organisation(value: str):
    """The organisation a file names: by its id in the register, its address name or its name."""
    value = value.strip().lower()
    for organisation in organisations.all_organisations():
        if value in {(organisation.register_id or "").lower(), organisation.slug, organisation.name.lower()}:
            return organisation
    return None


def _organisations_of(by_id: dict[str, Row], plan: SyncPlan, organisation) -> dict[str, int]:
    """Each unit's organisation (unit id → organisation id): the one its line names, else its
    parent's, else the one the file is for (`organisation`, or the portal's default). Problems
    go to the plan."""
    named: dict[str, int] = {}
    for row in by_id.values():
        if not row.organisation:
            continue
        found = find_organisation(row.organisation)
        if found is None:
            message = _("The organisation “%(name)s” is not in the portal.") % {"name": row.organisation}
        elif found.is_region:
            message = _("%(name)s is a region; units belong to its organisations.") % {"name": found.name}
        elif organisation is not None and found.pk != organisation.pk:
            message = _("This file is for %(organisation)s, but unit %(id)s is in %(other)s.") % {
                "organisation": organisation.name,
                "id": row.unit_id,
                "other": found.name,
            }
        else:
            named[row.unit_id] = found.pk
            continue
        plan.problems.append(LineProblem(row.line, message))
    if plan.problems:
        return {}
    fallback = (organisation or organisations.default()).pk
    of: dict[str, int] = {}

    def resolve(unit_id: str) -> int:
        if unit_id not in of:
            parent = by_id[unit_id].parent_id
            of[unit_id] = named.get(unit_id) or (resolve(parent) if parent else fallback)
        return of[unit_id]

    for row in by_id.values():
        resolve(row.unit_id)
    for row in by_id.values():
        if row.parent_id and of[row.unit_id] != of[row.parent_id]:
            plan.problems.append(
                LineProblem(
                    row.line,
                    _("Unit %(id)s is in %(organisation)s, but the unit it is part of, %(parent)s, is in %(other)s.")
                    % {
                        "id": row.unit_id,
                        "organisation": organisations.get(of[row.unit_id]).name,
                        "parent": row.parent_id,
                        "other": organisations.get(of[row.parent_id]).name,
                    },
                )
            )
    return of


def _placed_elsewhere(user_ids: list[int], scope: list[int]) -> set[int]:
    """Of these people, those in a unit, or leading one, of an organisation outside `scope`."""
    found: set[int] = set()
    for start in range(0, len(user_ids), 1000):
        batch = user_ids[start : start + 1000]
        found |= set(
            Membership.objects.filter(user_id__in=batch)
            .exclude(unit__organisation_id__in=scope)
            .values_list("user_id", flat=True)
        )
        found |= set(
            Unit.objects.filter(leader_id__in=batch, is_active=True)
            .exclude(organisation_id__in=scope)
            .values_list("leader_id", flat=True)
        )
    return found


def sync_plan(rows: list[Row], *, has_members: bool, organisation=None) -> SyncPlan:
    """Compare the file with the portal, for the organisation the file is for (None: the
    organisations its lines name, else the portal's default). Reads only."""
    plan = SyncPlan(rows=len(rows))
    by_id = _check_rows(rows, plan)
    if plan.problems:
        return plan
    organisation_of = _organisations_of(by_id, plan, organisation)
    if plan.problems:
        return plan
    scope = sorted(set(organisation_of.values()) | ({organisation.pk} if organisation is not None else set()))
    plan.organisation_ids = scope
    # A unit id that is another organisation's unit: this file may not take it over.
    elsewhere = Unit.objects.filter(register_id__isnull=False).exclude(organisation_id__in=scope)
    for register_id, organisation_id in elsewhere.values_list("register_id", "organisation_id"):
        if register_id in by_id:
            plan.problems.append(_moved_between(by_id[register_id], organisation_id, organisation_of))
    if plan.problems:
        return plan

    people = _People()
    plan.names = people.names
    units = {
        u.register_id: u
        for u in Unit.objects.filter(register_id__isnull=False, organisation_id__in=scope).select_related("parent")
    }
    for register_id, unit in units.items():
        if register_id in by_id and unit.organisation_id != organisation_of[register_id]:
            plan.problems.append(_moved_between(by_id[register_id], unit.organisation_id, organisation_of))
    if plan.problems:
        return plan
    register_id_of = {u.pk: u.register_id for u in units.values()}
    plan.units_open = sum(1 for u in units.values() if u.is_active)
    in_scope = set(scope)
    plan.people_active = sum(
        1
        for pk, (active, in_register, _reason) in people.state.items()
        if active and in_register and people.organisation_of[pk] in in_scope
    )
    by_hand: dict[tuple[int, str], list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(register_id__isnull=True, organisation_id__in=scope):
        by_hand[(unit.organisation_id, unit.name.strip().lower())].append(unit)

    unknown: dict[str, int] = {}

    def resolve(value: str, line: int, unit_name: str, as_leader: bool) -> int | None:
        pk = people.find(value)
        if pk is None and value not in unknown:
            unknown[value] = line
            if as_leader:
                plan.warnings.append(
                    LineProblem(
                        line,
                        _(
                            "The leader of %(unit)s, %(person)s, is not in the portal yet. The unit gets its "
                            "leader at the first sync after they have logged in; until then the nearest leader "
                            "above answers for it."
                        )
                        % {"unit": unit_name, "person": value},
                    )
                )
        return pk

    depths: dict[str, int] = {}
    wanted_members: set[tuple[int, str]] = set()
    file_leaders: set[int] = set()
    listed_in: dict[int, set[int]] = defaultdict(set)  # person id -> the organisations the file places them in
    for row in by_id.values():
        kind = kind_of(row.kind)
        leader_id = resolve(row.leader, row.line, row.name, True) if row.leader else None
        if leader_id:
            file_leaders.add(leader_id)
            listed_in[leader_id].add(organisation_of[row.unit_id])
        if has_members:
            for value in row.members:
                pk = resolve(value, row.line, row.name, False)
                if pk is not None:
                    wanted_members.add((pk, row.unit_id))
                    listed_in[pk].add(organisation_of[row.unit_id])
        unit = units.get(row.unit_id)
        if unit is None:
            key = (organisation_of[row.unit_id], row.name.strip().lower())
            candidates = [u for u in by_hand.get(key, []) if u.register_id is None]
            if len(candidates) == 1:
                unit = candidates[0]
                unit.register_id = row.unit_id  # in memory only; applied by the service
                units[row.unit_id] = unit
                register_id_of[unit.pk] = row.unit_id
                plan.adopted.append((unit, row))
        if unit is None:
            plan.created.append(
                UnitCreate(
                    row=row,
                    kind=kind,
                    leader_id=leader_id,
                    depth=_depth(row.unit_id, by_id, depths),
                    organisation_id=organisation_of[row.unit_id],
                )
            )
            continue
        changes: dict = {}
        if unit.name != row.name:
            plan.renamed.append((unit, unit.name, row.name))
            changes["name"] = row.name
        if unit.kind != kind:
            plan.kind_changed.append((unit, unit.kind, kind))
            changes["kind"] = kind
        current_parent = register_id_of.get(unit.parent_id) if unit.parent_id else ""
        if (current_parent or "") != row.parent_id:
            old = unit.parent.name if unit.parent_id else "–"
            new = by_id[row.parent_id].name if row.parent_id else "–"
            plan.moved.append((unit, old, new))
            changes["parent"] = row.parent_id
        if unit.leader_id != leader_id:
            plan.new_leader.append((unit, unit.leader_id, leader_id))
            changes["leader_id"] = leader_id
        if not unit.is_active:
            plan.reopened.append(unit)
            changes["is_active"] = True
        if changes:
            plan.unit_fields[row.unit_id] = changes
    plan.created.sort(key=lambda c: c.depth)

    in_file = set(by_id)
    plan.closed = [u for rid, u in units.items() if rid not in in_file and u.is_active]
    plan.unknown_people = len(unknown)
    moving = sorted(
        pk for pk, placed in listed_in.items() if len(placed) == 1 and people.organisation_of[pk] not in placed
    )
    stays = _placed_elsewhere(moving, scope)
    plan.people_placed = [(pk, next(iter(listed_in[pk]))) for pk in moving if pk not in stays]

    if has_members:
        plan.members_synced = True
        existing: dict[tuple[int, str], int] = {}
        managed_pks = {u.pk: rid for rid, u in units.items() if rid in in_file}
        for pk, user_id, unit_id in Membership.objects.filter(unit_id__in=list(managed_pks)).values_list(
            "pk", "user_id", "unit_id"
        ):
            existing[(user_id, managed_pks[unit_id])] = pk
        plan.members_added = sorted(wanted_members - set(existing))
        plan.members_removed = sorted(pk for key, pk in existing.items() if key not in wanted_members)
        in_register_now = {pk for pk, _rid in wanted_members} | file_leaders
        for pk, (active, in_register, reason) in people.state.items():
            if pk in in_register_now:
                if not in_register:
                    plan.people_in.append(pk)
                if not active and reason == User.InactiveReason.LEFT_REGISTER:
                    plan.people_back.append(pk)
            elif in_register and active and people.organisation_of[pk] in in_scope:
                plan.people_left.append(pk)
    return plan


def _moved_between(row: Row, organisation_id: int, organisation_of: dict[str, int]) -> LineProblem:
    return LineProblem(
        row.line,
        _(
            "Unit %(id)s is a unit of %(organisation)s in the portal; this file cannot move it to %(other)s. "
            "A unit moves to another organisation in the administration."
        )
        % {
            "id": row.unit_id,
            "organisation": organisations.get(organisation_id).name,
            "other": organisations.get(organisation_of[row.unit_id]).name,
        },
    )
