"""The overview with several organisations: an adviser counts their own organisation only; a
regional adviser reads the region's organisations side by side and each one's figures,
read-only, and decides nothing; an organisation outside what a person reads is a 404."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Organisation, Unit

from .test_evaluations_organisations import account_of
from .test_plans_organisations import login, second_organisation

OVERVIEW = reverse("evaluations:overview")
EXPORT = reverse("evaluations:overview_export")


@pytest.fixture
def region(cast, instagram, make_plan, make_account):
    """Helse Bergen with one active account and one plan waiting; Helse Stavanger with one
    active account (its plan approved); both in Helse Vest."""
    stavanger = second_organisation(cast)
    make_account(status="active", plan=make_plan("approved"))
    make_plan("submitted", title="Bergen venter")
    account_of(cast, instagram, stavanger)
    return stavanger


def test_a_regional_adviser_sees_the_organisations_side_by_side(client, region):
    login(client, region["regional"])
    response = client.get(OVERVIEW)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "evaluations/overview_region.html"
    built = response.context["region"]
    rows = {row.name: row for row in built.rows}
    assert set(rows) == {"Helse Bergen", "Helse Stavanger"}
    assert rows["Helse Bergen"].active == 1 and rows["Helse Stavanger"].active == 1
    assert rows["Helse Bergen"].waiting == 1 and rows["Helse Stavanger"].waiting == 0
    assert rows["Helse Bergen"].plan == 1 and len(rows["Helse Stavanger"].days) == 1
    assert built.total.active == 2 and built.total.waiting == 1 and len(built.total.days) == 2
    table = built.tables["region"]
    assert [row[0] for row in table.rows] == ["Helse Bergen", "Helse Stavanger", built.total.name]
    page = response.content.decode()
    assert f"{OVERVIEW}?organisasjon=helse-stavanger" in page
    csv = client.get(EXPORT, {"table": "region", "format": "csv"})
    assert csv.status_code == 200 and "Helse Stavanger" in csv.content.decode("utf-8-sig")


def test_a_regional_adviser_opens_one_organisations_figures_read_only(client, region):
    login(client, region["regional"])
    response = client.get(OVERVIEW, {"organisasjon": "helse-stavanger"})
    assert response.status_code == 200
    assert response.context["read_only"] is True
    data = response.context["data"]
    assert data.scope.label == "Helse Stavanger"
    assert data.headline["accounts"]["active"] == 1
    assert data.headline["plans_waiting"] == 0  # Bergen's waiting plan is not counted here
    assert "Bergen venter" not in response.content.decode()
    # They decide nothing: the department's pages stay closed to them.
    assert client.get(reverse("plans:queue")).status_code == 403


def test_an_organisation_outside_the_region_is_a_404(client, region):
    Organisation.objects.create(name="Helse Sør-Øst", slug="helse-sor-ost", mailbox="post@hso.example.no")
    login(client, region["regional"])
    assert client.get(OVERVIEW, {"organisasjon": "helse-sor-ost"}).status_code == 404
    assert client.get(OVERVIEW, {"organisasjon": "finst-ikkje"}).status_code == 404


def test_an_adviser_reads_only_their_own_organisation(client, cast, region):
    login(client, cast["adviser"])
    response = client.get(OVERVIEW)
    assert response.status_code == 200 and response.context["read_only"] is False
    data = response.context["data"]
    assert data.scope.label == "Helse Bergen"
    assert data.headline["accounts"]["active"] == 1 and data.headline["plans_waiting"] == 1
    assert "Barneklinikken" not in response.content.decode()
    assert client.get(OVERVIEW, {"organisasjon": "helse-stavanger"}).status_code == 404
    assert client.get(EXPORT, {"organisasjon": "helse-stavanger", "table": "plans"}).status_code == 404
    assert client.get(EXPORT, {"table": "region", "format": "csv"}).status_code == 404
    # Another organisation's unit is not offered, and asking for it shows the adviser's own figures.
    offered = {value for value, _label in response.context["form"].fields["unit"].choices}
    assert region["unit"].pk not in offered and cast["unit"].pk in offered
    chosen = client.get(OVERVIEW, {"unit": region["unit"].pk})
    assert chosen.status_code == 200 and chosen.context["data"].scope.label == "Helse Bergen"
    assert chosen.context["data"].headline["accounts"]["active"] == 1


def test_the_region_page_costs_the_same_queries_for_more_organisations(client, region):
    login(client, region["regional"])
    client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as two:
        client.get(OVERVIEW)
    third = Organisation.objects.create(
        name="Helse Fonna", slug="helse-fonna", region=region["region"], mailbox="post@fonna.example.no"
    )
    Unit.objects.create(name="Helse Fonna HF", kind=Unit.Kind.TRUST, organisation=third)
    client.get(OVERVIEW)
    with CaptureQueriesContext(connection) as three:
        response = client.get(OVERVIEW)
    assert len(response.context["region"].rows) == 3
    assert len(three) == len(two)
