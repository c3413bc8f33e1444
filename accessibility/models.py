from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.access import advised_rows
from core.models import TimeStampedModel
from registry.models import new_reference


def https_only(value: str) -> None:
    if not value.startswith("https://"):
        raise ValidationError(_("The address must begin with https://."))


class BarrierStatus(models.TextChoices):
    NEW = "new", _("New")
    CLOSED = "closed", _("Closed")


class BarrierReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=BarrierStatus.NEW)

    def visible_to(self, user):
        """The reports made on the pages of the organisations this person advises."""
        return advised_rows(self, user)

    def of_organisation(self, organisation):
        return self.filter(organisation_id=getattr(organisation, "pk", organisation))


class BarrierReport(TimeStampedModel):
    """Someone told us that a part of the portal was hard or impossible to use: a barrier.
    The accessibility statement promises an answer, so each one waits in the advisers'
    tasks until an adviser closes it with a note of what was done."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_reference, editable=False)
    # The organisation whose pages the person was on: its department is told and answers.
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    what_was_hard = models.TextField(_("what was hard"), max_length=2000)
    # The page's address in the portal (a path such as /register/?q=x), checked to be the
    # portal's own; empty when the person did not say.
    page = models.CharField(_("page"), max_length=500, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    # The language the person wrote in and reads the receipt in.
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES, default="nb")
    # The person, when they were logged in (the portal's own staff report barriers too).
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=BarrierStatus.choices, default=BarrierStatus.NEW, db_index=True
    )
    note = models.TextField(_("note"), blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # Keyed hashes of the sender's address and network, for the limits (as for reports of fake
    # accounts); the address itself is not kept.
    client_key = models.CharField(max_length=64, editable=False)
    network_key = models.CharField(max_length=64, editable=False, blank=True)
    # When the department was told: at once, or in a summary when many reports come at once.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = BarrierReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["client_key", "created_at"], name="barrier_client_idx"),
            models.Index(fields=["network_key", "created_at"], name="barrier_network_idx"),
            models.Index(fields=["notified_at", "created_at"], name="barrier_notified_idx"),
        ]
        verbose_name = _("barrier report")
        verbose_name_plural = _("barrier reports")

    def __str__(self):
        return self.reference


class StatementLink(TimeStampedModel):
    """An organisation's own accessibility statement (made in Digdir's uustatus.no): the footer
    of the organisation's pages links it. An organisation without one has the setting
    ACCESSIBILITY_STATEMENT_URL, or else the portal's own statement page."""

    organisation = models.OneToOneField(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="accessibility_statement",
    )
    url = models.URLField(
        _("address of the accessibility statement"),
        max_length=500,
        validators=[https_only],
        help_text=_(
            "The organisation's statement on uustatus.no, such as https://uustatus.no/nb/erklaringer/publisert/…"
        ),
    )

    class Meta:
        verbose_name = _("accessibility statement link")
        verbose_name_plural = _("accessibility statement links")

    def __str__(self):
        return self.url
