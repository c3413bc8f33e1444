"""Syncing the organisation from the register's file: a dry run that changes nothing, and the
apply that makes the portal match the file. Applying the same file twice changes nothing the
second time and writes nothing.

The apply runs in steps (units, changes, closing, members, people), each in its own
transaction, with the step recorded between them so the page and the command can show how far
it has come. Should it stop halfway, running the same file again finishes it: every step
compares with what is there (the plan is worked out afresh from the file each time, so a step
that was done finds nothing left to do). A worker that dies mid-apply leaves the run "being
applied"; the periodic job (organisation/periodic.py) marks it failed after SYNC_STUCK_AFTER
without progress, and the administrator can apply it again.

Hostile input: a file cut short (only the header and the trust's line) would close the whole
organisation. Guard: a file that closes or deactivates more than ORG_SYNC_MAX_CLOSE_PERCENT is
held back by the scheduled sync (the administrators and advisers are told, with the numbers),
and applied from the dry run only when an administrator confirms the warning.
"""

import hashlib
import logging
from collections.abc import Callable
from datetime import timedelta
from itertools import groupby

from django.conf import settings
from django.db import models, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import units as unit_services
from accounts.models import Unit, User, default_organisation
from accounts.services import person_deactivate
from core import held as holding
from core.audit import audit_log
from core.emails import email_queue
from core.errors import DomainError
from plans.models import Plan, PlanStatus
from registry.models import Account, AccountStatus
from registry.services import editors_back

from .models import SyncRun
from .reader import MAX_BYTES, FileError, read_rows
from .sync import LIST_LIMIT, SyncPlan, mass_change, sync_plan

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
# Progress is recorded at every step. No step takes this long: a run still "being applied"
# with no progress for this long was left by a worker (or a scheduled run) that stopped.
SYNC_STUCK_AFTER = timedelta(hours=1)


# The file itself is held (core/held.py) this long: the dry run can be applied, a run held
# back as a mass change confirmed, and a stopped run applied again, within this time.
HELD_FOR = timedelta(days=7)
HELD_PURPOSE = "organisation.sync"


class SyncStopped(Exception):
    """The run was marked failed (no progress for SYNC_STUCK_AFTER) while this apply still ran."""


def _plan_for(content: bytes, filename: str, organisation=None) -> SyncPlan:
    try:
        sheet = read_rows(content, filename)
    except FileError as error:
        raise DomainError(str(error)) from error
    return sync_plan(sheet.rows, has_members=sheet.has_members, organisation=organisation)


def run_file(run: SyncRun) -> bytes:
    """The run's file, as long as it is held; else DomainError (upload it again)."""
    held = holding.held_of(run, purpose=HELD_PURPOSE)
    if held is None:
        raise holding.HeldUploadExpired
    return holding.content_of(held)


def _hold(run: SyncRun, content: bytes, actor) -> None:
    holding.hold(
        owner=actor,
        purpose=HELD_PURPOSE,
        filename=run.filename,
        content=content,
        lifetime=HELD_FOR,
        max_bytes=MAX_BYTES,
        record=run,
        keep=5,
    )


def sync_preview(
    *,
    content: bytes,
    filename: str,
    actor=None,
    source: str = SyncRun.Source.UPLOAD,
    plan: SyncPlan | None = None,
    organisation=None,
) -> SyncRun:
    """Hold the file with its dry run: what applying it would change. Nothing else changes.
    `organisation`: the one the file is for (None: the organisations it names, or the default).
    The file is read and compared with the organisation before the transaction that stores the
    run starts, so a large file never holds the database's write lock while it is parsed."""
    if plan is None:
        plan = _plan_for(content, filename, organisation)
    return _preview_store(
        content=content, filename=filename, actor=actor, source=source, plan=plan, organisation=organisation
    )


@transaction.atomic
def _preview_store(*, content: bytes, filename: str, actor, source: str, plan: SyncPlan, organisation) -> SyncRun:
    run = SyncRun(
        organisation=organisation,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        source=source,
        status=SyncRun.Status.PREVIEW if plan.valid else SyncRun.Status.INVALID,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        summary=plan.summary(),
    )
    run.full_clean()
    run.save()
    _hold(run, content, run.created_by)
    audit_log(run, "organisation.sync_previewed", actor=actor, data={"counts": run.summary.get("counts", {})})
    return run


# A run can be confirmed from its dry run, after it was held back as a mass change, or (to
# finish it) after it stopped.
CONFIRMABLE = (SyncRun.Status.PREVIEW, SyncRun.Status.HELD, SyncRun.Status.FAILED)


@transaction.atomic
def sync_confirm(*, run: SyncRun, actor, mass_change_confirmed: bool = False) -> SyncRun:
    """The administrator has seen the dry run and confirms: the background worker applies it.
    A mass change (sync.mass_change) needs `mass_change_confirmed`: they have seen the warning."""
    run = SyncRun.objects.select_for_update().get(pk=run.pk)
    if run.status not in CONFIRMABLE:
        raise DomainError(_("This file has already been applied, or cannot be."))
    if SyncRun.objects.filter(status__in=[SyncRun.Status.QUEUED, SyncRun.Status.RUNNING]).exclude(pk=run.pk).exists():
        raise DomainError(_("Another organisation file is being applied. Wait until it has finished."))
    if mass_change(run.summary) and not (mass_change_confirmed or run.mass_change_confirmed):
        raise DomainError(_("This file closes or deactivates a large share of the organisation. Confirm the warning."))
    if holding.held_of(run, purpose=HELD_PURPOSE) is None:
        raise holding.HeldUploadExpired
    restart = run.status == SyncRun.Status.FAILED
    run.status = SyncRun.Status.QUEUED
    run.progress = _("Waiting for the background worker")
    run.mass_change_confirmed = run.mass_change_confirmed or mass_change_confirmed
    run.save(update_fields=["status", "progress", "mass_change_confirmed", "updated_at"])
    audit_log(
        run,
        "organisation.sync_confirmed",
        actor=actor,
        data={"mass_change": run.mass_change_confirmed, "restart": restart},
    )
    transaction.on_commit(lambda: apply_sync_task.enqueue(run.pk))
    return run


@task()
def apply_sync_task(run_id: int) -> str:
    run = SyncRun.objects.get(pk=run_id)
    return sync_apply(run=run, actor=run.created_by, hold_mass_change=not run.mass_change_confirmed).status


def _record_progress(run: SyncRun, text: str, progress: Progress | None) -> None:
    # Only while the run is still this apply's: one marked failed meanwhile stops here.
    if not SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.RUNNING).update(
        progress=text[:120], updated_at=timezone.now()
    ):
        raise SyncStopped(run.pk)
    if progress:
        progress(text)


def sync_apply(
    *, run: SyncRun, actor=None, progress: Progress | None = None, hold_mass_change: bool = False
) -> SyncRun:
    """Make the portal match the run's file, comparing afresh with what is there now. With
    `hold_mass_change`, a plan that closes or deactivates too much is held back instead.
    Only a run in its dry run or waiting to be applied is applied (so a run marked failed
    while it waited, or applied already, is left as it is)."""
    claimed = SyncRun.objects.filter(pk=run.pk, status__in=[SyncRun.Status.PREVIEW, SyncRun.Status.QUEUED]).update(
        status=SyncRun.Status.RUNNING, updated_at=timezone.now()
    )
    if not claimed:
        run.refresh_from_db()
        return run
    try:
        plan = _plan_for(run_file(run), run.filename, run.organisation)
        if not plan.valid or (hold_mass_change and mass_change(plan.summary())):
            status = SyncRun.Status.INVALID if not plan.valid else SyncRun.Status.HELD
            SyncRun.objects.filter(pk=run.pk).update(
                status=status, summary=plan.summary(), progress="", updated_at=timezone.now()
            )
            run.refresh_from_db()
            if status == SyncRun.Status.HELD:
                audit_log(run, "organisation.sync_held", actor=actor, data=mass_change(run.summary))
            return run
        counts = plan_apply(plan=plan, actor=actor, progress=lambda text: _record_progress(run, text, progress))
    except Exception:
        logger.exception("The organisation sync %s stopped", run.pk)
        SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.RUNNING).update(
            status=SyncRun.Status.FAILED, updated_at=timezone.now()
        )
        raise
    with transaction.atomic():
        run = SyncRun.objects.select_for_update().get(pk=run.pk)
        run.status = SyncRun.Status.APPLIED
        run.applied_at = timezone.now()
        run.summary = plan.summary()
        run.progress = ""
        run.save(update_fields=["status", "applied_at", "summary", "progress", "updated_at"])
        audit_log(run, "organisation.sync_applied", actor=actor, data={"counts": counts})
        holding.release_of([run], purpose=HELD_PURPOSE)  # applied: the file is needed no more
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
    unit_services.units_close(units=plan.closed, actor=actor)
    say(_("Step %(step)s of %(steps)s: members") % {"step": 4, "steps": steps})
    _sync_members(plan, pk_of, actor, say)
    say(_("Step %(step)s of %(steps)s: people who left or came back") % {"step": 5, "steps": steps})
    _sync_people(plan, actor)
    return plan.summary()["counts"]


# Each step is one transaction: what accounts' services (accounts/units.py) write in it, and
# what they announce, commit together.


@transaction.atomic
def _create_units(plan: SyncPlan, actor, say: Progress) -> dict[str, int]:
    unit_services.units_link_to_register(links=[(unit, row.unit_id) for unit, row in plan.adopted], actor=actor)
    pk_of = dict(Unit.objects.filter(register_id__isnull=False).values_list("register_id", "pk"))
    done = 0
    for _depth, group in groupby(plan.created, key=lambda c: c.depth):
        created = unit_services.units_create_from_register(
            units=[
                Unit(
                    name=c.row.name,
                    kind=c.kind,
                    parent_id=pk_of[c.row.parent_id] if c.row.parent_id else None,
                    leader_id=c.leader_id,
                    register_id=c.row.unit_id,
                    organisation_id=c.organisation_id,
                )
                for c in group
            ],
            actor=actor,
        )
        pk_of.update((unit.register_id, unit.pk) for unit in created)
        done += len(created)
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
        changed.append((unit, data))
    unit_services.units_change_from_register(changes=changed, actor=actor)


@transaction.atomic
def _sync_members(plan: SyncPlan, pk_of: dict[str, int], actor, say: Progress) -> None:
    if plan.members_added:
        unit_services.memberships_add(
            pairs=[(user_id, pk_of[register_id]) for user_id, register_id in plan.members_added], actor=actor
        )
        say(_("Members added: %(count)s") % {"count": len(plan.members_added)})
    if plan.members_removed:
        # Each one heard of (person_left), so the register hands over what they ran in the unit.
        unit_services.memberships_end(membership_ids=plan.members_removed, actor=actor)


@transaction.atomic
def _sync_people(plan: SyncPlan, actor) -> None:
    unit_services.people_mark_in_register(user_ids=plan.people_in, actor=actor)
    unit_services.people_place_in_organisations(placements=plan.people_placed, actor=actor)
    unit_services.people_back_from_register(user_ids=plan.people_back, actor=actor)
    for person in User.objects.filter(pk__in=plan.people_left):
        # Announces person_left: the register hands over the accounts the person ran.
        person_deactivate(user=person, reason=User.InactiveReason.LEFT_REGISTER, actor=actor)
    # What an earlier file undid and this one puts back: the accounts marked as needing a new
    # editor because these people left are unmarked (when nothing else justifies the mark).
    editors_back(users=[*plan.people_back, *(user_id for user_id, _rid in plan.members_added)], actor=actor)


def administrators():
    return User.objects.filter(is_active=True, is_staff=True, is_superuser=True)


def run_problems(run: SyncRun) -> list[dict]:
    """The problems of a file that could not be applied, in the language now active (the file is
    read again: the messages are made in the reader's language, not the uploader's)."""
    try:
        plan = _plan_for(run_file(run), run.filename, run.organisation)
    except holding.HeldUploadExpired:
        return run.summary.get("problems", [])  # as they were found, in the language of that day
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


def sync_held_report(*, run: SyncRun) -> int:
    """Tell the administrators and the advisers of the file's organisations, each in their own
    language, that the scheduled sync held a file back because it would close too much, with
    the numbers."""
    organisation_ids = run.summary.get("organisation_ids") or [run.organisation_id or default_organisation().pk]
    people = User.objects.filter(is_active=True).filter(
        models.Q(is_staff=True, is_superuser=True) | models.Q(is_adviser=True, organisation_id__in=organisation_ids)
    )
    mass = mass_change(run.summary)
    for person in people:
        email_queue(
            template="org_sync_held",
            to=[person.email],
            context={"run": run, "mass": mass, "recipient": person},
            language=person.language,
        )
    return len(people)


def stuck_runs_fail(*, now=None) -> int:
    """Runs still "being applied" with no progress for SYNC_STUCK_AFTER were left by a worker
    (or a scheduled run) that stopped: mark them failed, so the file can be applied again."""
    now = now or timezone.now()
    failed = 0
    stuck = SyncRun.objects.filter(status=SyncRun.Status.RUNNING, updated_at__lt=now - SYNC_STUCK_AFTER)
    for run in stuck:
        # Conditional: a worker that records progress meanwhile keeps its run.
        if SyncRun.objects.filter(pk=run.pk, status=SyncRun.Status.RUNNING, updated_at=run.updated_at).update(
            status=SyncRun.Status.FAILED, updated_at=now
        ):
            audit_log(run, "organisation.sync_stopped", data={"progress": run.progress})
            failed += 1
    return failed


def closed_units_to_hand_over(*, user):
    """Closed units of the organisations `user` advises that still own plans or accounts, with
    what they own."""
    return owned_by(_closed_units(user))


def closed_units_waiting(*, user) -> dict:
    """{"count": how many closed units of the organisations `user` advises still own plans or
    accounts, "since": the latest closing among them}, in one query, without reading what they
    own (for the task list)."""
    waiting = _closed_units(user).filter(
        Exists(_open_plans().filter(unit_id=OuterRef("pk"))) | Exists(_live_accounts().filter(unit_id=OuterRef("pk")))
    )
    return waiting.aggregate(count=Count("pk"), since=Max("closed_at"))


def _closed_units(user):
    """The scoping helper of closed units: those of the organisations the person advises."""
    return Unit.objects.filter(
        is_active=False, closed_at__isnull=False, organisation_id__in=user.advised_organisation_ids()
    )


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


def drop_directories(directory=None) -> list[tuple]:
    """(folder, organisation) for the scheduled sync: the drop directory itself (for a file
    that names its organisations, or the portal's only one), and a folder in it for each
    organisation whose register drops a file of its own, named by the organisation's address
    name (ORG_SYNC_DIR/helse-stavanger/)."""
    from accounts.organisations import all_organisations

    directory = directory or settings.ORG_SYNC_DIR
    found = [(directory, None)]
    for organisation in all_organisations():
        folder = directory / organisation.slug
        if not organisation.is_region and folder.is_dir():
            found.append((folder, organisation))
    return found


def drop_directory_sync(
    *, directory=None, progress: Progress | None = None, organisation=None
) -> tuple[str, SyncRun | None]:
    """The scheduled sync: the newest file in the drop directory (for `organisation`, when it is
    that organisation's folder), applied with the same rules, then moved to done/ (or rejected/).
    Returns a line for the log and the run, if any."""
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
        run = sync_preview_invalid(content=content, filename=path.name, message=str(error), organisation=organisation)
        _move(path, "rejected")
        sync_report(run=run)
        return f"{path.name}: not read: {error}", run
    plan = sync_plan(sheet.rows, has_members=sheet.has_members, organisation=organisation)
    if plan.valid and not plan.has_changes:
        _move(path, "done")
        return f"{path.name}: no changes", None  # nothing written, nobody mailed
    run = sync_preview(
        content=content, filename=path.name, source=SyncRun.Source.DROP, plan=plan, organisation=organisation
    )
    if run.status == SyncRun.Status.INVALID:
        _move(path, "rejected")
        sync_report(run=run)
        return f"{path.name}: {run.summary['problem_count']} errors, nothing changed", run
    run = sync_apply(run=run, progress=progress, hold_mass_change=True)
    if run.status == SyncRun.Status.HELD:
        _move(path, "held")
        with transaction.atomic():
            sent = sync_held_report(run=run)
        mass = mass_change(run.summary)
        return (
            f"{path.name}: held back, nothing changed: it would close {mass['closed']} of {mass['units']} units "
            f"and deactivate {mass['left']} of {mass['people']} people ({sent} told)"
        ), run
    _move(path, "done")
    with transaction.atomic():
        sync_report(run=run)
    return f"{path.name}: applied", run


@transaction.atomic
def sync_preview_invalid(*, content: bytes, filename: str, message: str, organisation=None) -> SyncRun:
    run = SyncRun.objects.create(
        organisation=organisation,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        source=SyncRun.Source.DROP,
        status=SyncRun.Status.INVALID,
        summary={"valid": False, "problems": [{"line": 0, "message": message}], "problem_count": 1, "counts": {}},
    )
    if len(content) <= MAX_BYTES:  # a file over the limit is not held; its problem is
        _hold(run, content, None)
    audit_log(run, "organisation.sync_rejected", data={"message": message})
    return run


def _move(path, folder: str) -> None:
    target = path.parent / folder
    target.mkdir(exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    path.rename(target / f"{stamp}-{path.name}")
