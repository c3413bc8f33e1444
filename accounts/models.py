from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import connection, models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.text import clean_name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)

    def create_user(self, email, password=None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        if "full_name" in fields:
            fields["full_name"] = clean_name(fields["full_name"])
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Logs in with the hospital account (single sign-on, matched by the
    provider's stable subject) or, where allowed, with e-mail and password."""

    class InactiveReason(models.TextChoices):
        NONE = "", _("Not deactivated, or by hand")
        LEFT_REGISTER = "register", _("No longer in the organisation register")
        NOT_SEEN = "not_seen", _("Not seen at login for a long time")

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    sso_subject = models.CharField(
        _("single sign-on subject"),
        max_length=200,
        unique=True,
        null=True,
        blank=True,
        help_text=_("The hospital account's stable identifier (Entra ID's object id). Set at the first login."),
    )
    sso_may_link = models.BooleanField(
        _("may be linked at the next login"),
        default=False,
        help_text=_(
            "Lets the next login with the hospital account whose e-mail is this person's take over this "
            "person (for people who had a password before single sign-on)."
        ),
    )
    employee_id = models.CharField(_("employee number"), max_length=64, unique=True, null=True, blank=True)
    in_register = models.BooleanField(
        _("in the organisation register"),
        default=False,
        help_text=_("Named as a leader or member in the last organisation file."),
    )
    inactive_reason = models.CharField(
        _("why deactivated"), max_length=10, choices=InactiveReason.choices, default="", blank=True
    )
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

    def clean(self):
        super().clean()
        self.full_name = clean_name(self.full_name)

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
            self._read_units()
        return self._unit_ids

    def led_unit_ids(self) -> set[int]:
        """Units this person leads: their own, and those below them with no leader of
        their own (for which this person is the nearest leader up the tree). Kept for the
        request, like unit_ids."""
        if not hasattr(self, "_led_unit_ids"):
            self._read_units()
        return self._led_unit_ids

    def _read_units(self) -> None:
        """The units led and the units one is a member of, in one query."""
        below, params = _units_below_sql(leader=self, stop_at_leaders=True)
        membership = connection.ops.quote_name(Membership._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"{below} SELECT id, 1 FROM below UNION ALL SELECT unit_id, 0 FROM {membership} WHERE user_id = %s",
                [*params, self.pk],
            )
            rows = cursor.fetchall()
        self._led_unit_ids = {unit for unit, led in rows if led}
        self._unit_ids = {unit for unit, _led in rows}


def units_below(*, ids=(), leader=None, stop_at_leaders: bool = False) -> set[int]:
    """The units given (by id, or those `leader` leads) and every unit below them, in one
    recursive query however deep the tree. With `stop_at_leaders`, the walk does not go into a
    unit that has a leader of its own (and so not below it either)."""
    if leader is None and not ids:
        return set()
    below, params = _units_below_sql(ids=ids, leader=leader, stop_at_leaders=stop_at_leaders)
    with connection.cursor() as cursor:
        cursor.execute(f"{below} SELECT id FROM below", params)
        return {row[0] for row in cursor.fetchall()}


def _units_below_sql(*, ids=(), leader=None, stop_at_leaders: bool = False) -> tuple[str, list]:
    """`WITH RECURSIVE below(id) AS (…)` for `units_below`, and its parameters."""
    if leader is not None:
        start, params = "leader_id = %s", [leader.pk]
    else:
        params = [int(pk) for pk in ids]
        start = f"id IN ({', '.join(['%s'] * len(params))})"
    table = connection.ops.quote_name(Unit._meta.db_table)
    stop = "WHERE unit.leader_id IS NULL" if stop_at_leaders else ""
    return (
        f"""WITH RECURSIVE below(id) AS (
                SELECT id FROM {table} WHERE {start}
                UNION
                SELECT unit.id FROM {table} unit JOIN below ON unit.parent_id = below.id {stop}
            )""",
        params,
    )


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
    register_id = models.CharField(
        _("id in the organisation register"),
        max_length=64,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Set by the organisation sync; units without it are kept by hand."),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    def clean(self):
        self.name = clean_name(self.name)

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
        return f"{self.email} {date_format(timezone.localtime(self.created_at), 'SHORT_DATETIME_FORMAT')}"


class LoginSession(AbstractBaseSession):
    """A logged-in session (Django's session table, with the person it belongs to as a column of
    its own). Reading the session then brings the person in the same query: every page a
    logged-in person asks for costs one query less (accounts/sessions.py)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")

    @classmethod
    def get_session_store_class(cls):
        from .sessions import SessionStore

        return SessionStore

    class Meta(AbstractBaseSession.Meta):
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
