"""Every number on the overview, checked against a small hospital whose answers are worked
out by hand below; the filters; the exports; and a query count that does not grow.

The hospital (Helse Bergen HF → Laboratorieklinikken → Blodbanken i Bergen; Helse Bergen HF →
Hjarteavdelinga):

    A1  Blodbanken     Instagram  active  plan P1 (4 h/week)  trained      due in 5 days
    A2  Blodbanken     Facebook   active  plan P1             not trained  10 days overdue, closure candidate
    A3  Hjarteavdelinga Facebook  active  no plan             not trained  due in 100 days, needs new editor
    A4  Hjarteavdelinga LinkedIn  being set up, no plan
    A5  Laboratorieklinikken YouTube  paused, no plan
    A6  Blodbanken     TikTok     closed

Evaluations sent this month: A1 (3 h/week, its goal met, followers 1200 → 1500), A2 (2.5 h,
goal partly met, 700 → 800), A3 (1.5 h, no plan so no goals).
"""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Unit
from evaluations import services
from evaluations.models import Decision, GovernanceMonth, Schedule
from plans.models import Plan, PlanVersion
from registry.models import Account

from .evaluation_steps import send_through_leader

PERCENT = {"plan": 66.7, "trained": 33.3, "on_time": 66.7}


def evaluate(account, actor, *, hours, attainment=None, followers=None):
    today = timezone.localdate()
    evaluation = services.evaluation_start(account=account, actor=actor)
    services.evaluation_save(
        evaluation=evaluation,
        actor=actor,
        content=services.EvaluationContent(
            period_start=services.add_months(today.replace(day=1), -1),
            period_end=today,
            hours_per_week=Decimal(hours),
            followers_start=followers[0] if followers else None,
            followers_end=followers[1] if followers else None,
            result="Resultatet",
            goals=[services.GoalContent(attainment=attainment)] if attainment else [],
        ),
    )
    return send_through_leader(evaluation, writer=actor, decision=Decision.CONTINUE)


@pytest.fixture
def hospital(cast, make_plan, make_account):
    c = cast
    now = timezone.now()
    today = timezone.localdate()
    p1 = make_plan("approved")
    a1 = make_account(status="active", plan=p1)
    a2 = make_account(url="https://www.facebook.com/blodbankenbergen", status="active", plan=p1)
    other = {"unit": c["other_unit"], "editor": c["other"], "deputies": [c["other_leader"]]}
    a3 = make_account(url="https://www.facebook.com/hjarteavdelinga", status="active", **other)
    a4 = make_account(url="https://www.linkedin.com/company/hjarteavdelinga", status="setup", **other)
    clinic = {"unit": c["clinic"], "editor": c["member"], "deputies": [c["deputy"]]}
    a5 = make_account(url="https://www.youtube.com/@laboratorieklinikken", status="paused", **clinic)
    a6 = make_account(url="https://www.tiktok.com/@blodbanken", status="closed")
    evaluate(a1, c["member"], hours="3", attainment="met", followers=(1200, 1500))
    evaluate(a2, c["member"], hours="2.5", attainment="partly", followers=(700, 800))
    evaluate(a3, c["other"], hours="1.5")
    Account.objects.filter(pk__in=[a2.pk, a3.pk]).update(training_missing=True)
    Account.objects.filter(pk=a3.pk).update(needs_new_editor=True)
    services.schedules_refresh()
    Schedule.objects.filter(pk=a1.pk).update(due_on=today + timedelta(days=5))
    Schedule.objects.filter(pk=a2.pk).update(due_on=today - timedelta(days=10), closure_candidate=True)
    Schedule.objects.filter(pk=a3.pk).update(due_on=today + timedelta(days=100))
    services.tallies_recount()  # as the periodic job does after changes made outside the services

    # Plans: two waiting (the oldest for 15 days); three decided, 10, 4 and 7 days after they were first sent.
    for plan in [make_plan("submitted", unit=c["other_unit"], author=c["other"]), make_plan("in_review")]:
        Plan.objects.filter(pk=plan.pk).update(submitted_at=now - timedelta(days=15))
    rejected = make_plan("rejected", unit=c["other_unit"], author=c["other"])
    approved = make_plan("approved", unit=c["other_unit"], author=c["other"])
    for plan, days in [(p1, 10), (rejected, 4), (approved, 7)]:
        decided = now - timedelta(hours=1)
        Plan.objects.filter(pk=plan.pk).update(decided_at=decided)
        PlanVersion.objects.filter(plan=plan, number=1).update(created_at=decided - timedelta(days=days))

    # Last month, as the periodic job kept it.
    last_month = services.add_months(today.replace(day=1), -1)
    GovernanceMonth.objects.create(month=last_month, unit=c["unit"], active=2, plan_approved=1, trained=2, on_time=1)
    GovernanceMonth.objects.create(
        month=last_month, unit=c["other_unit"], active=2, plan_approved=0, trained=1, on_time=2
    )
    return {"accounts": [a1, a2, a3, a4, a5, a6], "last_month": last_month, "today": today}


def overview(client, user, **params):
    client.force_login(user)
    client.cookies["some_language"] = "en"
    response = client.get(reverse("evaluations:overview"), params)
    assert response.status_code == 200
    return response.context["data"]


def rows(data, key):
    return data.tables[key].rows


def test_every_number_for_the_whole_hospital(client, cast, hospital):
    start = hospital["last_month"].strftime("%d.%m.%Y")
    data = overview(client, cast["adviser"], start=start)
    assert data.scope.label == "Helse Bergen"  # the adviser's organisation, every unit of it

    # Being set up, active, paused, closed, in all; the most accounts first.
    assert rows(data, "accounts_platform") == [
        ["Facebook", 0, 2, 0, 0, 2],
        ["Instagram", 0, 1, 0, 0, 1],
        ["LinkedIn", 1, 0, 0, 0, 1],
        ["TikTok", 0, 0, 0, 1, 1],
        ["YouTube", 0, 0, 1, 0, 1],
    ]
    assert rows(data, "accounts_unit") == [
        ["Hjarteavdelinga", 1, 1, 0, 0, 2],
        ["Laboratorieklinikken", 0, 2, 1, 1, 4],
    ]
    assert data.governance["active"] == 3
    assert (data.governance["plan"], data.governance["trained"], data.governance["on_time"]) == (66.7, 33.3, 66.7)
    assert [r[1:] for r in rows(data, "governance")] == [[2, 3, 66.7], [1, 3, 33.3], [2, 3, 66.7]]

    assert [r[1] for r in rows(data, "plans")] == [2, 15, 3, 7.0]
    assert [r[1] for r in rows(data, "evaluations")] == [1, 1, 3]
    assert [r[1] for r in rows(data, "flags")] == [1, 3, 2, 1]

    assert rows(data, "hours_unit") == [["Hjarteavdelinga", 0.0, 1.5], ["Laboratorieklinikken", 4.0, 5.5]]
    assert sorted(rows(data, "hours_platform")) == [["Facebook", 2.0, 4.0], ["Instagram", 2.0, 3.0]]
    assert data.headline["hours"] == [4.0, 7.0]

    assert rows(data, "goals_unit") == [["Laboratorieklinikken", 1, 1, 0]]
    assert rows(data, "goals_platform") == [["Facebook", 0, 1, 0], ["Instagram", 1, 0, 0]]

    trend = rows(data, "governance_trend")
    assert [r[1:] for r in trend] == [[4, 25.0, 75.0, 75.0], [3, 66.7, 33.3, 66.7]]

    followers = rows(data, "followers")
    assert followers == [
        ["Blodbanken i Bergen (Instagram)", 1200, 1500],
        ["Blodbanken i Bergen (Facebook)", 700, 800],
    ]


def test_the_numbers_for_one_clinic_with_its_units(client, cast, hospital):
    data = overview(client, cast["adviser"], unit=cast["clinic"].pk)
    assert data.scope.label == "Laboratorieklinikken"
    assert rows(data, "accounts_unit") == [
        ["Laboratorieklinikken (its own accounts)", 0, 0, 1, 0, 1],
        ["Blodbanken i Bergen", 0, 2, 0, 1, 3],
    ]
    assert data.governance["active"] == 2
    assert (data.governance["plan"], data.governance["trained"], data.governance["on_time"]) == (100.0, 50.0, 50.0)
    assert [r[1] for r in rows(data, "flags")] == [0, 1, 1, 1]
    assert [r[1] for r in rows(data, "plans")][0] == 1  # the plan in review is Blodbanken's


def test_a_leader_sees_their_unit_and_the_clinic_leader_the_whole_clinic(client, cast, hospital):
    data = overview(client, cast["leader"])
    assert data.scope.label == "Blodbanken i Bergen" and data.governance["active"] == 2
    cast["clinic"].leader = cast["admin"]
    cast["clinic"].save()
    data = overview(client, cast["admin"])
    assert data.scope.label == "Laboratorieklinikken" and data.headline["accounts"]["paused"] == 1


def test_the_period_filter_leaves_out_what_was_decided_or_sent_before_it(client, cast, hospital):
    later = services.add_months(hospital["today"].replace(day=1), 1).strftime("%d.%m.%Y")
    data = overview(client, cast["adviser"], start=later, end=later)
    assert [r[1] for r in rows(data, "plans")][2:] == [0, None]
    assert rows(data, "goals_unit") == []
    assert [r[1] for r in rows(data, "evaluations")][2] == 0


def test_a_period_that_ends_before_it_starts_gives_a_message(client, cast, hospital):
    client.force_login(cast["adviser"])
    client.cookies["some_language"] = "en"
    response = client.get(reverse("evaluations:overview"), {"start": "01.12.2026", "end": "01.11.2026"})
    assert response.status_code == 200
    assert "ends before it starts" in response.content.decode()


def test_the_page_has_a_chart_and_a_table_for_each_picture(client, cast, hospital):
    client.force_login(cast["adviser"])
    page = client.get(reverse("evaluations:overview")).content.decode()
    assert page.count("<canvas") == page.count('type="application/json"') >= 6
    assert "vendor/chart.umd.min.js" in page and "<script>" not in page  # no inline script (CSP)
    assert page.count("<table") >= 12


def test_the_query_count_does_not_grow_with_the_rows(client, cast, hospital, make_account, make_plan):
    client.force_login(cast["adviser"])
    url = reverse("evaluations:overview")
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    plan = Plan.objects.filter(status="approved", unit=cast["unit"]).first()
    for n in range(8):
        account = make_account(url=f"https://www.instagram.com/ekstra_{n}/", status="active", plan=plan)
        evaluate(account, cast["member"], hours="1", attainment="not_met", followers=(n, n + 10))
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_each_table_as_csv_with_every_cell_quoted_and_formulas_neutralised(client, cast, hospital, make_account):
    unit = Unit.objects.create(name='=HYPERLINK("http://x")', kind=Unit.Kind.DEPARTMENT, parent=cast["trust"])
    unit.leader = cast["other_leader"]
    unit.save()
    make_account(
        url="https://www.instagram.com/formel/",
        status="active",
        unit=unit,
        editor=cast["other"],
        deputies=[cast["other_leader"]],
    )
    client.force_login(cast["adviser"])
    client.cookies["some_language"] = "en"
    response = client.get(reverse("evaluations:overview_export"), {"table": "accounts_unit", "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text[1:].splitlines()
    assert all(line.startswith('"') and line.endswith('"') for line in lines)
    parsed = list(csv.reader(io.StringIO(text[1:])))
    assert parsed[0][0] == "Unit"
    assert ["Hjarteavdelinga", "1", "1", "0", "0", "2"] in parsed
    assert any(row[0] == '\'=HYPERLINK("http://x")' for row in parsed)


def test_a_formula_after_a_separator_inside_a_name_is_neutralised_in_either_reading(
    client, cast, hospital, make_account
):
    unit = Unit.objects.create(name="Blodbanken;=1+1;x", kind=Unit.Kind.DEPARTMENT, parent=cast["trust"])
    make_account(url="https://www.instagram.com/semikolon/", status="active", unit=unit)
    client.force_login(cast["adviser"])
    text = client.get(reverse("evaluations:overview_export"), {"table": "accounts_unit", "format": "csv"})
    text = text.content.decode("utf-8-sig")
    assert "Blodbanken;'=1+1;x" in text
    for delimiter in (",", ";"):
        cells = [cell for row in csv.reader(io.StringIO(text), delimiter=delimiter) for cell in row]
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]


def test_each_table_as_excel(client, cast, hospital):
    from openpyxl import load_workbook

    client.force_login(cast["adviser"])
    response = client.get(reverse("evaluations:overview_export"), {"table": "governance", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == ("Andel", "Kontoer", "Aktive kontoer", "Prosent")
    assert values[1][1:] == (2, 3, 66.7)
    assert len(values) == 4
    assert sheet["D2"].data_type == "n" and sheet["D2"].number_format == "0.0"  # a number, shown as 66,7


def test_a_csv_is_written_as_a_norwegian_spreadsheet_reads_it(client, cast, hospital):
    """Headings and the file's name in the person's language, decimal commas and
    semicolons between the cells, as Norwegian Excel reads a file it opens."""
    client.force_login(cast["adviser"])
    response = client.get(reverse("evaluations:overview_export"), {"table": "governance", "format": "csv"})
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="oversikt-styringsgraden-andeler-av-de-aktive-kontoene-{today}.csv"'
    )
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["Andel", "Kontoer", "Aktive kontoer", "Prosent"]
    assert rows[1][1:] == ["2", "3", "66,7"]
    trend = client.get(reverse("evaluations:overview_export"), {"table": "governance_trend", "format": "csv"})
    assert f'filename="oversikt-styringsgraden-maned-for-maned-{today}.csv"' in trend["Content-Disposition"]
    assert "governance" not in trend["Content-Disposition"]


def test_a_csv_in_english_has_decimal_points_and_commas(client, cast, hospital):
    client.force_login(cast["adviser"])
    client.cookies["some_language"] = "en"
    response = client.get(reverse("evaluations:overview_export"), {"table": "governance", "format": "xlsx"})
    today = timezone.localdate().isoformat()
    assert (
        f'filename="overview-the-governance-score-shares-of-the-active-accounts-{today}.xlsx"'
        in (response["Content-Disposition"])
    )
    response = client.get(reverse("evaluations:overview_export"), {"table": "governance", "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "Share" and rows[1][1:] == ["2", "3", "66.7"]


def test_an_unknown_table_or_format(client, cast, hospital):
    client.force_login(cast["adviser"])
    url = reverse("evaluations:overview_export")
    assert client.get(url, {"table": "nope", "format": "csv"}).status_code == 404
    assert client.get(url, {"table": "plans", "format": "pdf"}).status_code == 400


def test_the_counts_follow_the_register_and_the_services_at_once(client, cast, make_plan, make_account):
    from registry.services import account_transition

    account = make_account(status="active", plan=make_plan("approved"))
    data = overview(client, cast["adviser"])
    assert data.headline["accounts"]["active"] == 1 and data.governance["plan"] == 100.0
    account_transition(account=account, actor=cast["adviser"], action="pause")
    data = overview(client, cast["adviser"])
    assert data.headline["accounts"]["active"] == 0 and data.headline["accounts"]["paused"] == 1
    account_transition(account=account, actor=cast["adviser"], action="resume")
    Schedule.objects.filter(pk=account.pk).update(due_on=timezone.localdate() - timedelta(days=61))
    services.reminders_send(now=timezone.now())  # flags it as a candidate for closure
    data = overview(client, cast["adviser"])
    assert data.headline["flagged"]["Candidates for closure"] == 1 and data.headline["overdue"] == 1
    assert data.governance["on_time"] == 0.0
