from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry, TimeStampedModel

TEXT_LIMIT = settings.PLAN_TEXT_LIMIT
LINE_LIMIT = 300
TITLE_LIMIT = 120
MAX_HOURS_PER_WEEK = 80
# As many goals and channels as a plan can hold; the form and the service both keep to it.
MAX_GOALS = 20
MAX_CHANNELS = 30


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_LEADER = "awaiting_leader", _("Awaiting leader confirmation")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The audit actions that move a plan through the workflow (see plans/workflow.py).
WORKFLOW_STEPS = (
    "send_to_leader",
    "submit",
    "return_to_author",
    "resubmit",
    "withdraw",
    "reopen",
    "take",
    "request_changes",
    "approve",
    "reject",
)


class PlanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The unit's own people see its plans; an adviser sees every plan of the organisations
        they advise (never another organisation's)."""
        if not user.is_authenticated:
            return self.none()
        mine = models.Q(unit_id__in=user.unit_ids())
        advised = user.advised_organisation_ids()
        return self.filter(mine | models.Q(unit__organisation_id__in=advised)) if advised else self.filter(mine)

    def in_queue_of(self, user):
        """The plans the department `user` advises in reviews: its organisations' plans only."""
        return self.filter(unit__organisation_id__in=user.advised_organisation_ids())

    def of_organisation(self, organisation):
        """The plans of one organisation (an Organisation or its id)."""
        return self.filter(unit__organisation_id=getattr(organisation, "pk", organisation))

    def of_organisations(self, organisation_ids):
        """The plans of these organisations (ids): a region's overview."""
        return self.filter(unit__organisation_id__in=organisation_ids)

    def awaiting_review(self):
        return self.filter(status__in=[PlanStatus.SUBMITTED, PlanStatus.IN_REVIEW]).order_by("submitted_at", "pk")

    def for_list(self):
        """What a list row shows: title, unit, platforms (with icons), status and people."""
        return self.select_related("unit", "author", "reviewer").prefetch_related(
            models.Prefetch("channels", queryset=PlanChannel.objects.select_related("platform"))
        )

    def deletable(self):
        """Drafts nobody has sent: the unit may delete them."""
        return self.filter(status=PlanStatus.DRAFT, current_version=0)

    def with_last_step(self, *, read: bool = True):
        """Each plan's newest step in the workflow ("plan.return_to_author", …) as
        `last_step`, read from the audit log: a returned draft is a draft like any other
        otherwise. With `read=False` it can be filtered on but is not read with the plans."""
        steps = AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(self.model),
            target_id=models.OuterRef("pk"),
            action__in=[f"plan.{name}" for name in WORKFLOW_STEPS],
        ).order_by("-created_at", "-pk")
        step = models.Subquery(steps.values("action")[:1])
        return self.annotate(last_step=step) if read else self.alias(last_step=step)

    def with_details(self):
        # The unit's leader comes along; a leader further up the tree (rare) costs a
        # query per level. Joining every level made the query slow to build.
        return self.select_related("unit__leader", "author", "editor", "reviewer").prefetch_related(
            "deputies", "goals", "channels__platform"
        )


class Plan(TimeStampedModel):
    """A unit's "Plan for sosiale medier", from draft to decision."""

    unit = models.ForeignKey("accounts.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="plans")
    # A short name people recognise among the unit's plans, e.g. "Instagram for unge blodgivarar".
    title = models.CharField(_("title"), max_length=TITLE_LIMIT)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT, db_index=True
    )
    # Bumped on every save of the content, so a second editor's stale form is caught.
    revision = models.PositiveIntegerField(default=1)

    main_target_group = models.TextField(_("main target group"), blank=True)
    secondary_target_groups = models.TextField(_("secondary target groups"), blank=True)

    content_types = models.TextField(_("kinds of content"), blank=True)
    content_themes = models.TextField(_("themes"), blank=True)
    content_frequency = models.CharField(_("how often"), max_length=LINE_LIMIT, blank=True)

    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible editor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    deputies = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("deputies"), blank=True, related_name="+"
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )
    other_resources = models.TextField(_("other resources"), blank=True)

    result = models.TextField(_("result"), blank=True)
    # While changes are requested: what the unit says it changed, sent with the next version.
    change_note = models.TextField(_("what was changed"), blank=True)

    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("adviser"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    current_version = models.PositiveIntegerField(_("version"), default=0)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True, db_index=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "submitted_at"]),
            models.Index(fields=["-updated_at", "-id"], name="plan_recent_idx"),
            models.Index(fields=["unit", "-updated_at"], name="plan_unit_recent_idx"),
            # An adviser's own plans in review, oldest first (the front page and the queue's "mine").
            models.Index(fields=["reviewer", "status", "submitted_at"], name="plan_reviewer_idx"),
        ]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self):
        return f"{self.title} ({self.unit})" if self.title else f"Plan for sosiale medier for: {self.unit}"

    @property
    def sent_at(self):
        """When the plan was sent to the Communications Department for the round it is in.

        A round starts when the unit sends a version (the leader's confirmation, or a
        revision after changes were asked for) and ends with the adviser's answer or a
        withdrawal; it is sent once, and `submitted_at` keeps that moment. The queue, the
        tasks, the review page and the answer deadline all read it from here, so a plan has
        one sent date wherever it is shown."""
        return self.submitted_at

    @property
    def platforms(self) -> list:
        """The plan's platforms in the plan's order (reads the prefetched channels)."""
        return [channel.platform for channel in self.channels.all()]


class PlanGoal(models.Model):
    # What the unit writes for each goal, in the order the form and the plan show it.
    TEXT_FIELDS = ("goal", "effect", "indicator", "target_value", "time_frame", "evaluation")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    goal = models.TextField(_("goal"), blank=True)
    effect = models.TextField(_("effect wanted"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=LINE_LIMIT, blank=True)
    target_value = models.CharField(_("target value"), max_length=LINE_LIMIT, blank=True)
    time_frame = models.CharField(_("time frame"), max_length=LINE_LIMIT, blank=True)
    evaluation = models.TextField(_("how it will be evaluated"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.goal[:60]

    def as_dict(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.TEXT_FIELDS}


class PlanChannel(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="channels")
    platform = models.ForeignKey("platforms.Platform", verbose_name=_("platform"), on_delete=models.PROTECT)
    position = models.PositiveSmallIntegerField(default=0)
    justification = models.TextField(_("why it fits the goals and target groups"), blank=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "platform"], name="unique_plan_platform")]
        verbose_name = _("channel")
        verbose_name_plural = _("channels")

    def __str__(self):
        return str(self.platform)


class Decision(models.TextChoices):
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Not approved")


class PlanVersion(models.Model):
    """A frozen copy of the plan as it was sent: the review is always of an exact version.

    `confirmed_by` is the leader who confirmed this very version, and nobody else: a
    revision the unit sent back without the leader seeing it has none. The adviser's
    decision on the version is kept with it, for the version's page and PDF."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    snapshot = models.JSONField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # What the unit says it changed, when it sends a revised plan.
    change_note = models.TextField(_("what was changed"), blank=True)
    decision = models.CharField(_("decision"), max_length=20, choices=Decision.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version")]
        verbose_name = _("version")
        verbose_name_plural = _("versions")

    def __str__(self):
        return f"{self.plan} v{self.number}"

    def last_confirmed(self) -> "PlanVersion | None":
        """The version a leader last confirmed, up to this one: this version itself, or an
        earlier one when this one went straight to the adviser."""
        if self.confirmed_by_id:
            return self
        return (
            self.plan.versions.filter(number__lt=self.number, confirmed_by__isnull=False)
            .select_related("confirmed_by")
            .order_by("-number")
            .first()
        )


class PlanComment(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        RETURNED = "returned", _("Returned by the leader")
        CHANGES_REQUESTED = "changes_requested", _("Changes requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.COMMENT)
    body = models.TextField(_("comment"))
    version_number = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return self.body[:60]
