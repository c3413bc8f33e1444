"""Which units a person leads: their own, and every unit below them that has no leader of its
own (for which they are the nearest leader up the tree), found in one query however deep."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Membership, Unit, User, units_below

from .conftest import make_user


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)  # without the request's remembered answer


def test_a_leader_leads_the_units_below_up_to_the_next_leader(db):
    chief, head = make_user("sjef@example.no", "Sjef"), make_user("leiar@example.no", "Leiar")
    trust = Unit.objects.create(name="Helseføretaket", kind=Unit.Kind.TRUST, leader=chief)
    clinic = Unit.objects.create(name="Klinikken", kind=Unit.Kind.CLINIC, parent=trust)
    department = Unit.objects.create(name="Avdelinga", kind=Unit.Kind.DEPARTMENT, parent=clinic, leader=head)
    section = Unit.objects.create(name="Seksjonen", kind=Unit.Kind.SECTION, parent=department)
    below = Unit.objects.create(name="Gruppa", kind=Unit.Kind.SECTION, parent=section)
    beside = Unit.objects.create(name="Ved sida av", kind=Unit.Kind.DEPARTMENT, parent=trust)

    assert fresh(chief).led_unit_ids() == {trust.pk, clinic.pk, beside.pk}
    assert fresh(head).led_unit_ids() == {department.pk, section.pk, below.pk}
    assert fresh(make_user("ingen@example.no", "Ingen")).led_unit_ids() == set()

    # Without its leader, the department and everything below it fall to the nearest leader above.
    Unit.objects.filter(pk=department.pk).update(leader=None)
    assert fresh(chief).led_unit_ids() == {trust.pk, clinic.pk, beside.pk, department.pk, section.pk, below.pk}


def test_one_query_however_deep_the_tree(db):
    chief = make_user("sjef@example.no", "Sjef")
    parent = Unit.objects.create(name="Nivå 0", kind=Unit.Kind.TRUST, leader=chief)
    for level in range(1, 8):
        parent = Unit.objects.create(name=f"Nivå {level}", kind=Unit.Kind.SECTION, parent=parent)
    user = fresh(chief)
    with CaptureQueriesContext(connection) as queries:
        assert len(user.led_unit_ids()) == 8
        user.led_unit_ids()  # remembered for the request
    assert len(queries) == 1


def test_the_overview_scope_is_everything_below_including_units_with_leaders_of_their_own(db):
    from evaluations.access import led_scope

    chief, head = make_user("sjef@example.no", "Sjef"), make_user("leiar@example.no", "Leiar")
    trust = Unit.objects.create(name="Helseføretaket", kind=Unit.Kind.TRUST, leader=chief)
    clinic = Unit.objects.create(name="Klinikken", kind=Unit.Kind.CLINIC, parent=trust)
    department = Unit.objects.create(name="Avdelinga", kind=Unit.Kind.DEPARTMENT, parent=clinic, leader=head)
    section = Unit.objects.create(name="Seksjonen", kind=Unit.Kind.SECTION, parent=department)
    assert led_scope(fresh(chief)) == {trust.pk, clinic.pk, department.pk, section.pk}
    assert led_scope(fresh(head)) == {department.pk, section.pk}
    assert units_below(ids=[]) == set()
    with CaptureQueriesContext(connection) as queries:
        assert units_below(ids=[clinic.pk]) == {clinic.pk, department.pk, section.pk}
    assert len(queries) == 1


def test_the_units_led_and_the_units_one_belongs_to_are_read_together(db):
    head = make_user("leiar2@example.no", "Leiar")
    department = Unit.objects.create(name="Avdeling", kind=Unit.Kind.DEPARTMENT, leader=head)
    section = Unit.objects.create(name="Seksjon", kind=Unit.Kind.SECTION, parent=department)
    elsewhere = Unit.objects.create(name="Ein annan stad", kind=Unit.Kind.DEPARTMENT)
    Membership.objects.create(user=head, unit=elsewhere)
    user = fresh(head)
    with CaptureQueriesContext(connection) as queries:
        assert user.unit_ids() == {department.pk, section.pk, elsewhere.pk}
        assert user.led_unit_ids() == {department.pk, section.pk}
    assert len(queries) == 1
    member = fresh(make_user("medlem2@example.no", "Medlem"))
    Membership.objects.create(user=member, unit=section)
    assert member.led_unit_ids() == set() and member.unit_ids() == {section.pk}
