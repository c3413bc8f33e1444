"""Every change the archive makes: a package queued (in the transaction of the change it
records), delivered (by the worker, after the commit), sent again (by an adviser), and
acknowledged or refused by the archive's receipt; and the archive settings kept."""

import logging
import shutil
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings as django_settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import organisations
from core.access import require_adviser
from core.audit import audit_log

from . import arkivmelding as am
from .models import ArchiveSettings, Package, PackageStatus
from .transport import DeliveryFailed, transport_for

logger = logging.getLogger(__name__)

FIRST_RETRY = 60  # seconds; doubled on each failure
MAX_RETRY = 60 * 60
READ_FOLDER = "lest"  # receipts the portal has read
REFUSED_FOLDER = "avvist"  # receipts it could not use, kept for a person to look at
EDITABLE_SETTINGS = (
    "organisation_number",
    "system",
    "archive_part",
    "classification_system",
    "class_id",
    "class_title",
    "administrative_unit",
    "case_officer",
    "case_officer_email",
    "screening_code",
    "screening_basis",
)
# The outbox and inbox are not among them: a folder on the server is for those who run the
# portal to choose (ARCHIVE_OUTBOX, ARCHIVE_INBOX), never a field in a web form. Nor is the
# organisation's name: the records' author is the organisation's own name.


# The case officer of a new organisation's records until its advisers name one: the department.
DEPARTMENT = "Kommunikasjonsavdelinga"


class ArchiveError(Exception):
    pass


def archive_settings(organisation=None) -> ArchiveSettings:
    """An organisation's archive settings (the portal's default organisation's when none is
    given), made with the documented defaults on first use."""
    organisation_id = getattr(organisation, "pk", organisation) or organisations.default().pk
    found = ArchiveSettings.objects.filter(organisation_id=organisation_id).first()
    if found is None:
        owner = organisations.get(organisation_id)
        found, _created = ArchiveSettings.objects.get_or_create(
            organisation_id=organisation_id,
            defaults={
                "case_officer": f"{DEPARTMENT} i {owner.name}",
                "case_officer_email": owner.mailbox,
            },
        )
    return found


def every_archive_settings() -> list[ArchiveSettings]:
    """Every organisation's archive settings that have been made, each with its own outbox and
    inbox: what the periodic job and the demo's archive read. An organisation without a row has
    never had a package, so nothing of its can be in an outbox or answered in an inbox."""
    return list(ArchiveSettings.objects.order_by("pk"))


def organisation_of(*, plan=None, evaluation=None, account=None) -> int:
    """The organisation a package belongs to: its plan's unit's (the case's), else the
    evaluation's or the account's unit's."""
    for owner in (plan, evaluation, account):
        if owner is not None:
            return owner.unit.organisation_id
    raise ArchiveError("A package records a plan, an evaluation or an account.")


@transaction.atomic
def package_queue(
    *,
    kind: str,
    source: str,
    title: str,
    plan=None,
    version=None,
    evaluation=None,
    account=None,
    decision: str = "",
    comment: str = "",
    actor=None,
    happened_at: datetime | None = None,
    deliver: bool = True,
) -> tuple[Package, bool]:
    """The package recording `source`, queued now if it is not there yet (True if new). Nothing
    but this row is written here: the documents are made by the worker after the commit."""
    existing = Package.objects.filter(source=source).first()
    if existing is not None:
        return existing, False
    package = Package.objects.create(
        settings=archive_settings(organisation_of(plan=plan, evaluation=evaluation, account=account)),
        kind=kind,
        source=source,
        title=title[:500],
        plan=plan,
        version=version,
        evaluation=evaluation,
        account=account,
        decision=decision,
        comment=comment,
        actor_name=(actor.full_name if actor is not None and getattr(actor, "is_authenticated", False) else ""),
        happened_at=happened_at or timezone.now(),
    )
    audit_log(package, "archive.queue", actor=actor, data={"kind": kind, "source": source})
    if deliver:
        _deliver_after_commit(package)
    return package, True


def _deliver_after_commit(package: Package) -> None:
    from .tasks import deliver_package

    transaction.on_commit(lambda: deliver_package.enqueue(package.pk))


def retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY))


def package_deliver(*, package_id: int, now: datetime | None = None) -> str:
    """Make the package's documents and arkivmelding and deliver them, if it is waiting and due.

    The package is claimed first (its next attempt moved on, in a short transaction of its
    own), so two workers never deliver it at once; the documents are made outside any
    transaction. A package the outbox refuses stays waiting with the reason and is tried again
    later; one whose message does not validate has a fault a retry cannot mend, and fails."""
    now = now or timezone.now()
    with transaction.atomic():
        package = Package.objects.select_for_update().filter(pk=package_id).first()
        if package is None or package.status != PackageStatus.WAITING or package.next_attempt_at > now:
            return "not due"
        package.attempts += 1
        package.next_attempt_at = now + retry_delay(package.attempts)
        package.save(update_fields=["attempts", "next_attempt_at"])
    package = Package.objects.select_related("settings", "plan__unit", "version", "evaluation", "account").get(
        pk=package_id
    )
    try:
        files = package_files(package)
    except am.InvalidMessage as error:
        return _failed(package, f"{_('The message does not validate against the schema')}: {error}")
    except Exception as error:  # a document that could not be made: try again later
        logger.exception("The archive package %s could not be made.", package.uuid)
        return _waiting(package, f"{type(error).__name__}: {error}")
    try:
        transport_for(package.settings).deliver(str(package.uuid), files)
    except DeliveryFailed as error:
        logger.warning("The archive package %s could not be delivered: %s", package.uuid, error)
        return _waiting(package, str(error))
    with transaction.atomic():
        Package.objects.filter(pk=package.pk, status=PackageStatus.WAITING).update(
            status=PackageStatus.DELIVERED, delivered_at=timezone.now(), last_error=""
        )
        audit_log(package, "archive.deliver", data={"attempts": package.attempts})
    return "delivered"


def package_files(package: Package) -> dict[str, bytes]:
    """The package's files: its documents, and arkivmelding.xml, validated against the schema."""
    from .documents import case_for, record_for

    record, _title = record_for(package)
    message = am.build(settings=package.settings, case=case_for(package), record=record)
    am.validate(message)
    return {am.FILE_NAME: message, **{document.file_name: document.content for document in record.documents}}


def _waiting(package: Package, reason: str) -> str:
    Package.objects.filter(pk=package.pk, status=PackageStatus.WAITING).update(last_error=reason[:2000])
    return "waiting"


@transaction.atomic
def _failed(package: Package, reason: str) -> str:
    Package.objects.filter(pk=package.pk).update(status=PackageStatus.FAILED, last_error=reason[:2000])
    audit_log(package, "archive.fail", data={"reason": reason[:500]})
    return "failed"


def deliver_due(*, now: datetime | None = None, limit: int = 50) -> int:
    """Deliver the waiting packages that are due (the periodic job; in case a task was lost)."""
    now = now or timezone.now()
    delivered = 0
    for package_id in Package.objects.due(now).values_list("pk", flat=True)[:limit]:
        delivered += package_deliver(package_id=package_id, now=now) == "delivered"
    return delivered


@transaction.atomic
def package_send_again(*, package: Package, actor) -> Package:
    """An adviser sends a package again: one that failed, or that the archive has not
    acknowledged. The archive knows the package by its key, so it files it once."""
    package = Package.objects.select_for_update().select_related("settings").get(pk=package.pk)
    require_adviser(
        actor,
        ArchiveError,
        _("Only the Communications Department can send a package again."),
        organisation_id=package.settings.organisation_id,
    )
    if package.status == PackageStatus.ACKNOWLEDGED:
        raise ArchiveError(_("The archive has already acknowledged this package."))
    package.status = PackageStatus.WAITING
    package.next_attempt_at = timezone.now()
    package.attempts = 0
    package.last_error = ""
    package.delivered_at = None
    package.save(update_fields=["status", "next_attempt_at", "attempts", "last_error", "delivered_at"])
    # A copy still in the outbox (not yet read by the archive) is replaced by the new one.
    outbox_copy = package.settings.outbox_path / str(package.uuid)
    transaction.on_commit(lambda: shutil.rmtree(outbox_copy, ignore_errors=True))
    audit_log(package, "archive.send_again", actor=actor)
    _deliver_after_commit(package)
    return package


@transaction.atomic
def archive_settings_update(*, actor, organisation, **values) -> ArchiveSettings:
    """An adviser changes their organisation's archive settings."""
    require_adviser(
        actor,
        ArchiveError,
        _("Only the Communications Department can change the archive settings."),
        organisation_id=getattr(organisation, "pk", organisation),
    )
    current = ArchiveSettings.objects.select_for_update().get(pk=archive_settings(organisation).pk)
    changed = {}
    for name in EDITABLE_SETTINGS:
        if name in values and getattr(current, name) != values[name]:
            changed[name] = values[name]
            setattr(current, name, values[name])
    if changed:
        current.save()
        audit_log(current, "archive.settings", actor=actor, data={"changed": sorted(changed)})
    return current


# Receipts ---------------------------------------------------------------------------------


def receipts_read(*, settings: ArchiveSettings | None = None) -> dict[str, int]:
    """Read every receipt in an organisation's inbox (every organisation's, when none is given):
    store the archive's references, and move each file aside (read, or refused with the reason
    beside it). A receipt that does not validate, or names a package the portal never sent to
    this organisation's archive, changes nothing; nor does one read before."""
    counts = {"acknowledged": 0, "refused": 0, "duplicate": 0, "failed": 0}
    for current in [settings] if settings is not None else every_archive_settings():
        for inbox in _inboxes(current):
            for outcome, count in _read_inbox(inbox, current).items():
                counts[outcome] += count
    return counts


def _inboxes(current: ArchiveSettings) -> list[Path]:
    """The organisation's inbox; for the portal's default organisation also the top inbox
    folder, where an installation from before organisations read its receipts, so that the
    answers to packages delivered before the upgrade are still read."""
    inboxes = [current.inbox_path]
    if not current.inbox and current.organisation_id == organisations.default().pk:
        inboxes.append(Path(django_settings.ARCHIVE_INBOX))
    return inboxes


def _read_inbox(inbox: Path, current: ArchiveSettings) -> dict[str, int]:
    counts = {"acknowledged": 0, "refused": 0, "duplicate": 0, "failed": 0}
    if not inbox.is_dir():
        return counts
    for path in sorted(inbox.glob("*.xml")):
        try:
            data = path.read_bytes()
        except OSError:
            continue  # being written still, or gone: the next round reads it
        outcome, reason = receipt_take(data=data, named=path.stem, settings=current)
        counts[outcome] += 1
        if outcome == "refused":
            logger.warning("Archive receipt %s refused: %s", path.name, reason)
            _move(path, inbox / REFUSED_FOLDER, reason)
        else:
            _move(path, inbox / READ_FOLDER)
    return counts


def receipt_take(*, data: bytes, named: str = "", settings: ArchiveSettings) -> tuple[str, str]:
    """What a receipt in an organisation's inbox does: ("acknowledged" | "failed" | "duplicate" |
    "refused", reason). It can only answer for a package delivered to that organisation's
    archive: one naming another organisation's package is refused like a stranger's."""
    try:
        receipt = am.read_receipt(data, named=named)
    except am.InvalidMessage as error:
        return "refused", str(error)
    try:
        key = uuid.UUID(receipt.record_key)
    except ValueError:
        return "refused", f"No package of the portal's has the key {receipt.record_key!r}."
    with transaction.atomic():
        package = Package.objects.select_for_update().filter(uuid=key, settings=settings).first()
        if package is None:
            return "refused", f"No package of the portal's has the key {receipt.record_key}."
        if package.status == PackageStatus.ACKNOWLEDGED:
            return "duplicate", ""
        if receipt.failure:
            if package.status == PackageStatus.FAILED and package.last_error.endswith(receipt.failure):
                return "duplicate", ""
            package.status = PackageStatus.FAILED
            package.last_error = f"{_('The archive refused the package')}: {receipt.failure}"[:2000]
            package.save(update_fields=["status", "last_error"])
            audit_log(package, "archive.refused", data={"reason": receipt.failure[:500]})
            return "failed", receipt.failure
        package.status = PackageStatus.ACKNOWLEDGED
        package.acknowledged_at = timezone.now()
        package.last_error = ""
        package.case_year, package.case_number = receipt.case_year, receipt.case_number
        package.record_year, package.record_number = receipt.record_year, receipt.record_number
        package.document_number = receipt.document_number
        package.save()
        audit_log(
            package, "archive.acknowledge", data={"case": package.case_reference, "record": package.record_reference}
        )
    return "acknowledged", ""


def _move(path: Path, folder: Path, reason: str = "") -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / path.name
        if target.exists():
            target = folder / f"{path.stem}-{uuid.uuid4().hex[:8]}{path.suffix}"
        path.rename(target)
        if reason:
            target.with_suffix(".reason.txt").write_text(reason + "\n", encoding="utf-8")
    except OSError:
        logger.exception("Could not move the archive receipt %s aside.", path)
