"""Syncing the organisation from the register's file: a dry run that changes nothing, and the
apply that makes the portal match the file. Applying the same file twice changes nothing the
second time and writes nothing.

The apply runs in steps (units, changes, closing, members, people), each in its own
transaction, with the step recorded between them so the page and the command can show how far
it has come. Should it stop halfway, running the same file again finishes it: every step
compares with what is there.
"""

import hashlib
import logging
from collections.abc import Callable
from itertools import groupby

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.events import units_changed
from accounts.models import Membership, Unit, User
from accounts.services import person_deactivate
from core.audit import audit_log
from core.emails import email_queue
from core.errors import DomainError
from plans.models import Plan, PlanStatus
from registry.models import Account, AccountStatus

from .models import SyncRun
from .reader import FileError, read_rows
from .sync import LIST_LIMIT, SyncPlan, sync_plan

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
BATCH = 1000


def _plan_for(content: bytes, filename: str) -> SyncPlan:
    try:
        sheet = read_rows(content, filename)
    except FileError as error:
        raise DomainError(str(error)) from error
    return sync_plan(sheet.rows, has_members=sheet.has_members)


@transaction.atomic
def sync_preview(*, content: bytes, filename: str, actor=None, source: str = SyncRun.Source.UPLOAD) -> SyncRun:
    """Store the file with its dry run: what applying it would change. Nothing else changes."""
    plan = _plan_for(content, filename)
    run = SyncRun(
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        source=source,
        status=SyncRun.Status.PREVIEW if plan.valid else SyncRun.Status.INVALID,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        summary=plan.summary(),
    )
    run.full_clean(exclude=["content"])
    run.save()
    audit_log(run, "organisation.sync_previewed", actor=actor, data={"counts": run.summary.get("counts", {})})
    return run


@transaction.atomic
def sync_confirm(*, run: SyncRun, actor) -> SyncRun:
    """The administrator has seen the dry run and confirms: the background worker applies it."""
    run = SyncRun.objects.select_for_update().get(pk=run.pk)
    if run.status != SyncRun.Status.PREVIEW:
        raise DomainError(_("This file has already been applied, or cannot be."))
    run.status = SyncRun.Status.QUEUED
    run.progress = _("Waiting for the background worker")
    run.save(update_fields=["status", "progress", "updated_at"])
    audit_log(run, "organisation.sync_confirmed", actor=actor)
    transaction.on_commit(lambda: apply_sync_task.enqueue(run.pk))
    return run


@task()
def apply_sync_task(run_id: int) -> str:
    run = SyncRun.objects.get(pk=run_id)
    return sync_apply(run=run, actor=run.created_by).status


def _record_progress(run: SyncRun, text: str, progress: Progress | None) -> None:
    SyncRun.objects.filter(pk=run.pk).update(progress=text[:120])
    if progress:
        progress(text)


def sync_apply(*, run: SyncRun, actor=None, progress: Progress | None = None) -> SyncRun:
    """Make the portal match the run's file, comparing afresh with what is there now."""
    SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.RUNNING)
    try:
        plan = _plan_for(bytes(run.content), run.filename)
        if not plan.valid:
            SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.INVALID, summary=plan.summary())
            run.refresh_from_db()
            return run
        counts = plan_apply(plan=plan, actor=actor, progress=lambda text: _record_progress(run, text, progress))
    except Exception:
        logger.exception("The organisation sync %s stopped", run.pk)
        SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.FAILED)
        raise
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().get(pk=run.pk)
        run.status = SyncRun.Status.APPLIED
        run.applied_at = timezone.now()
        run.summary = plan.summary()
        run.progress = ""
        run.save(update_fields=["status", "applied_at", "summary", "progress", "updated_at"])
        audit_log(run, "organisation.sync_applied", actor=actor, data={"counts": counts})
    return run


def plan_apply(*, plan: SyncPlan, actor=None, progress: Progress | None = None) -> dict:
    """Apply a plan worked out by organisation.sync.sync_plan. Writes nothing if it has no changes."""
    say = progress or (lambda _text: None)
    if not plan.has_changes:
        say(_("No changes"))
        return plan.summary()["counts"]
    steps = 5
    say(_("Step %(step)s of %(steps)s: new units") % {"step": 1, "steps": steps})
    pk_of = _create_units(plan, actor, say)
    say(_("Step %(step)s of %(steps)s: names, places and leaders") % {"step": 2, "steps": steps})
    _change_units(plan, pk_of, actor)
    say(_("Step %(step)s of %(steps)s: closing units") % {"step": 3, "steps": steps})
    _close_units(plan, actor)
    say(_("Step %(step)s of %(steps)s: members") % {"step": 4, "steps": steps})
    _sync_members(plan, pk_of, say)
    say(_("Step %(step)s of %(steps)s: people who left or came back") % {"step": 5, "steps": steps})
    _sync_people(plan, actor)
    if plan.created or plan.unit_fields or plan.closed or plan.adopted:
        units_changed.send(sender=Unit)
    return plan.summary()["counts"]


@transaction.atomic
def _create_units(plan: SyncPlan, actor, say: Progress) -> dict[str, int]:
    for unit, row in plan.adopted:
        Unit.objects.filter(pk=unit.pk).update(register_id=row.unit_id)
        audit_log(unit, "unit.linked_to_register", actor=actor, data={"register_id": row.unit_id})
    pk_of = dict(Unit.objects.filter(register_id__isnull=False).values_list("register_id", "pk"))
    done = 0
    for _depth, group in groupby(plan.created, key=lambda c: c.depth):
        group = list(group)
        units = [
            Unit(
                name=c.row.name,
                kind=c.kind,
                parent_id=pk_of[c.row.parent_id] if c.row.parent_id else None,
                leader_id=c.leader_id,
                register_id=c.row.unit_id,
            )
            for c in group
        ]
        Unit.objects.bulk_create(units, batch_size=BATCH)
        if any(u.pk is None for u in units):  # a database that does not return the new keys
            pk_of = dict(Unit.objects.filter(register_id__isnull=False).values_list("register_id", "pk"))
        for unit in units:
            pk_of[unit.register_id] = unit.pk or pk_of[unit.register_id]
            unit.pk = pk_of[unit.register_id]
            audit_log(unit, "unit.created_from_register", actor=actor, data={"register_id": unit.register_id})
        done += len(units)
        say(_("New units: %(done)s of %(total)s") % {"done": done, "total": len(plan.created)})
    return pk_of


@transaction.atomic
def _change_units(plan: SyncPlan, pk_of: dict[str, int], actor) -> None:
    changed = []
    by_register_id = {u.register_id: u for u in Unit.objects.filter(register_id__in=list(plan.unit_fields))}
    for register_id, changes in plan.unit_fields.items():
        unit = by_register_id[register_id]
        data = {}
        for name, value in changes.items():
            if name == "parent":
                data["parent"] = value
                unit.parent_id = pk_of[value] if value else None
            elif name == "is_active":
                unit.is_active, unit.closed_at = True, None
                data["reopened"] = True
            else:
                data[name] = value
                setattr(unit, name, value)
        changed.append(unit)
        audit_log(unit, "unit.changed_by_register", actor=actor, data=data)
    Unit.objects.bulk_update(changed, ["name", "kind", "parent", "leader", "is_active", "closed_at"], batch_size=BATCH)


@transaction.atomic
def _close_units(plan: SyncPlan, actor) -> None:
    now = timezone.now()
    Unit.objects.filter(pk__in=[u.pk for u in plan.closed]).update(is_active=False, closed_at=now)
    for unit in plan.closed:
        audit_log(unit, "unit.closed_by_register", actor=actor, data={"register_id": unit.register_id})


@transaction.atomic
def _sync_members(plan: SyncPlan, pk_of: dict[str, int], say: Progress) -> None:
    if plan.members_added:
        Membership.objects.bulk_create(
            [Membership(user_id=user_id, unit_id=pk_of[register_id]) for user_id, register_id in plan.members_added],
            batch_size=BATCH,
        )
        say(_("Members added: %(count)s") % {"count": len(plan.members_added)})
    if plan.members_removed:
        # One by one through the ORM, so the register of accounts hears of each person leaving a unit.
        for start in range(0, len(plan.members_removed), BATCH):
            Membership.objects.filter(pk__in=plan.members_removed[start : start + BATCH]).delete()


@transaction.atomic
def _sync_people(plan: SyncPlan, actor) -> None:
    if plan.people_in:
        for start in range(0, len(plan.people_in), BATCH):
            User.objects.filter(pk__in=plan.people_in[start : start + BATCH]).update(in_register=True)
    for person in User.objects.filter(pk__in=plan.people_back):
        person.is_active, person.inactive_reason = True, ""
        person.save(update_fields=["is_active", "inactive_reason"])
        audit_log(person, "person.reactivated_by_register", actor=actor)
    for person in User.objects.filter(pk__in=plan.people_left):
        person_deactivate(user=person, reason=User.InactiveReason.LEFT_REGISTER, actor=actor)


def administrators():
    return User.objects.filter(is_active=True, is_staff=True, is_superuser=True)


def run_problems(run: SyncRun) -> list[dict]:
    """The problems of a file that could not be applied, in the language now active (the file is
    read again: the messages are made in the reader's language, not the uploader's)."""
    try:
        plan = _plan_for(bytes(run.content), run.filename)
    except DomainError as error:
        return [{"line": 0, "message": error.message}]
    return [{"line": p.line, "message": p.message} for p in plan.problems[:LIST_LIMIT]]


def sync_report(*, run: SyncRun) -> int:
    """E-mail the administrators what the scheduled sync did (or why it did nothing), each in
    their own language."""
    sent = 0
    for admin in administrators():
        summary = run.summary
        if run.status == SyncRun.Status.INVALID:
            with translation.override(admin.language):
                summary = {**summary, "problems": run_problems(run)}
        email_queue(
            template="org_sync_report",
            to=[admin.email],
            context={"run": run, "summary": summary, "counts": summary.get("counts", {})},
            language=admin.language,
        )
        sent += 1
    return sent


def closed_units_to_hand_over():
    """Closed units that still own plans or accounts, with what they own (for the advisers)."""
    return owned_by(_closed_units())


def closed_units_waiting() -> dict:
    """{"count": how many closed units still own plans or accounts, "since": the latest
    closing among them}, in one query, without reading what they own (for the task list)."""
    waiting = _closed_units().filter(
        Exists(_open_plans().filter(unit_id=OuterRef("pk"))) | Exists(_live_accounts().filter(unit_id=OuterRef("pk")))
    )
    return waiting.aggregate(count=Count("pk"), since=Max("closed_at"))


def _closed_units():
    return Unit.objects.filter(is_active=False, closed_at__isnull=False)


def _open_plans():
    return Plan.objects.exclude(status__in=[PlanStatus.REJECTED, PlanStatus.WITHDRAWN])


def _live_accounts():
    return Account.objects.exclude(status=AccountStatus.CLOSED)


def owned_by(units) -> list[dict]:
    """What the given units own and someone must take over: open plans and live accounts."""
    plans = _open_plans().filter(unit__in=units).select_related("unit").order_by("unit__name", "pk")
    accounts = _live_accounts().filter(unit__in=units).select_related("unit", "platform").order_by("unit__name", "pk")
    owned: dict[int, dict] = {}
    for plan in plans:
        owned.setdefault(plan.unit_id, {"unit": plan.unit, "plans": [], "accounts": []})["plans"].append(plan)
    for account in accounts:
        owned.setdefault(account.unit_id, {"unit": account.unit, "plans": [], "accounts": []})["accounts"].append(
            account
        )
    return sorted(owned.values(), key=lambda entry: entry["unit"].name)


def drop_directory_sync(*, directory=None, progress: Progress | None = None) -> tuple[str, SyncRun | None]:
    """The scheduled sync: the newest file in the drop directory, applied with the same rules,
    then moved to done/ (or rejected/). Returns a line for the log and the run, if any."""
    directory = directory or settings.ORG_SYNC_DIR
    files = sorted(
        (p for p in directory.glob("*") if p.is_file() and p.suffix.lower() in {".csv", ".xlsx"}),
        key=lambda p: p.stat().st_mtime,
    )
    if not files:
        return f"No file in {directory}", None
    path = files[-1]
    content = path.read_bytes()
    try:
        sheet = read_rows(content, path.name)
    except FileError as error:
        run = sync_preview_invalid(content=content, filename=path.name, message=str(error))
        _move(path, "rejected")
        sync_report(run=run)
        return f"{path.name}: not read: {error}", run
    plan = sync_plan(sheet.rows, has_members=sheet.has_members)
    if plan.valid and not plan.has_changes:
        _move(path, "done")
        return f"{path.name}: no changes", None  # nothing written, nobody mailed
    run = sync_preview(content=content, filename=path.name, source=SyncRun.Source.DROP)
    if run.status == SyncRun.Status.INVALID:
        _move(path, "rejected")
        sync_report(run=run)
        return f"{path.name}: {run.summary['problem_count']} errors, nothing changed", run
    run = sync_apply(run=run, progress=progress)
    _move(path, "done")
    with transaction.atomic():
        sync_report(run=run)
    return f"{path.name}: applied", run


@transaction.atomic
def sync_preview_invalid(*, content: bytes, filename: str, message: str) -> SyncRun:
    run = SyncRun.objects.create(
        filename=filename[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        source=SyncRun.Source.DROP,
        status=SyncRun.Status.INVALID,
        summary={"valid": False, "problems": [{"line": 0, "message": message}], "problem_count": 1, "counts": {}},
    )
    audit_log(run, "organisation.sync_rejected", data={"message": message})
    return run


def _move(path, folder: str) -> None:
    target = path.parent / folder
    target.mkdir(exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    path.rename(target / f"{stamp}-{path.name}")
