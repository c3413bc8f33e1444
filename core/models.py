import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class AuditEntryQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(target_type=ContentType.objects.get_for_model(obj), target_id=obj.pk).select_related("actor")


class AuditEntry(models.Model):
    """One row per state change: who did what to which object, and when."""

    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    target_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["target_type", "target_id", "created_at"])]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self):
        return f"{self.action} #{self.target_id}"


class OutboundEmailQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status__in=OutboundEmail.SENDABLE, next_attempt_at__lte=now)


class OutboundEmail(models.Model):
    """A message in the outbox. The worker sends it; a failed send is retried later.

    Delivery is at least once, with a stable Message-ID: SMTP cannot promise exactly
    once. A worker that dies after the mail server took a message but before it
    answered leaves the outcome unknown; the sweep marks such a message UNCERTAIN,
    counts it in `uncertain_sends`, and sends it again, so the outbox shows that the
    recipient may have two copies (which the same Message-ID lets mail programs join)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Sending")
        UNCERTAIN = "uncertain", _("Outcome unknown, will be sent again")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Gave up")

    SENDABLE = (Status.PENDING, Status.UNCERTAIN)

    template = models.CharField(max_length=120)
    to = models.JSONField(default=list)
    subject = models.CharField(max_length=300)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    # The organisation's sender (accounts.Organisation.from_email); empty: DEFAULT_FROM_EMAIL.
    from_email = models.CharField(max_length=254, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    uncertain_sends = models.PositiveIntegerField(
        _("sends with unknown outcome"),
        default=0,
        help_text=_("Sends where the worker stopped before the mail server answered; each was sent again."),
    )
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Drawn once for the message and kept with it: every send of it (a retry, a resend after an
    # unknown outcome) carries the same Message-ID, and no other message ever has it, not
    # after a restore either (when the row numbers are handed out again).
    message_key = models.UUIDField(default=uuid.uuid4, editable=False, unique=True)

    objects = OutboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")

    def __str__(self):
        return self.subject

    @property
    def message_id(self) -> str:
        """Stable per message, so a receiver can recognise a resend of the same message; unique
        everywhere, with the portal's own host name (SITE_URL) after the @."""
        host = urlsplit(settings.SITE_URL).hostname or "some-portalen.invalid"
        return f"<{self.message_key}@{host}>"


class EmailAttachment(models.Model):
    email = models.ForeignKey(OutboundEmail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    mimetype = models.CharField(max_length=100)
    content = models.BinaryField(null=True, blank=True)
    # Made when the mail is sent (by the worker), not when the mail is queued: a
    # dotted path to a function that takes `generator_arg` and returns the bytes.
    generator = models.CharField(max_length=200, blank=True)
    generator_arg = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.filename

    def get_content(self) -> bytes:
        if self.content is None:
            self.content = import_string(self.generator)(self.generator_arg)
            self.save(update_fields=["content"])
        return bytes(self.content)


class HeldUpload(models.Model):
    """An uploaded file held between the check that shows what it would do and the
    confirmation of the person who uploaded it (compare pretix's CachedFile). Each flow keeps
    its own review (a sync run, an import of key figures, the register's import check) and
    holds its file here, the same way: core/held.py."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # None for a file the portal picked up itself (the organisation register's scheduled
        # file), which an administrator confirms.
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    purpose = models.CharField(max_length=40)
    filename = models.CharField(max_length=255)
    # The file compressed (zlib): an export of figures shrinks ten or twenty times.
    content = models.BinaryField()
    size = models.PositiveIntegerField()  # of the file itself, not compressed
    sha256 = models.CharField(max_length=64)
    # The record that reviews the file (a sync run, an import of key figures), if any.
    record_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    record_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]
        verbose_name = _("uploaded file waiting for confirmation")
        verbose_name_plural = _("uploaded files waiting for confirmation")

    def __str__(self):
        return self.filename
