from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import connection, models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.text import clean_name

# A colour as the organisation's pages show it: "#0062ba".
COLOUR = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Write the colour as # and six hexadecimal digits, such as #0062ba."))
LOGO_MAX_BYTES = 200 * 1024


def validate_logo(upload) -> None:
    """A logo is a small PNG or JPEG: the pages and PDFs show it, so nothing that runs (SVG)
    and nothing large."""
    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 200 kB."))
    name = upload.name.lower()
    if not name.endswith((".png", ".jpg", ".jpeg")):
        raise ValidationError(_("The logo must be a PNG or JPEG file."))


class OrganisationQuerySet(models.QuerySet):
    def trusts(self):
        """The organisations that have units and people of their own (not a region)."""
        return self.filter(is_region=False)


class Organisation(models.Model):
    """A public body that uses the portal: a health trust such as Helse Bergen, with its own
    Communications Department, mailbox, handbook and courses. Every unit belongs to one, and
    everything a unit owns (plans, accounts, evaluations) belongs to it through the unit.

    A region (such as Helse Vest RHF) is an organisation whose `is_region` is set: its advisers
    read the overview of the organisations that name it as `region`, and decide nothing there."""

    name = models.CharField(
        _("name"), max_length=120, unique=True, help_text=_("As the public knows it, such as “Helse Bergen”.")
    )
    short_name = models.CharField(
        _("short name"), max_length=40, blank=True, help_text=_("For narrow places, such as table headings.")
    )
    slug = models.SlugField(
        _("address name"),
        max_length=60,
        unique=True,
        help_text=_("The organisation's own public pages are under /o/<address name>/."),
    )
    region = models.ForeignKey(
        "self",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"is_region": True},
    )
    is_region = models.BooleanField(
        _("region"), default=False, help_text=_("A region's advisers read its organisations' figures.")
    )
    host_names = models.TextField(
        _("host names"),
        blank=True,
        help_text=_("One a line, such as some.helse-stavanger.no: the portal shows this organisation there."),
    )
    mailbox = models.EmailField(_("the Communications Department's mailbox"))
    sender = models.EmailField(
        _("sender address"), blank=True, help_text=_("E-mails from the portal about this organisation come from it.")
    )
    logo = models.ImageField(_("logo"), upload_to="organisations/", blank=True, validators=[validate_logo])
    colour = models.CharField(_("colour"), max_length=7, blank=True, validators=[COLOUR])
    language = models.CharField(_("default language"), max_length=5, choices=settings.LANGUAGES, default="nb")
    register_id = models.CharField(
        _("id in the organisation register"), max_length=64, unique=True, null=True, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from .organisations import forget

        forget()

    def clean(self):
        self.name = clean_name(self.name)
        if self.is_region and self.region_id:
            raise ValidationError({"region": _("A region cannot belong to another region.")})

    @property
    def label(self) -> str:
        return self.short_name or self.name

    def hosts(self) -> list[str]:
        return [line.strip().lower() for line in self.host_names.splitlines() if line.strip()]

    @property
    def from_email(self) -> str:
        """The sender of this organisation's e-mails: "SoMe-portalen – Helse Bergen <…>"."""
        if not self.sender:
            return settings.DEFAULT_FROM_EMAIL
        return f"SoMe-portalen – {self.name} <{self.sender}>"


def default_organisation():
    """The organisation of anything made without one: a one-organisation portal's only one
    (settings.DEFAULT_ORGANISATION), made the first time it is needed."""
    wanted = settings.DEFAULT_ORGANISATION
    organisation, _made = Organisation.objects.get_or_create(
        slug=wanted["slug"], defaults={"name": wanted["name"], "mailbox": wanted["mailbox"]}
    )
    return organisation


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
    organisation = models.ForeignKey(
        "Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("Where the person works: from single sign-on or the organisation file."),
    )
    is_adviser = models.BooleanField(
        _("communications adviser"),
        default=False,
        help_text=_(
            "Advisers in the Communications Department review their organisation's plans and see all of "
            "its work. An adviser of a region reads its organisations' figures."
        ),
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

    def save(self, *args, **kwargs):
        if self.organisation_id is None:
            self.organisation = default_organisation()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name

    # Who may see what across organisations. Every model's scoping helper (`visible_to`, …)
    # asks these, never `is_adviser` alone.

    def advised_organisation_ids(self) -> set[int]:
        """The organisations whose work this person decides on: their own, if they are an adviser
        of an organisation that is not a region."""
        if not self.is_adviser or self.organisation_id is None:
            return set()
        from .organisations import get

        organisation = get(self.organisation_id)
        return set() if organisation is None or organisation.is_region else {self.organisation_id}

    def advises(self, organisation_id) -> bool:
        return organisation_id in self.advised_organisation_ids()

    def read_organisation_ids(self) -> set[int]:
        """The organisations whose figures this person may read: those they advise, and for an
        adviser of a region, the region's organisations."""
        ids = self.advised_organisation_ids()
        if self.is_adviser and self.organisation_id is not None:
            from .organisations import members_of

            ids |= members_of(self.organisation_id)
        return ids

    @property
    def is_regional_adviser(self) -> bool:
        from .organisations import get

        organisation = get(self.organisation_id) if self.is_adviser and self.organisation_id else None
        return bool(organisation and organisation.is_region)

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

    def of_organisations(self, organisation_ids):
        """The units of these organisations (their whole trees)."""
        return self.filter(organisation_id__in=organisation_ids)

    def advised_by(self, user):
        """The units of the organisations `user` advises (none for anybody else)."""
        return self.of_organisations(user.advised_organisation_ids())

    def seen_by(self, user):
        """The units whose work `user` sees: an adviser's organisations', else their own units."""
        advised = user.advised_organisation_ids()
        return self.of_organisations(advised) if advised else self.filter(pk__in=user.unit_ids())


class Unit(models.Model):
    """A part of the organisation: helseføretak → klinikk/senter → avdeling → seksjon."""

    class Kind(models.TextChoices):
        TRUST = "trust", _("Health trust")
        CLINIC = "clinic", _("Clinic or centre")
        DEPARTMENT = "department", _("Department")
        SECTION = "section", _("Section")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("level"), max_length=12, choices=Kind.choices)
    # The root of the tree: every unit names it (not only the top one), so that every list
    # is kept to one organisation by one indexed column.
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="units", blank=True
    )
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

    def save(self, *args, **kwargs):
        if self.organisation_id is None:
            self.organisation_id = self.parent.organisation_id if self.parent_id else default_organisation().pk
        super().save(*args, **kwargs)

    def clean(self):
        self.name = clean_name(self.name)
        if self.parent_id and self.organisation_id and self.parent.organisation_id != self.organisation_id:
            raise ValidationError({"parent": _("A unit belongs to the same organisation as the unit it is part of.")})

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
