"""Every change to evaluations, schedules and key figures goes through here: one function
per action, each atomic and audited. Views, the periodic job, the demo loader and tests
call these.

The cycle: an account's first evaluation is due EVALUATION_FIRST_MONTHS after it went live
(or after it came into the cycle, for an account that was live before the portal knew it),
then EVALUATION_INTERVAL_MONTHS after each evaluation sent; an adviser may set another date.
Reminders go to the responsible editor and the unit's leader 14 days before, on the day,
and weekly while overdue; after 60 days overdue the advisers are told and the account is
flagged as a candidate for closure.
"""

import calendar
import hashlib
from collections import Counter
from dataclasses import dataclass, field, fields
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, F, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from core.audit import audit_log
from core.emails import email_queue
from core.errors import DomainError
from plans.models import Plan, PlanStatus
from plans.services import plan_draft_from
from registry import services as registry_services
from registry.models import Account, AccountStatus

from . import importing
from .access import may_write
from .models import (
    METRICS,
    AccountTally,
    ClosureReason,
    ColumnMapping,
    DailyFigure,
    Decision,
    Evaluation,
    EvaluationStatus,
    FigureImport,
    GoalResult,
    GoalTally,
    GovernanceMonth,
    PostFigure,
    Reminder,
    Schedule,
)

REMIND_BEFORE_DAYS = 14
CLOSURE_AFTER_DAYS = 60
CHUNK = 1000
COPIED = [
    "unit_id",
    "platform_id",
    "status",
    "plan_approved",
    "training_missing",
    "needs_new_editor",
    "hours_planned",
]


class EvaluationError(DomainError):
    pass


class NotAllowed(EvaluationError):
    pass


class WrongState(EvaluationError):
    pass


class NotActive(EvaluationError):
    pass


class DraftExists(EvaluationError):
    def __init__(self, evaluation):
        super().__init__(_("An evaluation of this account is already being written. Carry on with it."))
        self.evaluation = evaluation


class InvalidEvaluation(EvaluationError):
    """`errors` maps field names to messages."""

    def __init__(self, errors: dict):
        super().__init__(_("Some of the details are not right. See the messages below."))
        self.errors = errors


class NotReady(EvaluationError):
    def __init__(self, problems):
        super().__init__(_("The evaluation cannot be sent yet. See what is missing below."))
        self.problems = problems


# --------------------------------------------------------------------------- dates


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it is shorter (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def first_due(live_since: date | None, today: date) -> date:
    """The first evaluation: a set period after the account went live. An account that was
    live for longer than that before the portal followed it gets a full period from now,
    rather than being overdue (and soon flagged for closure) the day it is registered."""
    due = add_months(live_since or today, settings.EVALUATION_FIRST_MONTHS)
    return due if due >= today else add_months(today, settings.EVALUATION_FIRST_MONTHS)


def next_due(evaluated_on: date) -> date:
    return add_months(evaluated_on, settings.EVALUATION_INTERVAL_MONTHS)


def _today(now=None) -> date:
    return timezone.localdate(now or timezone.now())


# --------------------------------------------------------------------------- schedules


def schedules_refresh(*, account_ids=None, now=None) -> int:
    """Bring the schedules in step with the register and the plans: create one for each
    account that has none, copy what the overview counts, and give a newly active account
    its first due date. With `account_ids`, only those accounts and the others of their
    plans (whose share of the plan's hours changes with them). Returns the rows changed.

    Not audited row by row: it copies facts whose changes the register and the plans audit."""
    today = _today(now)
    accounts = Account.objects.all()
    if account_ids is not None:
        ids = list(account_ids)
        plan_ids = Account.objects.filter(pk__in=ids, plan__isnull=False).values_list("plan_id", flat=True)
        accounts = accounts.filter(Q(pk__in=ids) | Q(plan_id__in=list(plan_ids)))
    rows = list(
        accounts.values_list(
            "pk", "unit_id", "platform_id", "status", "plan_id", "training_missing", "needs_new_editor", "live_since"
        ).order_by("pk")
    )
    plan_ids = {row[4] for row in rows if row[4]}
    approved = dict(
        Plan.objects.filter(pk__in=plan_ids, status=PlanStatus.APPROVED).values_list("pk", "hours_per_week")
        if account_ids is not None
        else Plan.objects.filter(status=PlanStatus.APPROVED).values_list("pk", "hours_per_week")
    )
    active_per_plan: dict[int, int] = {}
    for row in rows:
        if row[3] == AccountStatus.ACTIVE and row[4] in approved:
            active_per_plan[row[4]] = active_per_plan.get(row[4], 0) + 1
    changed = 0
    touched: set[int] = set()  # units whose tallies change
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        existing = Schedule.objects.in_bulk([row[0] for row in chunk])
        to_create, to_update = [], []
        for pk, unit_id, platform_id, status, plan_id, training_missing, needs_editor, live_since in chunk:
            hours = None
            if status == AccountStatus.ACTIVE and plan_id in approved and approved[plan_id] is not None:
                hours = (Decimal(approved[plan_id]) / active_per_plan[plan_id]).quantize(Decimal("0.01"))
            wanted = {
                "unit_id": unit_id,
                "platform_id": platform_id,
                "status": status,
                "plan_approved": plan_id in approved,
                "training_missing": training_missing,
                "needs_new_editor": needs_editor,
                "hours_planned": hours,
            }
            schedule = existing.get(pk)
            if schedule is None:
                schedule = Schedule(account_id=pk, **wanted)
                if status == AccountStatus.ACTIVE:
                    schedule.due_on = first_due(live_since, today)
                to_create.append(schedule)
                continue
            dirty = False
            old_unit, old_status = schedule.unit_id, schedule.status
            for name, value in wanted.items():
                if getattr(schedule, name) != value:
                    setattr(schedule, name, value)
                    dirty = True
            if status == AccountStatus.ACTIVE and schedule.due_on is None:
                schedule.due_on = first_due(live_since, today)
                dirty = True
            resumed = old_status == AccountStatus.PAUSED and status == AccountStatus.ACTIVE
            if resumed and schedule.due_on and schedule.due_on < today:
                # Paused through its due date: the account gets a first period from the day it
                # is back, rather than being overdue (and flagged for closure) the day it resumes.
                schedule.due_on = first_due(today, today)
                dirty = True
            if status == AccountStatus.CLOSED and schedule.closure_candidate:
                schedule.closure_candidate, schedule.closure_reason = False, ""
                dirty = True
            if dirty:
                to_update.append(schedule)
                touched.update({old_unit, unit_id})
        touched.update(schedule.unit_id for schedule in to_create)
        Schedule.objects.bulk_create(to_create, ignore_conflicts=True)
        # Small batches: an update of many rows is one CASE per field, which SQLite reads row by row.
        Schedule.objects.bulk_update(
            to_update, [*COPIED, "due_on", "closure_candidate", "closure_reason"], batch_size=250
        )
        changed += len(to_create) + len(to_update)
    # In full (the periodic job) every tally is counted again, which also mends any drift.
    tallies_recount(unit_ids=None if account_ids is None else touched)
    return changed


def tallies_recount(*, unit_ids=None) -> None:
    """Count the schedules of these units (or all) per unit, platform and status again."""
    if unit_ids is not None and not unit_ids:
        return
    schedules = Schedule.objects.all() if unit_ids is None else Schedule.objects.filter(unit_id__in=list(unit_ids))
    counted = (
        schedules.values("unit_id", "platform_id", "status")
        .order_by()
        .annotate(
            count=Count("*"),
            plans=_tally(Q(plan_approved=True)),
            trained_=_tally(Q(training_missing=False)),
            editors=_tally(Q(needs_new_editor=True)),
            training=_tally(Q(training_missing=True)),
            closure=_tally(Q(closure_candidate=True)),
            planned=Sum("hours_planned"),
            reported=Sum("hours_reported"),
        )
    )
    rows = [
        AccountTally(
            unit_id=row["unit_id"],
            platform_id=row["platform_id"],
            status=row["status"],
            n=row["count"],
            plan_approved=row["plans"],
            trained=row["trained_"],
            needs_new_editor=row["editors"],
            training_missing=row["training"],
            closure_candidate=row["closure"],
            hours_planned=row["planned"] or 0,
            hours_reported=row["reported"] or 0,
        )
        for row in counted
    ]
    with transaction.atomic():
        old = (
            AccountTally.objects.all() if unit_ids is None else AccountTally.objects.filter(unit_id__in=list(unit_ids))
        )
        old.delete()
        AccountTally.objects.bulk_create(rows)


def _tally(condition):
    """How many rows meet `condition`, as SUM(CASE …): unlike COUNT(pk) FILTER (…) it lets SQLite
    read the schedules' covering index alone (their key is not the table's row id)."""
    return Sum(Case(When(condition, then=Value(1)), default=Value(0)))


def schedule_for(account: Account) -> Schedule:
    schedule = Schedule.objects.filter(pk=account.pk).first()
    if schedule is None:
        schedules_refresh(account_ids=[account.pk])
        schedule = Schedule.objects.get(pk=account.pk)
    return schedule


def _require_adviser(actor):
    if not (actor.is_authenticated and actor.is_adviser):
        raise NotAllowed(_("Only the Communications Department can do this."))


@transaction.atomic
def schedule_set_due(*, account: Account, actor, due_on: date, note: str = "", now=None) -> Schedule:
    """An adviser gives one account another due date (a busy season, a new editor, a campaign)."""
    _require_adviser(actor)
    if account.status == AccountStatus.CLOSED:
        raise WrongState(_("The account is closed and is no longer evaluated."))
    if due_on < _today(now):
        raise InvalidEvaluation({"due_on": _("Choose today or a later date.")})
    schedule = schedule_for(account)
    schedule = Schedule.objects.select_for_update().get(pk=schedule.pk)
    before = schedule.due_on
    schedule.due_on = due_on
    schedule.due_set_by = actor
    schedule.due_note = note.strip()[:300]
    if schedule.closure_reason == ClosureReason.OVERDUE:
        schedule.closure_candidate, schedule.closure_reason = False, ""
    schedule.save()
    tallies_recount(unit_ids={schedule.unit_id})
    audit_log(
        account,
        "evaluation.due_set",
        actor=actor,
        data={"from": before.isoformat() if before else None, "to": due_on.isoformat(), "note": schedule.due_note},
    )
    return schedule


# --------------------------------------------------------------------------- reminders


def reminder_stage(due_on: date, today: date) -> str | None:
    """Which reminder is due today: 14 days before, on the day, then one a week while overdue.
    A job that did not run for a while sends the stage of today, not every stage it missed."""
    days = (today - due_on).days
    if days < -REMIND_BEFORE_DAYS:
        return None
    if days < 0:
        return "soon"
    if days < 7:
        return "due"
    return f"overdue-{days // 7}"


TEMPLATES = {"soon": "evaluation_due_soon", "due": "evaluation_due"}


def _people(*people) -> list:
    return list({p.pk: p for p in people if p is not None and p.is_active}.values())


def reminders_send(*, now) -> int:
    """Send today's reminders, and alert the advisers about accounts 60 days overdue.
    Each stage is recorded (account, due date, stage) before its mail is queued, in one
    transaction, so running this twice sends nothing twice."""
    today = _today(now)
    due = list(
        Schedule.objects.active()
        .filter(due_on__lte=today + timedelta(days=REMIND_BEFORE_DAYS))
        .order_by("due_on", "pk")
        .values_list("pk", "due_on")
    )
    leaders: dict[int, User | None] = {}
    advisers = None
    sent = 0
    flagged: set[int] = set()
    for start in range(0, len(due), CHUNK):
        chunk = due[start : start + CHUNK]
        # What was sent before, in one query: most of the accounts are already reminded today.
        recorded = set(
            Reminder.objects.filter(account_id__in=[pk for pk, _due in chunk]).values_list(
                "account_id", "due_on", "stage"
            )
        )
        wanted = []
        for pk, due_on in chunk:
            stage = reminder_stage(due_on, today)
            remind = stage is not None and (pk, due_on, stage) not in recorded
            flag = (today - due_on).days >= CLOSURE_AFTER_DAYS and (pk, due_on, "closure") not in recorded
            if remind or flag:
                wanted.append((pk, due_on, stage if remind else None, flag))
        accounts = Account.objects.select_related("editor", "platform", "unit").in_bulk([w[0] for w in wanted])
        for pk, due_on, stage, flag in wanted:
            account = accounts[pk]
            days_overdue = (today - due_on).days
            context = {"account": account, "due_on": due_on, "days_overdue": days_overdue}
            if stage:
                if account.unit_id not in leaders:
                    leaders[account.unit_id] = account.unit.effective_leader()
                with transaction.atomic():  # the stage and its mail together, or neither
                    if _record_stage(account, due_on, stage, now):
                        template = TEMPLATES.get(stage, "evaluation_overdue")
                        for person in _people(account.editor, leaders[account.unit_id]):
                            _mail(person, template, context)
                            sent += 1
            if flag:
                if advisers is None:
                    advisers = list(User.objects.filter(is_adviser=True, is_active=True))
                with transaction.atomic():
                    if not _record_stage(account, due_on, "closure", now):
                        continue
                    Schedule.objects.filter(pk=pk).update(closure_candidate=True, closure_reason=ClosureReason.OVERDUE)
                    flagged.add(account.unit_id)
                    audit_log(account, "evaluation.closure_candidate", data={"due_on": due_on.isoformat()})
                    for person in advisers:
                        _mail(person, "evaluation_closure_candidate", context)
                        sent += 1
    tallies_recount(unit_ids=flagged)
    return sent


def _record_stage(account, due_on, stage, now) -> bool:
    """True if this stage was not recorded before (and is now)."""
    try:
        with transaction.atomic():
            Reminder.objects.create(account=account, due_on=due_on, stage=stage, sent_at=now)
    except IntegrityError:
        return False
    return True


def _mail(person, template: str, context: dict) -> None:
    email_queue(
        template=template, to=[person.email], context={**context, "recipient": person}, language=person.language
    )


# --------------------------------------------------------------------------- the governance trend


def governance_record(*, now) -> int:
    """Keep this month's governance figures per unit (the trend shows each month as it ended)."""
    today = _today(now)
    month = today.replace(day=1)
    counts = (
        Schedule.objects.active()
        .values("unit_id")
        .order_by()
        .annotate(
            n=Count("pk"),
            plan=Count("pk", filter=Q(plan_approved=True)),
            trained=Count("pk", filter=Q(training_missing=False)),
            on_time=Count("pk", filter=Q(due_on__isnull=True) | Q(due_on__gte=today)),
        )
    )
    seen = set()
    with transaction.atomic():
        for row in counts:
            seen.add(row["unit_id"])
            GovernanceMonth.objects.update_or_create(
                month=month,
                unit_id=row["unit_id"],
                defaults={
                    "active": row["n"],
                    "plan_approved": row["plan"],
                    "trained": row["trained"],
                    "on_time": row["on_time"],
                },
            )
        GovernanceMonth.objects.filter(month=month).exclude(unit_id__in=seen).update(
            active=0, plan_approved=0, trained=0, on_time=0
        )
    return len(seen)


# --------------------------------------------------------------------------- evaluations


@dataclass
class GoalContent:
    reached_value: Decimal | None = None
    attainment: str = ""
    comment: str = ""
    outcome: str = ""
    outcome_source: str = ""


@dataclass
class EvaluationContent:
    """What the evaluation form collected, already validated field by field."""

    period_start: date
    period_end: date
    hours_per_week: Decimal | None = None
    people_involved: int | None = None
    money_spent: Decimal | None = None
    money_note: str = ""
    posts_photo: int | None = None
    posts_video: int | None = None
    posts_text: int | None = None
    posts_link: int | None = None
    posts_other: int | None = None
    followers_start: int | None = None
    followers_end: int | None = None
    views: int | None = None
    reach: int | None = None
    engagement: int | None = None
    messages_received: int | None = None
    messages_answered: int | None = None
    comments_received: int | None = None
    comments_answered: int | None = None
    median_response_hours: Decimal | None = None
    impact: str = ""
    result: str = ""
    worked_well: str = ""
    did_not_work: str = ""
    goals: list[GoalContent] = field(default_factory=list)


CONTENT_FIELDS = [f.name for f in fields(EvaluationContent) if f.name != "goals"]
GOAL_FIELDS = [f.name for f in fields(GoalContent)]


def _locked(evaluation: Evaluation) -> Evaluation:
    return (
        Evaluation.objects.select_for_update(of=("self",))
        .select_related("account__unit", "account__platform")
        .get(pk=evaluation.pk)
    )


def _approved_plan(account: Account):
    plan = account.plan
    return plan if plan is not None and plan.status == PlanStatus.APPROVED else None


@transaction.atomic
def evaluation_start(*, account: Account, actor, now=None) -> Evaluation:
    """A new evaluation of an active account, with the goals of its approved plan."""
    account = (
        Account.objects.select_for_update(of=("self",)).select_related("plan", "unit", "platform").get(pk=account.pk)
    )
    if not may_write(actor, account):
        raise NotAllowed(_("Only the account's own unit writes its evaluations."))
    if account.status != AccountStatus.ACTIVE:
        raise NotActive(
            _("Only an active account is evaluated. This account is “%(status)s”.")
            % {"status": account.get_status_display()}
        )
    draft = Evaluation.objects.filter(account=account, status=EvaluationStatus.DRAFT).first()
    if draft:
        raise DraftExists(draft)
    today = _today(now)
    schedule = schedule_for(account)
    previous = (
        Evaluation.objects.filter(account=account)
        .exclude(status=EvaluationStatus.DRAFT)
        .order_by("-period_end")
        .first()
    )
    if previous:
        start = previous.period_end + timedelta(days=1)
    else:
        start = account.live_since or add_months(today, -settings.EVALUATION_INTERVAL_MONTHS)
    start = min(start, today)
    plan = _approved_plan(account)
    version = plan.versions.order_by("-number").first() if plan else None
    evaluation = Evaluation.objects.create(
        account=account,
        unit=account.unit,
        platform=account.platform,
        plan=plan,
        plan_version=version,
        due_on=schedule.due_on,
        period_start=start,
        period_end=today,
        created_by=actor,
    )
    goals = version.snapshot["goals"] if version else [g.as_dict() for g in plan.goals.all()] if plan else []
    GoalResult.objects.bulk_create(
        GoalResult(
            evaluation=evaluation,
            position=i,
            goal=g.get("goal", ""),
            indicator=g.get("indicator", "")[:300],
            target_value=g.get("target_value", "")[:300],
            time_frame=g.get("time_frame", "")[:300],
        )
        for i, g in enumerate(goals)
    )
    evaluation = _fill_from_figures(evaluation)  # figures already imported for the period
    audit_log(evaluation, "evaluation.started", actor=actor, data={"plan": plan.pk if plan else None})
    return evaluation


def _check_writable(evaluation: Evaluation, actor) -> None:
    if not may_write(actor, evaluation.account):
        raise NotAllowed(_("Only the account's own unit writes its evaluations."))
    if evaluation.status != EvaluationStatus.DRAFT:
        raise WrongState(_("The evaluation has been sent and can no longer be changed."))


@transaction.atomic
def evaluation_save(*, evaluation: Evaluation, actor, content: EvaluationContent) -> Evaluation:
    current = _locked(evaluation)
    _check_writable(current, actor)
    if content.period_start and content.period_end and content.period_end < content.period_start:
        raise InvalidEvaluation({"period_end": _("The period ends before it starts. Check the dates.")})
    for name in CONTENT_FIELDS:
        setattr(current, name, getattr(content, name))
    try:
        current.full_clean(exclude=["account", "unit", "platform", "plan", "plan_version", "created_by"])
    except Exception as error:
        raise InvalidEvaluation(getattr(error, "message_dict", {"__all__": [str(error)]})) from None
    current.save()
    goals = list(current.goals.all())
    for goal, values in zip(goals, content.goals, strict=False):
        for name in GOAL_FIELDS:
            setattr(goal, name, getattr(values, name))
        goal.full_clean(exclude=["evaluation", "unit", "platform"])
    GoalResult.objects.bulk_update(goals, GOAL_FIELDS)
    audit_log(current, "evaluation.saved", actor=actor)
    return current


def submit_problems(evaluation: Evaluation) -> list[str]:
    problems = []
    if not evaluation.result.strip():
        problems.append(str(_("Write the “Resultat”: has the account reached the goals set for it?")))
    for number, goal in enumerate(evaluation.goals.all(), start=1):
        if not goal.attainment:
            problems.append(str(_("Say whether goal %(number)s was met, partly met or not met.") % {"number": number}))
    return problems


@transaction.atomic
def evaluation_submit(*, evaluation: Evaluation, actor, decision: str, now=None) -> Evaluation:
    """Send the evaluation to the Communications Department with the unit's decision:
    continue; adjust the plan (a new draft of the plan, pre-filled from the approved one);
    or close the account (an adviser closes it in the register; when an adviser decides,
    at once)."""
    now = now or timezone.now()
    current = _locked(evaluation)
    _check_writable(current, actor)
    if decision not in Decision.values:
        raise NotReady([str(_("Choose what happens next: continue, adjust the plan or close the account."))])
    problems = submit_problems(current)
    if decision == Decision.ADJUST and current.plan is None:
        problems.append(str(_("The account has no approved plan to adjust. Write a new plan instead.")))
    if problems:
        raise NotReady(problems)
    today = _today(now)
    current.status = EvaluationStatus.SUBMITTED
    current.decision = decision
    current.submitted_by = actor
    current.submitted_at = now
    current.submitted_on = today
    current.unit_id = current.account.unit_id
    current.platform_id = current.account.platform_id
    if decision == Decision.ADJUST:
        current.new_plan = plan_draft_from(plan=current.plan, actor=actor, result=current.result)
    current.save()
    current.goals.update(unit_id=current.unit_id, platform_id=current.platform_id, evaluated_on=today)
    _count_goals(current, today)
    _record_followers(current)

    schedule = Schedule.objects.select_for_update().get(pk=schedule_for(current.account).pk)
    schedule.last_evaluated_on = today
    schedule.due_on = next_due(today)
    schedule.due_set_by, schedule.due_note = None, ""
    schedule.hours_reported = current.hours_per_week
    schedule.followers = _latest_followers(current.account_id)
    schedule.closure_candidate, schedule.closure_reason = False, ""
    if decision == Decision.CLOSE:
        schedule.closure_candidate, schedule.closure_reason = True, ClosureReason.DECIDED
    schedule.save()
    tallies_recount(unit_ids={schedule.unit_id})
    audit_log(current, "evaluation.submitted", actor=actor, data={"decision": decision})

    if decision == Decision.CLOSE:
        if actor.is_adviser:
            registry_services.account_transition(account=current.account, actor=actor, action="close")
        else:
            for adviser in User.objects.filter(is_adviser=True, is_active=True):
                _mail(adviser, "evaluation_close_requested", {"evaluation": current, "account": current.account})
    return current


def _count_goals(evaluation: Evaluation, today: date) -> None:
    """Add the evaluation's goals to the month's tally (GoalTally), under a row lock."""
    counts = Counter(evaluation.goals.exclude(attainment="").values_list("attainment", flat=True))
    for attainment, n in counts.items():
        key = {
            "month": today.replace(day=1),
            "unit_id": evaluation.unit_id,
            "platform_id": evaluation.platform_id,
            "attainment": attainment,
        }
        try:
            with transaction.atomic():
                GoalTally.objects.get_or_create(**key)
        except IntegrityError:
            pass  # made at the same moment by another evaluation sent
        GoalTally.objects.filter(**key).update(n=F("n") + n)


def _latest_followers(account_id: int) -> int | None:
    """The account's follower count as last known (for the overview's largest accounts)."""
    return (
        DailyFigure.objects.filter(account_id=account_id, followers__isnull=False)
        .order_by("-day")
        .values_list("followers", flat=True)
        .first()
    )


def _record_followers(evaluation: Evaluation) -> None:
    """Typed follower counts are key figures too: they draw the followers over time."""
    for day, count in [
        (evaluation.period_start, evaluation.followers_start),
        (evaluation.period_end, evaluation.followers_end),
    ]:
        if count is not None:
            DailyFigure.objects.update_or_create(
                account_id=evaluation.account_id, day=day, defaults={"followers": count}
            )


@transaction.atomic
def evaluation_feedback(*, evaluation: Evaluation, actor, text: str, now=None) -> Evaluation:
    """An adviser's feedback on a sent evaluation; the unit is told and reads it on the evaluation."""
    _require_adviser(actor)
    current = _locked(evaluation)
    if current.status == EvaluationStatus.DRAFT:
        raise WrongState(_("The evaluation has not been sent yet."))
    if not text.strip():
        raise InvalidEvaluation({"feedback": _("Write the feedback.")})
    current.feedback = text.strip()
    current.feedback_by = actor
    current.feedback_at = now or timezone.now()
    current.status = EvaluationStatus.REVIEWED
    current.save(update_fields=["feedback", "feedback_by", "feedback_at", "status", "updated_at"])
    audit_log(current, "evaluation.feedback", actor=actor)
    account = current.account
    for person in _people(current.submitted_by, account.editor, account.unit.effective_leader()):
        _mail(person, "evaluation_feedback", {"evaluation": current, "account": account, "adviser": actor})
    return current


@transaction.atomic
def evaluation_close_account(*, evaluation: Evaluation, actor) -> Account:
    """Close the account in the register, as the unit decided in its evaluation."""
    _require_adviser(actor)
    current = _locked(evaluation)
    if current.decision != Decision.CLOSE:
        raise WrongState(_("The unit did not decide to close the account in this evaluation."))
    account = registry_services.account_transition(account=current.account, actor=actor, action="close")
    audit_log(current, "evaluation.account_closed", actor=actor)
    return account


# --------------------------------------------------------------------------- key figures


def _figures_in(account_id: int, start: date, end: date) -> dict:
    posts = PostFigure.objects.filter(account_id=account_id, published_on__gte=start, published_on__lte=end)
    totals = posts.aggregate(posts=Count("pk"), **{name: Sum(name) for name in METRICS})
    totals["by_kind"] = dict(posts.values_list("kind").annotate(n=Count("pk")).order_by())
    days = DailyFigure.objects.filter(account_id=account_id, day__gte=start, day__lte=end)
    day_metrics = ("views", "reach", "reactions", "comments", "shares", "clicks", "new_followers", "posts")
    totals["days"] = days.aggregate(**{name: Sum(name) for name in day_metrics})
    known = DailyFigure.objects.filter(account_id=account_id, followers__isnull=False)
    totals["followers_start"] = (
        known.filter(day__lte=start).order_by("-day").values_list("followers", flat=True).first()
    )
    totals["followers_end"] = known.filter(day__lte=end).order_by("-day").values_list("followers", flat=True).first()
    return totals


def figures_for(evaluation: Evaluation) -> dict:
    """The key figures stored for the evaluation's account within its period."""
    return _figures_in(evaluation.account_id, evaluation.period_start, evaluation.period_end)


@dataclass
class Preview:
    """What an import will do, shown before anything is saved."""

    rows: int
    posts: int
    days: int
    posts_first: date | None
    posts_last: date | None
    days_first: date | None
    days_last: date | None
    posts_in_period: int
    days_in_period: int
    first: date | None
    last: date | None
    totals: dict
    already_stored: int


def import_preview(figure_import: FigureImport, evaluation: Evaluation) -> Preview:
    posts = figure_import.rows.get("posts", [])
    days = figure_import.rows.get("days", [])
    start, end = evaluation.period_start.isoformat(), evaluation.period_end.isoformat()
    in_period = [p for p in posts if start <= p["published_on"] <= end]
    days_in = [d for d in days if start <= d["day"] <= end]
    totals = {name: sum(p.get(name, 0) for p in in_period) for name in METRICS if any(name in p for p in in_period)}
    for name in ("views", "reach", "new_followers"):
        if not in_period and any(name in d for d in days_in):
            totals[name] = sum(d.get(name, 0) for d in days_in)
    if days_in and any("new_followers" in d for d in days_in):
        totals["new_followers"] = sum(d.get("new_followers", 0) for d in days_in)
    ids = [p["post_id"] for p in posts]
    stored = 0
    for chunk_start in range(0, len(ids), 500):
        stored += PostFigure.objects.filter(
            account_id=figure_import.account_id, post_id__in=ids[chunk_start : chunk_start + 500]
        ).count()
    dates = [p["published_on"] for p in posts] + [d["day"] for d in days]
    post_dates, day_dates = [p["published_on"] for p in posts], [d["day"] for d in days]

    def day(text):
        return date.fromisoformat(text) if text else None

    return Preview(
        rows=len(posts) + len(days),
        posts=len(posts),
        days=len(days),
        posts_first=day(min(post_dates, default=None)),
        posts_last=day(max(post_dates, default=None)),
        days_first=day(min(day_dates, default=None)),
        days_last=day(max(day_dates, default=None)),
        posts_in_period=len(in_period),
        days_in_period=len(days_in),
        first=date.fromisoformat(min(dates)) if dates else None,
        last=date.fromisoformat(max(dates)) if dates else None,
        totals=totals,
        already_stored=stored,
    )


def _store_parsed(figure_import: FigureImport, parsed: importing.Parsed) -> None:
    figure_import.file_format = parsed.file_format
    figure_import.rows = {
        "posts": parsed.posts,
        "days": parsed.days,
        "mapping": parsed.mapping,
        "notes": parsed.notes,
        "problems": parsed.problems,
    }
    dates = [p["published_on"] for p in parsed.posts] + [d["day"] for d in parsed.days]
    figure_import.period_start = date.fromisoformat(min(dates)) if dates else None
    figure_import.period_end = date.fromisoformat(max(dates)) if dates else None
    figure_import.post_rows, figure_import.day_rows = len(parsed.posts), len(parsed.days)


def figures_read(*, evaluation: Evaluation, actor, filename: str, content: bytes) -> FigureImport:
    """Read an uploaded export and keep what it gave, unsaved, for the person to check.
    A CSV file whose columns are not recognised is kept too, for the column mapping; the
    ImportProblem is raised for everything else (and then nothing is kept).

    The file is read in full before the transaction starts, so a slow or hostile file holds
    no lock while it is read."""
    source = importing.read_file(content)
    saved = None
    if source.kind == "csv":
        saved = ColumnMapping.objects.filter(header_key=importing.headers_signature(source.tables[0].header)).first()
    try:
        parsed, problem = importing.recognise(source, saved_mapping=saved.mapping if saved else None), None
    except importing.ImportProblem as error:
        if not (error.mappable and source.kind == "csv"):
            raise
        parsed, problem = None, error
    with transaction.atomic():
        current = _locked(evaluation)
        _check_writable(current, actor)
        figure_import = FigureImport(
            account=current.account,
            evaluation=current,
            uploaded_by=actor,
            filename=filename[:200],
            sha256=hashlib.sha256(content).hexdigest(),
        )
        if source.kind == "csv":
            # The first rows for the column mapping's preview, and the file itself (compressed,
            # within the upload's size limit) to read again with the columns chosen.
            figure_import.table = importing.kept_table(source.tables[0])
            figure_import.upload = importing.pack(content)
        if problem is not None:
            figure_import.file_format = "unrecognised"
            figure_import.rows = {"problems": [], "unrecognised": problem.messages, "expected": problem.expected}
        else:
            _check_platform(parsed, current.account)
            if saved:
                figure_import.mapping = saved.mapping
            _store_parsed(figure_import, parsed)
        figure_import.save()
        importing.drop_oldest_unsaved(actor)
        audit_log(figure_import, "figures.read", actor=actor, data={"format": figure_import.file_format})
    return figure_import


def _check_platform(parsed: importing.Parsed, account: Account) -> None:
    if parsed.platform and parsed.platform != account.platform.slug:
        names = {"facebook": "Facebook", "instagram": "Instagram", "linkedin": "LinkedIn", "youtube": "YouTube"}
        raise importing.ImportProblem(
            _(
                "This is a file from %(file)s, but the account is on %(account)s. Upload the statistics of the "
                "account's own platform."
            )
            % {"file": names.get(parsed.platform, parsed.platform), "account": account.platform.name}
        )


def figures_map(*, figure_import: FigureImport, actor, mapping: dict) -> FigureImport:
    """Read a kept file again with the columns the person chose (read before the
    transaction, like the upload itself)."""
    kept = FigureImport.objects.get(pk=figure_import.pk)
    if kept.status != FigureImport.Status.PENDING or not kept.table:
        raise WrongState(_("This file has already been saved. Upload it again to read it another way."))
    parsed = importing.parse_generic(importing.kept_file(kept), mapping)
    with transaction.atomic():
        return _figures_mapped(figure_import=kept, actor=actor, mapping=mapping, parsed=parsed)


def _figures_mapped(*, figure_import: FigureImport, actor, mapping: dict, parsed) -> FigureImport:
    current = (
        FigureImport.objects.select_for_update(of=("self",))
        .select_related("evaluation", "account__platform")
        .get(pk=figure_import.pk)
    )
    if current.status != FigureImport.Status.PENDING:
        raise WrongState(_("This file has already been saved. Upload it again to read it another way."))
    _check_writable(current.evaluation, actor)
    current.mapping = mapping
    _store_parsed(current, parsed)
    current.save()
    audit_log(current, "figures.mapped", actor=actor, data={"mapping": mapping})
    return current


@transaction.atomic
def figures_save(*, figure_import: FigureImport, actor, now=None) -> Evaluation:
    """Save the figures of a checked file, post by post (a post already stored is updated,
    never added twice) and day by day, then fill the evaluation's figures from what is now
    stored for its period."""
    current = (
        FigureImport.objects.select_for_update(of=("self",))
        .select_related("evaluation", "account")
        .get(pk=figure_import.pk)
    )
    if current.status != FigureImport.Status.PENDING:
        raise WrongState(_("These figures have already been saved."))
    evaluation = current.evaluation
    _check_writable(evaluation, actor)
    if current.file_format == "unrecognised":
        raise WrongState(_("Say which column is which before the figures can be saved."))
    if current.rows.get("problems"):
        raise WrongState(_("Some lines of the file have problems. Fix the file and upload it again."))
    _upsert_posts(current)
    _upsert_days(current)
    if current.mapping and current.table:
        ColumnMapping.objects.update_or_create(
            header_key=importing.headers_signature(current.table["header"]),
            defaults={"headers": current.table["header"], "mapping": current.mapping, "created_by": actor},
        )
    current.status = FigureImport.Status.SAVED
    current.saved_at = now or timezone.now()
    current.table, current.rows, current.upload = {}, {}, b""
    current.save()
    evaluation = _fill_from_figures(evaluation)
    latest = _latest_followers(current.account_id)
    if latest is not None:
        Schedule.objects.filter(pk=current.account_id).update(followers=latest)
    audit_log(current, "figures.saved", actor=actor, data={"posts": current.post_rows, "days": current.day_rows})
    return evaluation


def _upsert_posts(figure_import: FigureImport) -> None:
    posts = figure_import.rows.get("posts", [])
    for start in range(0, len(posts), 500):
        chunk = {p["post_id"]: p for p in posts[start : start + 500]}
        existing = {
            f.post_id: f
            for f in PostFigure.objects.filter(account_id=figure_import.account_id, post_id__in=list(chunk))
        }
        new, changed = [], []
        for post_id, row in chunk.items():
            figure = existing.get(post_id) or PostFigure(account_id=figure_import.account_id, post_id=post_id)
            figure.published_on = date.fromisoformat(row["published_on"])
            figure.kind = row.get("kind", "other")
            figure.source = figure_import
            for name in METRICS:
                if name in row:
                    setattr(figure, name, row[name])
            (changed if figure.pk else new).append(figure)
        PostFigure.objects.bulk_create(new)
        PostFigure.objects.bulk_update(changed, ["published_on", "kind", "source", *METRICS])


DAY_FIELDS = ("views", "reach", "reactions", "comments", "shares", "clicks", "new_followers", "followers", "posts")


def _upsert_days(figure_import: FigureImport) -> None:
    days = figure_import.rows.get("days", [])
    for start in range(0, len(days), 500):
        chunk = {d["day"]: d for d in days[start : start + 500]}
        existing = {
            f.day.isoformat(): f
            for f in DailyFigure.objects.filter(account_id=figure_import.account_id, day__in=list(chunk))
        }
        new, changed = [], []
        for day, row in chunk.items():
            figure = existing.get(day) or DailyFigure(account_id=figure_import.account_id, day=date.fromisoformat(day))
            figure.source = figure_import
            for name in DAY_FIELDS:
                if name in row:  # a file that lacks a figure leaves the stored one alone
                    setattr(figure, name, row[name])
            (changed if figure.pk else new).append(figure)
        DailyFigure.objects.bulk_create(new)
        DailyFigure.objects.bulk_update(changed, ["source", *DAY_FIELDS])


POST_KIND_FIELDS = {
    "photo": "posts_photo",
    "video": "posts_video",
    "text": "posts_text",
    "link": "posts_link",
    "other": "posts_other",
}


def _fill_from_figures(evaluation: Evaluation) -> Evaluation:
    """Fill the evaluation's outputs and out-takes from the stored figures of its period:
    per-post figures where there are any, otherwise the per-day figures."""
    totals = figures_for(evaluation)
    days = totals["days"]
    changed = []

    def put(name, value):
        if value is not None:
            setattr(evaluation, name, value)
            changed.append(name)

    if totals["posts"]:
        for kind, name in POST_KIND_FIELDS.items():
            put(name, totals["by_kind"].get(kind, 0))
        put("views", totals["views"])
        put("reach", totals["reach"])
        put("comments_received", totals["comments"])
        engagement = [totals[n] for n in ("reactions", "comments", "shares", "saves") if totals[n] is not None]
        put("engagement", sum(engagement) if engagement else None)
    else:
        put("views", days["views"])
        put("reach", days["reach"])
        put("comments_received", days["comments"])
        engagement = [days[n] for n in ("reactions", "comments", "shares") if days[n] is not None]
        put("engagement", sum(engagement) if engagement else None)
        if days["posts"] is not None:
            put("posts_other", days["posts"])
    put("followers_start", totals["followers_start"])
    end = totals["followers_end"]
    start = totals["followers_start"] if totals["followers_start"] is not None else evaluation.followers_start
    if days["new_followers"] is not None and start is not None and (end is None or end == start):
        end = max(start + days["new_followers"], 0)
    put("followers_end", end)
    if changed:
        evaluation.save(update_fields=[*set(changed), "updated_at"])
    return evaluation
