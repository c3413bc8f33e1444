"""The archive: what the portal delivers to the organisation's sak/arkiv system, and what the
archive answered (docs/archive.md).

A `Package` is one record (journalpost) with its documents, in the case folder (saksmappe) of
its plan. It is written in the same transaction as the change it records (a transactional
outbox): the documents and the arkivmelding are made after the commit, by the worker, and
dropped in the outbox folder. The archive's receipt gives the case and record numbers.
"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import organisations
from core.models import TimeStampedModel


class ArchiveSettings(TimeStampedModel):
    """The archive part of an organisation's settings, one row per organisation (made with the
    documented defaults on first use, archive.services.archive_settings). The records' author
    and the organisation's name in the documents are the organisation's own name.

    Each organisation has its own outbox and inbox: a folder named by its address name (slug)
    under ARCHIVE_OUTBOX and ARCHIVE_INBOX, unless the row names folders of its own."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="archive_settings",
    )
    organisation_number = models.CharField(_("organisation number"), max_length=20, blank=True)
    system = models.CharField(_("system name in the archive"), max_length=60, default="SoMe-portalen")
    archive_part = models.CharField(_("archive part (arkivdel)"), max_length=60, default="SAK")
    classification_system = models.CharField(_("classification system"), max_length=60, default="ORG")
    class_id = models.CharField(_("class"), max_length=60, default="026")
    class_title = models.CharField(_("class title"), max_length=200, default="Informasjon og kommunikasjon")
    administrative_unit = models.CharField(_("administrative unit"), max_length=200, default="Kommunikasjonsavdelinga")
    case_officer = models.CharField(_("case officer"), max_length=200, default="Kommunikasjonsavdelinga")
    case_officer_email = models.EmailField(_("case officer's e-mail"), blank=True)
    # Screening (skjerming): empty means the records are open, as plans and decisions usually are.
    screening_code = models.CharField(_("access restriction (tilgangsrestriksjon)"), max_length=20, blank=True)
    screening_basis = models.CharField(_("legal basis for screening (skjermingshjemmel)"), max_length=200, blank=True)
    # Empty: the organisation's own folder under ARCHIVE_OUTBOX and ARCHIVE_INBOX. Set by those
    # who run the portal (the shell, or a data migration), never on the archive page.
    outbox = models.CharField(_("outbox folder"), max_length=500, blank=True)
    inbox = models.CharField(_("inbox folder"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("archive settings")
        verbose_name_plural = _("archive settings")

    def __str__(self):
        return f"{self.author} ({self.system})"

    @property
    def owner(self):
        """The organisation, from the process's list (no query)."""
        return organisations.get(self.organisation_id)

    @property
    def author(self) -> str:
        """The records' and documents' author: the organisation's name."""
        return self.owner.name

    @property
    def screened(self) -> bool:
        return bool(self.screening_code and self.screening_basis)

    @property
    def outbox_path(self) -> Path:
        return Path(self.outbox) if self.outbox else Path(settings.ARCHIVE_OUTBOX) / self.owner.slug

    @property
    def inbox_path(self) -> Path:
        return Path(self.inbox) if self.inbox else Path(settings.ARCHIVE_INBOX) / self.owner.slug


class PackageKind(models.TextChoices):
    PLAN_SENT = "plan_sent", _("Plan sent")
    PLAN_DECIDED = "plan_decided", _("Decision on a plan")
    EVALUATION_SENT = "evaluation_sent", _("Evaluation sent")
    EVALUATION_ANSWERED = "evaluation_answered", _("Feedback on an evaluation")
    ACCOUNT_CLOSED = "account_closed", _("Account closed")


class PackageStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    DELIVERED = "delivered", _("Delivered")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    FAILED = "failed", _("Failed")


class PackageQuerySet(models.QuerySet):
    def due(self, now=None):
        now = now or timezone.now()
        return self.filter(status=PackageStatus.WAITING, next_attempt_at__lte=now).order_by("next_attempt_at", "pk")

    def unacknowledged_since(self, moment):
        return self.filter(status=PackageStatus.DELIVERED, delivered_at__lt=moment)

    def stuck(self):
        """Waiting packages the outbox has refused at least once."""
        return self.filter(status=PackageStatus.WAITING, attempts__gt=0).exclude(last_error="")

    def visible_to(self, user):
        """The packages of the organisations this person advises (none for anyone else)."""
        if not user.is_authenticated:
            return self.none()
        advised = user.advised_organisation_ids()
        return self.filter(settings__organisation_id__in=advised) if advised else self.none()

    def of_organisation(self, organisation):
        return self.filter(settings__organisation_id=getattr(organisation, "pk", organisation))

    def for_page(self):
        return self.select_related("plan__unit", "evaluation", "account").order_by("-created_at", "-pk")


class Package(models.Model):
    """One record (journalpost) and its documents, as delivered to the archive."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    settings = models.ForeignKey(ArchiveSettings, on_delete=models.PROTECT, related_name="packages")
    kind = models.CharField(_("kind"), max_length=24, choices=PackageKind.choices)
    # What the package records, once: "plan_sent:version:12". The backfill and a repeated
    # announcement find the package that is already there.
    source = models.CharField(max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=PackageStatus.choices, default=PackageStatus.WAITING, db_index=True
    )
    title = models.CharField(_("title"), max_length=500)
    plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.ForeignKey("plans.PlanVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    evaluation = models.ForeignKey(
        "evaluations.Evaluation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    account = models.ForeignKey("registry.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What the announcement said that the database may not keep: the decision and its comment.
    decision = models.CharField(max_length=24, blank=True)
    comment = models.TextField(blank=True)
    actor_name = models.CharField(max_length=200, blank=True)
    happened_at = models.DateTimeField(_("happened"), default=timezone.now)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(_("reason"), blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    # The archive's references, from its receipt.
    case_year = models.PositiveIntegerField(null=True, blank=True)
    case_number = models.PositiveIntegerField(null=True, blank=True)
    record_year = models.PositiveIntegerField(null=True, blank=True)
    record_number = models.PositiveIntegerField(null=True, blank=True)
    document_number = models.PositiveIntegerField(null=True, blank=True)

    objects = PackageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="archive_package_due_idx"),
            models.Index(fields=["status", "delivered_at"], name="archive_package_unacked_idx"),
        ]
        verbose_name = _("archive package")
        verbose_name_plural = _("archive packages")

    def __str__(self):
        return self.title

    @property
    def case_reference(self) -> str:
        """The archive's case number, as archivists write it: 2026/123."""
        return f"{self.case_year}/{self.case_number}" if self.case_number else ""

    @property
    def record_reference(self) -> str:
        """The record number in its case: 2026/123-4."""
        if not self.case_number or not self.document_number:
            return ""
        return f"{self.case_reference}-{self.document_number}"

    @property
    def case_key(self) -> str:
        """The case folder's key in the archive (referanseEksternNoekkel), one per plan."""
        if self.plan_id:
            return f"plan-{self.plan_id}"
        if self.account_id:
            return f"konto-{self.account_id}"
        return f"evaluering-{self.evaluation_id}"
