"""Reminders of evaluations due: to the responsible editor and the unit's leader some days
before (settings.EVALUATION_REMIND_BEFORE_DAYS), on the day, and weekly while overdue; after
settings.EVALUATION_CLOSURE_AFTER_DAYS overdue the advisers of the account's organisation are told
and the account is flagged as a candidate for closure. Every mail is the account's organisation's. The handbook states both settings ({{portal:evaluering-paminning}},
{{portal:evaluering-nedlegging}})."""

from datetime import date, timedelta

from django.db import IntegrityError, transaction

from accounts.models import User
from core.audit import audit_log
from core.emails import email_people
from registry.models import Account

from ..models import ClosureReason, Reminder, Schedule
from .base import CHUNK, _today, closure_after_days, remind_before_days
from .department import advisers_of, organisation_of
from .schedules import tallies_recount


def reminder_stage(due_on: date, today: date) -> str | None:
    """Which reminder is due today: some days before (the setting), on the day, then one a week
    while overdue. A job that did not run for a while sends the stage of today, not every stage it
    missed."""
    days = (today - due_on).days
    if days < -remind_before_days():
        return None
    if days < 0:
        return "soon"
    if days < 7:
        return "due"
    return f"overdue-{days // 7}"


TEMPLATES = {"soon": "evaluation_due_soon", "due": "evaluation_due"}


def reminders_send(*, now) -> int:
    """Send today's reminders, and alert the advisers about accounts overdue for longer than the setting.
    Each stage is recorded (account, due date, stage) before its mail is queued, in one
    transaction, so running this twice sends nothing twice."""
    today = _today(now)
    closure_after = closure_after_days()
    due = list(
        Schedule.objects.active()
        .filter(due_on__lte=today + timedelta(days=remind_before_days()))
        .order_by("due_on", "pk")
        .values_list("pk", "due_on")
    )
    leaders: dict[int, User | None] = {}
    advisers: dict[int, list] = {}  # per organisation, read once
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
            flag = (today - due_on).days >= closure_after and (pk, due_on, "closure") not in recorded
            if remind or flag:
                wanted.append((pk, due_on, stage if remind else None, flag))
        accounts = Account.objects.select_related("editor", "platform", "unit").in_bulk([w[0] for w in wanted])
        for pk, due_on, stage, flag in wanted:
            account = accounts[pk]
            days_overdue = (today - due_on).days
            context = {
                "account": account,
                "due_on": due_on,
                "days_overdue": days_overdue,
                "closure_days": closure_after_days(),
            }
            if stage:
                if account.unit_id not in leaders:
                    leaders[account.unit_id] = account.unit.effective_leader()
                with transaction.atomic():  # the stage and its mail together, or neither
                    if _record_stage(account, due_on, stage, now):
                        template = TEMPLATES.get(stage, "evaluation_overdue")
                        sent += email_people(
                            [account.editor, leaders[account.unit_id]],
                            template=template,
                            context=context,
                            organisation=organisation_of(account),
                        )
            if flag:
                organisation_id = account.unit.organisation_id
                if organisation_id not in advisers:
                    advisers[organisation_id] = list(advisers_of(account))
                with transaction.atomic():
                    if not _record_stage(account, due_on, "closure", now):
                        continue
                    Schedule.objects.filter(pk=pk).update(closure_candidate=True, closure_reason=ClosureReason.OVERDUE)
                    flagged.add(account.unit_id)
                    audit_log(account, "evaluation.closure_candidate", data={"due_on": due_on.isoformat()})
                    sent += email_people(
                        advisers[organisation_id],
                        template="evaluation_closure_candidate",
                        context=context,
                        organisation=organisation_of(account),
                    )
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
