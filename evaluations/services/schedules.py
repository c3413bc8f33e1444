"""Each account's evaluation schedule, and the tallies the overview counts from them.

The schedule holds a narrow copy of what the overview counts (see models.Schedule): the
register and the plans change, and the schedules are brought in step here."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, Q, Sum, Value, When
from django.utils.translation import gettext_lazy as _

from core.audit import audit_log
from core.locks import locked
from plans.models import Plan, PlanStatus
from registry.models import Account, AccountStatus

from ..models import AccountTally, ClosureReason, Schedule
from ..selectors import schedule_for
from .base import CHUNK, InvalidEvaluation, WrongState, _today
from .dates import first_due
from .department import require_adviser_of

COPIED = [
    "unit_id",
    "platform_id",
    "status",
    "plan_approved",
    "training_missing",
    "needs_new_editor",
    "hours_planned",
]


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


@transaction.atomic
def schedule_set_due(*, account: Account, actor, due_on: date, note: str = "", now=None) -> Schedule:
    """An adviser gives one account another due date (a busy season, a new editor, a campaign)."""
    require_adviser_of(actor, account)
    if account.status == AccountStatus.CLOSED:
        raise WrongState(_("The account is closed and is no longer evaluated."))
    if due_on < _today(now):
        raise InvalidEvaluation({"due_on": _("Choose today or a later date.")})
    schedule = schedule_for(account)
    schedule = locked(schedule)
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
