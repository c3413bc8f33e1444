from django.db import models
from django.utils.translation import gettext_lazy as _


class PlatformQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Platform(models.Model):
    """A social media platform in the catalogue that administrators keep."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    profile_url_pattern = models.CharField(
        _("profile URL pattern"),
        max_length=200,
        help_text=_("How a profile address looks, e.g. https://www.instagram.com/{handle}/"),
    )
    is_active = models.BooleanField(_("can be chosen in new plans"), default=True)
    position = models.PositiveSmallIntegerField(_("order"), default=100)

    objects = PlatformQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("platform")
        verbose_name_plural = _("platforms")

    def __str__(self):
        return self.name
