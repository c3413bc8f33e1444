"""What only the hospital can say, kept by the communications advisers in the portal rather
than in code: its terms for each platform in the catalogue, and the phone numbers and links
the handbook points to. The handbook shows them where its text asks for them
(`facts.directives`), and the plan form shows the terms beside the choice of channel."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.access import advised_rows
from platforms.models import Platform


class PlatformTerms(models.Model):
    """The hospital's position on one platform, with the reason (in Nynorsk, as the handbook).

    A platform without terms has not been assessed. Terms that no adviser has saved yet came
    with the portal as a starting point and say so wherever they are shown."""

    class Policy(models.TextChoices):
        APPROVED = "approved", pgettext_lazy("platform policy", "Approved")
        CONDITIONS = "conditions", pgettext_lazy("platform policy", "Approved with conditions")
        NOT_APPROVED = "not_approved", pgettext_lazy("platform policy", "Not approved")

    platform = models.OneToOneField(
        Platform, on_delete=models.CASCADE, related_name="terms", verbose_name=_("platform")
    )
    policy = models.CharField(_("the hospital's position"), max_length=20, choices=Policy.choices)
    reason = models.TextField(
        _("reason and conditions"),
        max_length=2000,
        help_text=_("In Nynorsk, as the handbook. Name the source of any fact, with the year."),
    )
    # When the assessment was made, shown beside the position: an assessment ages, and the reader
    # should see how old it is. Empty for terms written before the date was kept.
    assessed_on = models.DateField(_("assessed on"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["platform__position", "platform__name"]
        verbose_name = _("platform terms")
        verbose_name_plural = _("platform terms")

    def __str__(self):
        return f"{self.platform}: {self.get_policy_display()}"

    @property
    def reviewed(self) -> bool:
        """False while the terms are still the portal's starting point."""
        return self.updated_by_id is not None


class PlaceholderQuerySet(models.QuerySet):
    def base(self):
        return self.filter(organisation__isnull=True)

    def shown_for(self, organisation) -> dict[str, "Placeholder"]:
        """key → the placeholder as `organisation`'s pages show it: its own value where it has
        filled one in, else the region's shared value (None: the default organisation). One query."""
        from accounts import organisations

        organisation = organisation or organisations.default()
        rows = self.filter(models.Q(organisation__isnull=True) | models.Q(organisation_id=organisation.pk))
        shown: dict[str, Placeholder] = {}
        for placeholder in sorted(rows, key=lambda p: p.organisation_id is not None):
            if placeholder.organisation_id is None or not placeholder.missing:
                shown[placeholder.key] = placeholder
        return shown

    def editable_by(self, user):
        """The values this person keeps: the shared values for those who keep the shared text
        (handbook.models.edits_base), else their own organisation's. Nothing for anyone else."""
        from handbook.models import edits_base

        if not getattr(user, "is_authenticated", False):
            return self.none()
        if edits_base(user):
            return self.base()
        return advised_rows(self, user)


class Placeholder(models.Model):
    """A phone number, address or link that only the hospital knows, written {{key}} (or, for a
    link, [text](felt:key)) in the handbook's Markdown. Until it is filled in, the text says
    plainly that it is missing: nothing is ever made up.

    A row without an organisation is the region's shared value; an organisation's own row, where
    it is filled in, wins on that organisation's pages and PDF."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text (a phone number, an address, a name)")
        LINK = "link", _("Link (a web address)")

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    key = models.CharField(
        _("key"),
        max_length=50,
        validators=[
            RegexValidator(r"^[a-z0-9]+(-[a-z0-9]+)*$", _("Use small letters a–z, digits and hyphens only.")),
            RegexValidator(r"^plattformliste$", _("This name is taken by the platform list."), inverse_match=True),
        ],
    )
    label = models.CharField(
        _("what it is"), max_length=200, help_text=_("In Nynorsk; shown in the handbook while it is missing.")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.TEXT)
    value = models.CharField(_("value"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PlaceholderQuerySet.as_manager()

    class Meta:
        ordering = ["label"]
        verbose_name = _("handbook placeholder")
        verbose_name_plural = _("handbook placeholders")
        constraints = [
            models.UniqueConstraint(
                fields=["key"], condition=models.Q(organisation__isnull=True), name="unique_shared_placeholder_key"
            ),
            models.UniqueConstraint(fields=["organisation", "key"], name="unique_own_placeholder_key"),
        ]

    def __str__(self):
        return self.label

    @property
    def missing(self) -> bool:
        return not self.value.strip()
