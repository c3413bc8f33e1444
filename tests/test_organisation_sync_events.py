"""The organisation sync asks accounts' services to write units, memberships and people
(accounts/units.py), and what they announce is what happened: `units_changed` with the units'
ids, and `person_left` once for every membership the file ends and every person it deactivates,
so the register hands over the accounts they ran."""

import re
from pathlib import Path

import pytest

from accounts.events import person_left, units_changed
from accounts.models import Membership, Unit, User
from core.models import AuditEntry

from .test_organisation_sync import apply, csv_bytes, people, tree  # noqa: F401  (people is a fixture)

ORGANISATION = Path(__file__).resolve().parent.parent / "organisation"


@pytest.fixture
def heard():
    """What person_left and units_changed announced while the test ran."""
    events = {"left": [], "units": []}

    def left(*, user, unit, actor):
        events["left"].append((user.email, unit.register_id if unit else "(left)"))

    def changed(*, unit_ids):
        events["units"].append(set(unit_ids or []))

    person_left.subscribe(left, order=10_000)
    units_changed.subscribe(changed, order=10_000)
    yield events
    for event, function in ((person_left, left), (units_changed, changed)):
        event._subscribers.pop(f"{function.__module__}.{function.__qualname__}")


def test_every_membership_ended_and_person_deactivated_is_announced_once(people, heard):  # noqa: F811
    apply(csv_bytes(tree()))
    assert heard["left"] == []
    created = set(Unit.objects.values_list("pk", flat=True))
    assert created == set().union(*heard["units"])
    heard["units"].clear()

    # Jonas moves from the blood bank to the heart department; Lene is in no unit any more.
    moved = tree(members="silje@example.no")
    moved[4] = ("400", "Hjarteavdelinga", "100", "avdeling", "arne@example.no", "jonas@example.no")
    apply(csv_bytes(moved))

    assert sorted(heard["left"]) == sorted(
        [("jonas@example.no", "310"), ("lene@example.no", "400"), ("lene@example.no", "(left)")]
    )
    assert not User.objects.get(email="lene@example.no").is_active
    assert not Membership.objects.filter(user__email="lene@example.no").exists()
    assert heard["units"] == []  # no unit changed
    removed = AuditEntry.objects.filter(action="person.unit_removed_by_register")
    assert removed.count() == 2


def test_a_unit_closed_renamed_or_linked_is_announced_with_its_id(people, heard):  # noqa: F811
    apply(csv_bytes(tree()))
    heard["units"].clear()
    changed = [row for row in tree() if row[0] != "400"]
    changed[1] = ("200", "Laboratorieklinikken (ny)", "100", "klinikk", "", "")
    apply(csv_bytes(changed))
    closed, renamed = Unit.objects.get(register_id="400"), Unit.objects.get(register_id="200")
    assert not closed.is_active and renamed.name == "Laboratorieklinikken (ny)"
    assert {renamed.pk} in heard["units"] and {closed.pk} in heard["units"]


def test_the_sync_writes_accounts_tables_only_through_accounts_services():
    """No module of the organisation app writes Unit, Membership or User rows itself."""
    write = re.compile(r"\b(Unit|Membership|User)\.objects\b[^\n]*\.(update|delete|create|bulk_create|bulk_update)\(")
    found = [
        f"{path.name}: {line.strip()}"
        for path in ORGANISATION.glob("*.py")
        for line in path.read_text().splitlines()
        if write.search(line)
    ]
    assert found == []
    assert "accounts.units" in (ORGANISATION / "services.py").read_text().replace(
        "accounts import units", "accounts.units"
    )
