from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Logs in with e-mail and password (single sign-on can replace it)."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_adviser = models.BooleanField(
        _("communications adviser"),
        default=False,
        help_text=_("Advisers in the Communications Department review plans and see everything."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("administrator"), default=False, help_text=_("May use the administration pages."))
    language = models.CharField(_("language for e-mail"), max_length=5, choices=settings.LANGUAGES, default="nb")
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_administrator(self) -> bool:
        return self.is_staff and self.is_superuser

    def unit_ids(self) -> set[int]:
        """The units whose plans this user may see and write: member of, or leader of."""
        if not hasattr(self, "_unit_ids"):
            member = set(Membership.objects.filter(user=self).values_list("unit_id", flat=True))
            self._unit_ids = member | self.led_unit_ids()
        return self._unit_ids

    def led_unit_ids(self) -> set[int]:
        """Units this person leads: their own, and those below them with no leader of
        their own (for which this person is the nearest leader up the tree). Kept for the
        request, like unit_ids."""
        if hasattr(self, "_led_unit_ids"):
            return self._led_unit_ids
        led = set(Unit.objects.filter(leader=self).values_list("pk", flat=True))
        frontier = led
        while frontier:
            frontier = (
                set(Unit.objects.filter(parent_id__in=frontier, leader__isnull=True).values_list("pk", flat=True)) - led
            )
            led |= frontier
        self._led_unit_ids = led
        return led


class UnitQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(pk__in=user.unit_ids()).order_by("name")


class Unit(models.Model):
    """A part of the organisation: helseføretak → klinikk/senter → avdeling → seksjon."""

    class Kind(models.TextChoices):
        TRUST = "trust", _("Health trust")
        CLINIC = "clinic", _("Clinic or centre")
        DEPARTMENT = "department", _("Department")
        SECTION = "section", _("Section")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("level"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leader"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_units",
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def effective_leader(self):
        """The unit's own leader, or the nearest leader above it."""
        unit = self
        while unit is not None:
            if unit.leader_id:
                return unit.leader
            unit = unit.parent
        return None


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "unit"], name="unique_membership")]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} – {self.unit}"


class LoginFailure(models.Model):
    """A failed login, kept for a while to slow down password guessing."""

    email = models.CharField(max_length=254, db_index=True)
    ip = models.GenericIPAddressField(null=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.email} {self.created_at:%Y-%m-%d %H:%M}"
