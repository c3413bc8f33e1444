"""The register of official accounts, and the public's reports of fake ones."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.access import advised_rows
from core.models import TimeStampedModel

# Letters and digits that cannot be mistaken for each other when read aloud or typed
# from a profile's bio (no 0/o, 1/l/i).
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 6

LANGUAGES = [
    ("nb", _("Norwegian Bokmål")),
    ("nn", _("Norwegian Nynorsk")),
    ("se", _("Northern Sami")),
    ("en", _("English")),
    ("other", _("Other languages")),
]


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


# A report's reference, given to the person who sent it: eight letters and digits from the same
# unmistakable alphabet, shown in two groups ("K7P2-9QXM"). Random, so it tells nobody how many
# reports there are.
# The standard response text, written once. The account form offers its two parts (when, and how
# fast) as the starting point, and the handbook's chapter on expectations quotes the sentence they
# make. In Nynorsk, as the handbook: it is what the public reads on the platform and in the register.
RESPONSE_HOURS_DEFAULT = "Kvardagar 08–15"
RESPONSE_WITHIN_DEFAULT = "Innan éin arbeidsdag"
RESPONSE_TIME_DEFAULT = f"{RESPONSE_WITHIN_DEFAULT}. Vi svarar ikkje på spørsmål om enkeltpasientar."


def in_sentence(part: str) -> str:
    """A part of the response text as it reads inside a sentence: "Kvardagar 08–15" → "kvardagar 08–15"."""
    return part[:1].lower() + part[1:]


def standard_response_text(hours: str = RESPONSE_HOURS_DEFAULT, time: str = RESPONSE_TIME_DEFAULT) -> str:
    """The response text as one sentence, as an account states it on its profile: "Vi svarar på
    kvardagar 08–15, innan éin arbeidsdag. Vi svarar ikkje på spørsmål om enkeltpasientar." """
    return f"Vi svarar på {in_sentence(hours)}, {in_sentence(time)}"


REFERENCE_LENGTH = 8


def new_reference() -> str:
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(REFERENCE_LENGTH)).upper()
    return f"{code[:4]}-{code[4:]}"


class AccountStatus(models.TextChoices):
    SETUP = "setup", _("Being set up")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    CLOSED = "closed", _("Closed")


# The checklist the Communications Department goes through with the unit before an
# account may become active. The keys are stored; the labels are shown.
CHECKLIST = [
    ("naming", _("The display name follows the naming rules")),
    ("visual_profile", _("Profile picture and cover come from the visual profile")),
    ("bio_link", _("The profile's bio links to the account's page in the register")),
    ("two_factor", _("Two-factor login is turned on")),
    ("functional_mailbox", _("The login e-mail is a functional mailbox, not a person's")),
    ("editors_access", _("Both the editor and the deputy have access")),
    ("response_text", _("The text on when and how fast the account answers is written")),
    ("course", _("The editors hold the required course")),
]
# Worked out by the portal from the people's training (see competence.py), never ticked by hand.
COMPUTED_CHECKS = {"course"}
# The items an adviser ticks.
CHECKLIST_KEYS = [key for key, _label in CHECKLIST if key not in COMPUTED_CHECKS]


# What a task about an account shows; only these are read (a platform's rules are large).
TASK_FIELDS = ("pk", "display_name", "handle", "status", "created_at", "updated_at", "unit__name", "platform__name")


class AccountQuerySet(models.QuerySet):
    def public(self):
        """What the public sees as the official accounts (of every organisation)."""
        return self.filter(status=AccountStatus.ACTIVE)

    def of_organisation(self, organisation):
        """The accounts of one organisation (an Organisation or its id): those its units own."""
        return self.filter(unit__organisation_id=getattr(organisation, "pk", organisation))

    def known(self):
        """Accounts the public may ask about: everything that is or was live."""
        return self.exclude(status=AccountStatus.SETUP)

    def visible_to(self, user):
        """Advisers see their organisation's register; others see the accounts of their own units."""
        if not user.is_authenticated:
            return self.none()
        advised = user.advised_organisation_ids()
        mine = Q(unit_id__in=user.unit_ids())
        return self.filter(mine | Q(unit__organisation_id__in=advised)) if advised else self.filter(mine)

    def run_by(self, user):
        """Accounts `user` is editor or deputy of, as a union of two index lookups: with OR, both
        databases read every account of the status instead (10,000 rows at national scale, for a
        person with two)."""
        edited = self.model.objects.filter(editor=user).values("pk")
        deputy_of = self.model.deputies.through.objects.filter(user=user).values("account_id")
        return self.filter(pk__in=edited.union(deputy_of))

    def named(self, text: str):
        """Accounts whose display name contains `text`, whatever the case."""
        return self.filter(search_name__contains=text.strip().casefold())

    def plan_missing(self):
        # NOT EXISTS rather than NOT IN: PostgreSQL then starts from the accounts asked about
        # (a leader's 56: 2.6 ms) where with NOT IN it hashed every approved plan and read every
        # account (49 ms); a plan_id that is NULL has no approved plan, so it is missing too.
        from plans.models import Plan, PlanStatus

        return self.filter(~Exists(Plan.objects.filter(pk=OuterRef("plan_id"), status=PlanStatus.APPROVED)))

    def for_tasks(self):
        """What a task about an account shows ("Mine oppgåver"): its names, its platform and
        unit, its status, and how many checklist items are ticked (counted for the rows read
        only). Every kind of task about accounts reads them so, and the front page reads all
        those kinds in one query (see core.worklist.capped)."""
        ticked = (
            ChecklistCheck.objects.filter(account=OuterRef("pk"))
            .order_by()
            .values("account")
            .annotate(n=Count("*"))
            .values("n")
        )
        return (
            self.select_related("platform", "unit")
            .only(*TASK_FIELDS)
            .annotate(ticked=Coalesce(Subquery(ticked, output_field=models.IntegerField()), 0))
        )

    def plan_in_place(self):
        # Asked from the plans' side (few are approved; each has an index to its accounts).
        return self.filter(plan_id__in=_approved_plans())


def _approved_plans():
    from plans.models import Plan, PlanStatus

    return Plan.objects.filter(status=PlanStatus.APPROVED).values("pk")


class Account(TimeStampedModel):
    """One official account on one platform, owned by a unit and served by a plan."""

    code = models.CharField(_("short address"), max_length=12, unique=True, default=new_code, editable=False)
    platform = models.ForeignKey(
        "platforms.Platform", verbose_name=_("platform"), on_delete=models.PROTECT, related_name="accounts"
    )
    # As the profile spells it, and the form it is compared in (see platforms.profiles).
    handle = models.CharField(_("handle"), max_length=200)
    handle_key = models.CharField(max_length=200, db_index=True, editable=False)
    url = models.CharField(_("profile address"), max_length=300, unique=True)
    display_name = models.CharField(_("display name"), max_length=120)
    # The name case-folded in Python, so a search for "øye" finds "Øye" on every database.
    search_name = models.CharField(max_length=120, editable=False, default="")
    purpose = models.TextField(_("what the account is for"), max_length=1000)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="accounts")
    plan = models.ForeignKey(
        "plans.Plan",
        verbose_name=_("plan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="accounts",
    )
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible editor"),
        on_delete=models.PROTECT,
        related_name="edited_accounts",
    )
    deputies = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("deputies"), related_name="deputy_accounts"
    )
    login_email = models.EmailField(_("login e-mail"))
    # Set by an adviser who has checked that a name-shaped login e-mail is a functional mailbox
    # all the same (registry.services.personal_address); audited with the account's changes.
    functional_mailbox = models.BooleanField(_("checked as a functional mailbox"), default=False)
    response_hours = models.CharField(_("when it answers"), max_length=200)
    response_time = models.CharField(_("how fast it answers"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=AccountStatus.choices, default=AccountStatus.SETUP)
    needs_new_editor = models.BooleanField(_("needs new editor"), default=False)
    # Kept up to date by the courses: an editor or deputy lacks a valid completion of a
    # course required for editors. Stored, so the register and the overview can count it.
    training_missing = models.BooleanField(_("training missing or expired"), default=False)
    live_since = models.DateField(_("live since"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)

    objects = AccountQuerySet.as_manager()

    class Meta:
        ordering = ["display_name", "id"]
        indexes = [
            models.Index(fields=["status", "display_name", "id"], name="account_status_name_idx"),
            models.Index(fields=["display_name", "id"], name="account_name_idx"),
            models.Index(fields=["status", "platform", "display_name"], name="account_status_platform_idx"),
            models.Index(fields=["status", "unit", "display_name"], name="account_status_unit_idx"),
            models.Index(fields=["needs_new_editor", "status"], name="account_needs_editor_idx"),
            # The accounts whose people lack training: counted by the register, the courses'
            # overview and the department's overview, listed in the advisers' tasks.
            models.Index(fields=["training_missing", "status"], name="account_training_idx"),
            # The advisers' tasks list the most recently changed of those, and the oldest accounts
            # being set up: each read in order from its index, stopping after a few, instead of
            # sorting thousands of wide rows on every front page.
            models.Index(fields=["training_missing", "updated_at"], name="account_training_updated_idx"),
            models.Index(fields=["status", "created_at", "id"], name="account_status_created_idx"),
            # A name search reads this index alone, never the wide rows.
            models.Index(fields=["status", "search_name"], name="account_status_search_idx"),
        ]
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self):
        return f"{self.display_name} ({self.platform})"

    def save(self, *args, **kwargs):
        self.search_name = self.display_name.casefold()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "display_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "search_name"}
        super().save(*args, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status == AccountStatus.ACTIVE

    @property
    def public_url(self) -> str:
        """The account's public page, the address meant for the profile's bio."""
        return settings.SITE_URL + reverse("registry:public_account", args=[self.code])


class ChecklistCheck(models.Model):
    """One ticked item of an account's set-up checklist: who ticked it, and when."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="checks")
    item = models.CharField(max_length=30, choices=CHECKLIST)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "item"], name="unique_checklist_item")]

    def __str__(self):
        return f"{self.account_id}: {self.item}"


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    FAKE = "fake", _("Fake account")
    UNOFFICIAL = "unofficial", _("Unofficial unit account")
    OFFICIAL = "official", _("In fact official")
    DISMISSED = "dismissed", _("Dismissed")


class ReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reports of the organisations `user` advises; nobody else sees reports."""
        return advised_rows(self, user)

    def of_organisation(self, organisation):
        return self.filter(organisation_id=getattr(organisation, "pk", organisation))


class Report(TimeStampedModel):
    """Someone in the public reported an account as fake or unofficial, to one organisation (the
    one they said the account pretends to be): its advisers and its mailbox are told."""

    reference = models.CharField(_("reference"), max_length=12, unique=True, default=new_reference, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    url = models.CharField(_("address or handle"), max_length=500)
    platform = models.ForeignKey(
        "platforms.Platform", verbose_name=_("platform"), null=True, blank=True, on_delete=models.SET_NULL
    )
    # The profile address in its canonical form, when the address could be read.
    profile_url = models.CharField(max_length=300, blank=True, db_index=True)
    account = models.ForeignKey(
        Account, verbose_name=_("account in the register"), null=True, blank=True, on_delete=models.SET_NULL
    )
    what_is_wrong = models.TextField(_("what is wrong"), max_length=2000)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW, db_index=True
    )
    note = models.TextField(_("note"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    # Keyed hashes of the sender's address and of its network (IPv4 /24, IPv6 /64), for
    # the limits; the address itself is not kept.
    client_key = models.CharField(max_length=64, editable=False)
    network_key = models.CharField(max_length=64, editable=False, blank=True)
    # When the department was told: at once, or in a digest when many reports come in.
    notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["client_key", "created_at"], name="report_client_idx"),
            models.Index(fields=["network_key", "created_at"], name="report_network_idx"),
            models.Index(fields=["notified_at", "created_at"], name="report_notified_idx"),
        ]
        verbose_name = _("report")
        verbose_name_plural = _("reports")

    def __str__(self):
        return self.url
