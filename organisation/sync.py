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

from accounts.models import Membership, Unit, User

from .reader import LineProblem, Row, kind_of

LIST_LIMIT = 200  # entries per list kept for the dry run and the report


@dataclass
class UnitCreate:
    row: Row
    kind: str
    leader_id: int | None
    depth: int


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
            ]
        )

    def summary(self) -> dict:
        """Counts and (capped) lists, for the dry run page, the stored record and the e-mail."""

        def person(pk):
            return self.names.get(pk, "–") if pk else "–"

        return {
            "rows": self.rows,
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
        for pk, email, number, name, active, in_register, reason in User.objects.values_list(
            "pk", "email", "employee_id", "full_name", "is_active", "in_register", "inactive_reason"
        ):
            self.by_email[email.lower()] = pk
            if number:
                self.by_number[number] = pk
            self.state[pk] = (active, in_register, reason)
            self.names[pk] = name or email

    def find(self, value: str) -> int | None:
        value = value.strip()
        if "@" in value:
            return self.by_email.get(value.lower())
        return self.by_number.get(value)


def sync_plan(rows: list[Row], *, has_members: bool) -> SyncPlan:
    """Compare the file with the portal. Reads only."""
    plan = SyncPlan(rows=len(rows))
    by_id = _check_rows(rows, plan)
    if plan.problems:
        return plan

    people = _People()
    plan.names = people.names
    units = {u.register_id: u for u in Unit.objects.filter(register_id__isnull=False).select_related("parent")}
    register_id_of = {u.pk: u.register_id for u in units.values()}
    plan.units_open = sum(1 for u in units.values() if u.is_active)
    plan.people_active = sum(1 for active, in_register, _reason in people.state.values() if active and in_register)
    by_hand: dict[str, list[Unit]] = defaultdict(list)
    for unit in Unit.objects.filter(register_id__isnull=True):
        by_hand[unit.name.strip().lower()].append(unit)

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
    for row in by_id.values():
        kind = kind_of(row.kind)
        leader_id = resolve(row.leader, row.line, row.name, True) if row.leader else None
        if leader_id:
            file_leaders.add(leader_id)
        if has_members:
            for value in row.members:
                pk = resolve(value, row.line, row.name, False)
                if pk is not None:
                    wanted_members.add((pk, row.unit_id))
        unit = units.get(row.unit_id)
        if unit is None:
            candidates = [u for u in by_hand.get(row.name.strip().lower(), []) if u.register_id is None]
            if len(candidates) == 1:
                unit = candidates[0]
                unit.register_id = row.unit_id  # in memory only; applied by the service
                units[row.unit_id] = unit
                register_id_of[unit.pk] = row.unit_id
                plan.adopted.append((unit, row))
        if unit is None:
            plan.created.append(
                UnitCreate(row=row, kind=kind, leader_id=leader_id, depth=_depth(row.unit_id, by_id, depths))
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
            elif in_register and active:
                plan.people_left.append(pk)
    return plan
