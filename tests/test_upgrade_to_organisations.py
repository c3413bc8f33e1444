"""Upgrading a one-hospital installation to organisations (accounts 0004–0006 and the
migrations of every app that come with them), on a copy of the demo's data: the demo is loaded,
the database is taken back to the state before organisations, its rows are counted in every
table, and the migrations run forward. Nothing is lost, every unit and person is in the one
organisation the settings name, and links to what was there still work."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_ORGANISATIONS = [("accounts", "0003_login_sessions")]


def migrate(targets=None) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    from accounts import organisations

    organisations.forget()  # the organisations of this process are read again


def row_counts() -> dict[str, int]:
    tables = [t for t in connection.introspection.table_names() if t != "django_migrations"]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


@pytest.fixture
def old_installation(catalogue):
    """The demo's data for its one hospital, in a database at the state before organisations."""
    call_command("demo_load", one_organisation=True, verbosity=0)
    migrate(BEFORE_ORGANISATIONS)
    with connection.cursor() as cursor:
        columns = [c.name for c in connection.introspection.get_table_description(cursor, "accounts_unit")]
    assert "organisation_id" not in columns and "accounts_organisation" not in connection.introspection.table_names()
    yield
    migrate()


def test_an_installation_from_before_moves_into_one_organisation_with_everything_it_holds(old_installation, client):
    before = row_counts()
    assert before["accounts_unit"] >= 20 and before["plans_plan"] > 5 and before["registry_account"] > 5

    migrate()

    after = row_counts()
    lost = {table: (count, after.get(table)) for table, count in before.items() if after.get(table, -1) < count}
    assert not lost, f"rows lost in the upgrade: {lost}"
    grown = {table: (count, after[table]) for table, count in before.items() if after[table] != count}
    assert not grown, f"rows made by the upgrade in tables that were there: {grown}"
    assert after["accounts_organisation"] == 1

    from accounts.models import Organisation, Unit, User
    from plans.models import Plan
    from registry.models import Account

    [organisation] = Organisation.objects.all()
    assert organisation.slug == "helse-bergen" and not organisation.is_region
    assert Unit.objects.exclude(organisation=organisation).count() == 0
    assert User.objects.exclude(organisation=organisation).count() == 0
    assert Unit.objects.count() == before["accounts_unit"] and User.objects.count() == before["accounts_user"]

    # Links still resolve: a plan's page for its unit's member, the adviser's review of it, an
    # account's public page and the public answer for its address.
    plan = Plan.objects.filter(unit__memberships__isnull=False).select_related("unit").first()
    member = User.objects.filter(memberships__unit=plan.unit, is_active=True).first()
    client.force_login(member)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200
    adviser = User.objects.get(email="radgivar@eksempel.no")
    assert adviser.advised_organisation_ids() == {organisation.pk}
    client.force_login(adviser)
    submitted = Plan.objects.filter(status="submitted").first()
    assert client.get(reverse("plans:review", args=[submitted.pk])).status_code == 200
    assert client.get(reverse("plans:queue")).status_code == 200
    client.logout()
    account = Account.objects.public().first()
    assert client.get(reverse("registry:public_account", args=[account.code])).status_code == 200
    answer = client.get(reverse("registry:verify"), {"q": account.url})
    assert answer.context["verdict"] == "official"
