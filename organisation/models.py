from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class SyncRun(TimeStampedModel):
    """One file from the organisation register: uploaded for a dry run (and applied when
    confirmed by the administrator who uploaded it), or picked up from the drop directory by
    the scheduled sync (and, when held back, confirmed by any administrator)."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Dry run")
        QUEUED = "queued", _("Waiting to be applied")
        RUNNING = "running", _("Being applied")
        APPLIED = "applied", _("Applied")
        INVALID = "invalid", _("Not applied: errors in the file")
        FAILED = "failed", _("Stopped by an error")
        HELD = "held", _("Held back")

    class Source(models.TextChoices):
        UPLOAD = "upload", _("Uploaded")
        DROP = "drop", _("Scheduled")

    filename = models.CharField(_("file"), max_length=255)
    # The file itself is held for the run (core/held.py) until it is applied or expires. This
    # column held it before, and is read by nothing now: migration 0003 moved its files and
    # emptied it. It goes once no code passes it any more.
    content = models.BinaryField(default=b"", blank=True, editable=False)
    sha256 = models.CharField(max_length=64, db_index=True)
    source = models.CharField(_("source"), max_length=6, choices=Source.choices, default=Source.UPLOAD)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PREVIEW)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The organisation the file is for (one file per organisation); empty when the file names
    # each unit's organisation itself, or the portal has only the one.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.JSONField(default=dict, blank=True)
    progress = models.CharField(max_length=120, blank=True)
    applied_at = models.DateTimeField(_("applied"), null=True, blank=True)
    # An administrator has seen the warning that the file closes or deactivates more than
    # ORG_SYNC_MAX_CLOSE_PERCENT and has confirmed it.
    mass_change_confirmed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("organisation sync")
        verbose_name_plural = _("organisation syncs")

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
