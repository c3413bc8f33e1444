"""The evaluation cycle: due dates, reminders on a clock the test controls (across months
and the changes to and from summer time), the 60-day closure flag, idempotent runs."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.models import AuditEntry, OutboundEmail
from evaluations import services
from evaluations.models import ClosureReason, Reminder, Schedule
from registry.models import Account

OSLO = ZoneInfo("Europe/Oslo")
UTC = ZoneInfo("UTC")


def at(text: str, zone=OSLO) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone)


@pytest.fixture
def account(cast, make_plan, make_account):
    return make_account(status="active", plan=make_plan("approved"))


def due(account, day: date) -> None:
    Schedule.objects.filter(pk=account.pk).update(due_on=day)


def sent(template=None) -> list:
    emails = OutboundEmail.objects.filter(template__startswith="evaluation_").order_by("pk")
    if template:
        emails = emails.filter(template=template)
    return [(e.template, tuple(e.to)) for e in emails]


@pytest.mark.parametrize(
    "day,months,expected",
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 8, 31), 12, date(2027, 8, 31)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
    ],
)
def test_months_are_added_as_on_a_calendar(day, months, expected):
    assert services.add_months(day, months) == expected


def test_the_first_evaluation_is_due_three_months_after_the_account_went_live(settings):
    assert services.first_due(date(2026, 11, 30), date(2026, 11, 30)) == date(2027, 2, 28)
    # Went live a month ago: still three months after it went live.
    assert services.first_due(date(2026, 10, 26), date(2026, 11, 26)) == date(2027, 1, 26)
    # Live for years before the portal followed it: a full period from now, not overdue at once.
    assert services.first_due(date(2018, 9, 1), date(2026, 11, 26)) == date(2027, 2, 26)
    settings.EVALUATION_FIRST_MONTHS = 6
    assert services.first_due(date(2026, 11, 30), date(2026, 11, 30)) == date(2027, 5, 30)


def test_an_account_gets_its_schedule_when_it_goes_live(account):
    schedule = Schedule.objects.get(pk=account.pk)
    today = timezone.localdate()
    assert schedule.status == "active"
    assert schedule.due_on == services.add_months(today, 3)
    assert schedule.plan_approved is True
    assert schedule.hours_planned == 4  # the plan's four hours, one active account


def test_an_account_being_set_up_has_no_due_date(make_account, cast):
    account = make_account(status="setup")
    schedule = Schedule.objects.get(pk=account.pk)
    assert schedule.due_on is None and schedule.plan_approved is False


def test_the_periodic_refresh_catches_bulk_changes_to_the_register(account):
    Account.objects.filter(pk=account.pk).update(training_missing=True, needs_new_editor=True)
    assert Schedule.objects.get(pk=account.pk).training_missing is False
    assert services.schedules_refresh() == 1
    schedule = Schedule.objects.get(pk=account.pk)
    assert schedule.training_missing is True and schedule.needs_new_editor is True
    assert services.schedules_refresh() == 0


def test_a_plans_hours_are_shared_between_its_active_accounts(cast, make_plan, make_account):
    plan = make_plan("approved")
    first = make_account(status="active", plan=plan)
    second = make_account(url="https://www.facebook.com/blodbanken.bergen", status="active", plan=plan)
    assert Schedule.objects.get(pk=first.pk).hours_planned == 2
    assert Schedule.objects.get(pk=second.pk).hours_planned == 2


@pytest.mark.parametrize(
    "today,expected",
    [
        (date(2026, 3, 14), None),
        (date(2026, 3, 15), "soon"),
        (date(2026, 3, 28), "soon"),
        (date(2026, 3, 29), "due"),
        (date(2026, 4, 4), "due"),
        (date(2026, 4, 5), "overdue-1"),
        (date(2026, 4, 12), "overdue-2"),
        (date(2026, 5, 28), "overdue-8"),
    ],
)
def test_the_reminder_stage_of_a_day(today, expected):
    assert services.reminder_stage(date(2026, 3, 29), today) == expected


def test_reminders_across_the_change_to_summer_time(account, cast):
    """Due on Sunday 29 March 2026, the night the clocks go forward: the days are Norwegian days."""
    due(account, date(2026, 3, 29))
    people = tuple(sorted([cast["member"].email])), tuple(sorted([cast["leader"].email]))

    services.reminders_send(now=at("2026-03-14T22:30:00", UTC))  # 23.30 on the 14th in Bergen
    assert sent() == []
    services.reminders_send(now=at("2026-03-14T23:30:00", UTC))  # 00.30 on the 15th: 14 days before
    assert sorted(to for _t, to in sent("evaluation_due_soon")) == sorted(people)
    services.reminders_send(now=at("2026-03-28T22:59:00", UTC))  # 23.59 on the 28th
    assert sent("evaluation_due") == []
    services.reminders_send(now=at("2026-03-28T23:00:00", UTC))  # midnight: the due day
    assert len(sent("evaluation_due")) == 2
    services.reminders_send(now=at("2026-04-04T21:59:00", UTC))  # 23.59 summer time on the 4th
    assert sent("evaluation_overdue") == []
    services.reminders_send(now=at("2026-04-04T22:00:00", UTC))  # midnight summer time: a week overdue
    assert len(sent("evaluation_overdue")) == 2
    assert set(Reminder.objects.values_list("stage", flat=True)) == {"soon", "due", "overdue-1"}


def test_reminders_across_the_change_from_summer_time(account):
    """Due on Sunday 25 October 2026, the night the clocks go back."""
    due(account, date(2026, 10, 25))
    services.reminders_send(now=at("2026-10-24T21:59:00", UTC))  # 23.59 summer time on the 24th
    assert sent("evaluation_due") == []
    services.reminders_send(now=at("2026-10-24T22:00:00", UTC))  # midnight on the 25th, summer time
    assert len(sent("evaluation_due")) == 2
    services.reminders_send(now=at("2026-10-25T02:30:00"))  # the hour that comes twice
    services.reminders_send(now=at("2026-10-31T22:59:00", UTC))  # 23.59 winter time on the 31st
    assert sent("evaluation_overdue") == []
    services.reminders_send(now=at("2026-10-31T23:00:00", UTC))  # midnight on 1 November
    assert len(sent("evaluation_overdue")) == 2
    assert len(sent("evaluation_due")) == 2


def test_a_season_of_reminders_day_by_day_across_months_running_twice_each_day(account, cast):
    """Due 10 February; the job runs twice every morning from 20 January to 1 May."""
    due(account, date(2026, 2, 10))
    day = date(2026, 1, 20)
    while day <= date(2026, 5, 1):
        now = datetime(day.year, day.month, day.day, 7, 0, tzinfo=OSLO)
        services.reminders_send(now=now)
        services.reminders_send(now=now)
        day += timedelta(days=1)
    assert len(sent("evaluation_due_soon")) == 2  # 27 January, to the editor and the leader
    assert len(sent("evaluation_due")) == 2  # 10 February
    # Weekly while overdue: 17 February (week 1) … 28 April (week 11).
    assert len(sent("evaluation_overdue")) == 2 * 11
    stages = Reminder.objects.filter(account=account).values_list("stage", flat=True)
    assert {s for s in stages if s.startswith("overdue-")} == {f"overdue-{n}" for n in range(1, 12)}
    first_week = Reminder.objects.get(account=account, stage="overdue-1").sent_at
    assert timezone.localdate(first_week) == date(2026, 2, 17)
    # 60 days after 10 February is 11 April: the advisers are told once, the account flagged.
    assert sent("evaluation_closure_candidate") == [("evaluation_closure_candidate", (cast["adviser"].email,))]
    assert timezone.localdate(Reminder.objects.get(account=account, stage="closure").sent_at) == date(2026, 4, 11)
    schedule = Schedule.objects.get(pk=account.pk)
    assert schedule.closure_candidate and schedule.closure_reason == ClosureReason.OVERDUE
    assert AuditEntry.objects.filter(action="evaluation.closure_candidate", target_id=account.pk).count() == 1


def test_running_the_periodic_job_twice_sends_nothing_twice(account, settings):
    due(account, timezone.localdate())
    call_command("portal_periodic", verbosity=0)
    first = OutboundEmail.objects.filter(template__startswith="evaluation_").count()
    call_command("portal_periodic", verbosity=0)
    assert first == 2
    assert OutboundEmail.objects.filter(template__startswith="evaluation_").count() == first


def test_a_job_that_did_not_run_for_weeks_sends_only_todays_stage(account):
    due(account, date(2026, 3, 1))
    services.reminders_send(now=at("2026-03-20T08:00:00"))
    assert [t for t, _to in sent()] == ["evaluation_overdue", "evaluation_overdue"]


def test_no_reminders_for_paused_or_closed_accounts_or_people_who_left(account, cast):
    due(account, date(2026, 3, 1))
    cast["leader"].is_active = False
    cast["leader"].save()
    services.reminders_send(now=at("2026-03-01T08:00:00"))
    assert [to for _t, to in sent()] == [(cast["member"].email,)]
    OutboundEmail.objects.filter(template__startswith="evaluation_").delete()
    from registry.services import account_transition

    account_transition(account=account, actor=cast["adviser"], action="pause")
    services.reminders_send(now=at("2026-03-08T08:00:00"))
    assert sent() == []


def test_an_account_paused_through_its_due_date_gets_a_new_period_when_it_resumes(account, cast, settings):
    from registry.services import account_transition

    account_transition(account=account, actor=cast["adviser"], action="pause")
    due(account, timezone.localdate() - timedelta(days=70))
    account_transition(account=account, actor=cast["adviser"], action="resume")
    schedule = Schedule.objects.get(pk=account.pk)
    assert schedule.due_on == services.add_months(timezone.localdate(), settings.EVALUATION_FIRST_MONTHS)
    services.reminders_send(now=timezone.now())
    assert sent() == [] and not Schedule.objects.get(pk=account.pk).closure_candidate


def test_each_person_gets_the_reminder_in_their_own_language(account, cast):
    cast["leader"].language = "nn"
    cast["leader"].save()
    cast["member"].language = "en"
    cast["member"].save()
    due(account, date(2026, 3, 29))
    services.reminders_send(now=at("2026-03-29T08:00:00"))
    by_person = {
        to[0]: subject
        for to, subject in OutboundEmail.objects.filter(template="evaluation_due").values_list("to", "subject")
    }
    assert by_person[cast["member"].email] == "Evaluation of “Blodbanken i Bergen” due today"
    assert by_person[cast["leader"].email] == "Evaluering av «Blodbanken i Bergen» skal gjerast i dag"


def test_an_adviser_sets_another_date_and_the_reminders_follow_it(account, cast):
    due(account, date(2026, 3, 1))
    services.reminders_send(now=at("2026-05-01T08:00:00"))
    assert Schedule.objects.get(pk=account.pk).closure_candidate
    with pytest.raises(services.InvalidEvaluation):
        services.schedule_set_due(
            account=account, actor=cast["adviser"], due_on=date(2026, 4, 1), now=at("2026-05-01T08:00:00")
        )
    with pytest.raises(services.NotAllowed):
        services.schedule_set_due(account=account, actor=cast["member"], due_on=date(2026, 6, 1))
    schedule = services.schedule_set_due(
        account=account,
        actor=cast["adviser"],
        due_on=date(2026, 6, 1),
        note="Ny redaktør frå mai",
        now=at("2026-05-01T08:00:00"),
    )
    assert schedule.due_on == date(2026, 6, 1) and schedule.due_set_by == cast["adviser"]
    assert not schedule.closure_candidate
    assert AuditEntry.objects.filter(action="evaluation.due_set").get().data["to"] == "2026-06-01"
    OutboundEmail.objects.filter(template__startswith="evaluation_").delete()
    services.reminders_send(now=at("2026-05-18T08:00:00"))  # 14 days before the new date
    assert [t for t, _to in sent()] == ["evaluation_due_soon", "evaluation_due_soon"]


@pytest.mark.django_db(transaction=True)
def test_a_reminder_arrives_over_smtp(smtp, run_worker, cast, make_plan, make_account):
    account = make_account(status="active", plan=make_plan("approved"))
    due(account, date(2026, 3, 29))
    services.reminders_send(now=at("2026-03-15T08:00:00"))
    run_worker()
    subjects = sorted(m["Subject"] for m in smtp.messages if "Evaluering" in m["Subject"])
    assert subjects == ["Evaluering av «Blodbanken i Bergen» skal gjøres 29. mars 2026"] * 2
    reminder = next(m for m in smtp.messages if "Evaluering" in m["Subject"])
    body = reminder.get_body(("plain",)).get_content()
    assert f"/evaluering/konto/{account.pk}/" in body


def test_the_governance_trend_keeps_each_month_as_it_ended(account, cast):
    services.governance_record(now=at("2026-03-31T23:00:00"))
    services.governance_record(now=at("2026-03-31T23:30:00"))  # twice: still one row per month and unit
    from evaluations.models import GovernanceMonth

    row = GovernanceMonth.objects.get()
    assert (row.month, row.active, row.plan_approved, row.trained) == (date(2026, 3, 1), 1, 1, 1)
    Account.objects.filter(pk=account.pk).update(training_missing=True)
    services.schedules_refresh()
    services.governance_record(now=at("2026-04-02T08:00:00"))
    assert list(GovernanceMonth.objects.values_list("month", "trained")) == [
        (date(2026, 3, 1), 1),
        (date(2026, 4, 1), 0),
    ]
