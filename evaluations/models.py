"""Evaluation of the accounts against the goals of their own approved plans.

- `Schedule`: one per account in the register. When its next evaluation is due, the
  reminders' bookkeeping, and a narrow copy of the facts the department's overview counts
  (unit, platform, status, plan, training, hours, followers). The copy is kept in step by
  `services.schedules_refresh` (on every save of an account or a plan, and in full by the
  periodic job), so the overview of a hundred thousand accounts is a scan of one narrow
  table instead of joins over the register's wide rows.
- `Evaluation` and its `GoalResult`s: the form, structured as public bodies evaluate
  communication (objectives → inputs → outputs → out-takes → outcomes and impact).
- `PostFigure` and `DailyFigure`: key figures, typed in or imported from the platforms' own
  exports (`FigureImport`, with `ColumnMapping`s remembered for files we do not recognise).
- `GovernanceMonth`: the governance score per unit and month, for the trend.
"""

from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel
from registry.models import AccountStatus

MAX_HOURS_PER_WEEK = 80


class Attainment(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class Decision(models.TextChoices):
    CONTINUE = "continue", _("Continue as planned")
    ADJUST = "adjust", _("Adjust the plan")
    CLOSE = "close", _("Close the account")


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Being written")
    AWAITING_LEADER = "awaiting", _("Waiting for the leader's confirmation")
    SUBMITTED = "submitted", _("Sent, awaiting feedback")
    REVIEWED = "reviewed", _("Feedback given")


class ClosureReason(models.TextChoices):
    OVERDUE = "overdue", _("Evaluation long overdue")
    DECIDED = "decided", _("The unit decided to close it")


class PostKind(models.TextChoices):
    PHOTO = "photo", _("Pictures")
    VIDEO = "video", _("Videos")
    TEXT = "text", _("Text")
    LINK = "link", _("Links and articles")
    OTHER = "other", _("Other")


class ScheduleQuerySet(models.QuerySet):
    def in_units(self, unit_ids):
        return self if unit_ids is None else self.filter(unit_id__in=unit_ids)

    def visible_to(self, user):
        """The schedules of the person's units (and below those they lead), and every schedule of
        the organisations they advise."""
        from .access import unit_scope

        if not user.is_authenticated:
            return self.none()
        mine = Q(unit_id__in=unit_scope(user))
        advised = user.advised_organisation_ids()
        return self.filter(mine | Q(unit__organisation_id__in=advised)) if advised else self.filter(mine)

    def of_organisations(self, organisation_ids):
        return self.filter(unit__organisation_id__in=organisation_ids)

    def active(self):
        return self.filter(status=AccountStatus.ACTIVE)

    def overdue(self, today):
        return self.active().filter(due_on__lt=today)

    def due_within(self, today, days: int):
        return self.active().filter(due_on__gte=today, due_on__lte=today + timedelta(days=days))


class Schedule(models.Model):
    """An account's evaluation cycle, and a narrow copy of what the overview counts."""

    account = models.OneToOneField(
        "registry.Account", primary_key=True, on_delete=models.CASCADE, related_name="evaluation_schedule"
    )
    # Copied from the register and the plan by services.schedules_refresh.
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+", db_index=False)
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+", db_index=False)
    status = models.CharField(max_length=10, choices=AccountStatus.choices)
    plan_approved = models.BooleanField(default=False)
    training_missing = models.BooleanField(default=False)
    needs_new_editor = models.BooleanField(default=False)
    # This account's share of its approved plan's hours per week (the plan's hours divided
    # by the plan's active accounts), so hours are not counted twice across platforms.
    hours_planned = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    # The cycle.
    due_on = models.DateField(_("next evaluation due"), null=True, blank=True)
    due_set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_note = models.CharField(_("why this date"), max_length=300, blank=True)
    last_evaluated_on = models.DateField(null=True, blank=True)
    hours_reported = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    followers = models.PositiveIntegerField(null=True, blank=True)
    closure_candidate = models.BooleanField(default=False)
    closure_reason = models.CharField(max_length=10, choices=ClosureReason.choices, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        indexes = [
            # Every column the overview counts, so its grouped query reads this index alone
            # (for the whole hospital, or from the first column on for one unit's tree).
            models.Index(
                fields=[
                    "unit",
                    "platform",
                    "status",
                    "plan_approved",
                    "training_missing",
                    "needs_new_editor",
                    "closure_candidate",
                    "due_on",
                    "hours_planned",
                    "hours_reported",
                ],
                name="schedule_overview_idx",
            ),
            models.Index(fields=["status", "due_on", "unit"], name="schedule_due_idx"),
            models.Index(fields=["status", "followers"], name="schedule_followers_idx"),
            models.Index(fields=["due_on", "account"], name="schedule_list_idx"),
            # The candidates in order, and (with the status) their count from the index alone.
            models.Index(fields=["closure_candidate", "due_on", "account", "status"], name="schedule_closure_idx"),
        ]
        verbose_name = _("evaluation schedule")
        verbose_name_plural = _("evaluation schedules")

    def __str__(self):
        return f"{self.account_id}: {self.due_on}"


class Reminder(models.Model):
    """One reminder stage sent for one due date. The unique key makes the periodic job
    safe to run twice: a stage already recorded is never sent again."""

    account = models.ForeignKey("registry.Account", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    stage = models.CharField(max_length=20)  # "soon", "due", "overdue-1", "overdue-2" …, "closure"
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "due_on", "stage"], name="unique_reminder_stage")]

    def __str__(self):
        return f"{self.account_id} {self.due_on} {self.stage}"


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        from .access import unit_scope

        if not user.is_authenticated:
            return self.none()
        mine = Q(account__unit_id__in=unit_scope(user))
        advised = user.advised_organisation_ids()
        return self.filter(mine | Q(account__unit__organisation_id__in=advised)) if advised else self.filter(mine)

    def of_organisations(self, organisation_ids):
        """The evaluations of the accounts of these organisations."""
        return self.filter(account__unit__organisation_id__in=organisation_ids)

    def awaiting_leader(self):
        return self.filter(status=EvaluationStatus.AWAITING_LEADER)

    def awaiting_feedback(self):
        return self.filter(status=EvaluationStatus.SUBMITTED)


class Evaluation(TimeStampedModel):
    """An evaluation of one account for one period, against its approved plan."""

    account = models.ForeignKey(
        "registry.Account", verbose_name=_("account"), on_delete=models.PROTECT, related_name="evaluations"
    )
    # Copied from the account when the evaluation is sent, for the overview's grouping.
    unit = models.ForeignKey("accounts.Unit", on_delete=models.PROTECT, related_name="+")
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("plan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    plan_version = models.ForeignKey(
        "plans.PlanVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    due_on = models.DateField(_("due"), null=True, blank=True)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))

    # Inputs: what was spent.
    hours_per_week = models.DecimalField(
        _("hours per week actually spent"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_HOURS_PER_WEEK)],
    )
    people_involved = models.PositiveSmallIntegerField(_("people involved"), null=True, blank=True)
    money_spent = models.DecimalField(
        _("money spent (NOK)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    money_note = models.CharField(_("what the money went to"), max_length=300, blank=True)

    # Outputs: what was published.
    posts_photo = models.PositiveIntegerField(_("posts with pictures"), null=True, blank=True)
    posts_video = models.PositiveIntegerField(_("videos"), null=True, blank=True)
    posts_text = models.PositiveIntegerField(_("text posts"), null=True, blank=True)
    posts_link = models.PositiveIntegerField(_("links and articles"), null=True, blank=True)
    posts_other = models.PositiveIntegerField(_("other posts"), null=True, blank=True)

    # Out-takes: what the audience saw and did on the platform.
    followers_start = models.PositiveIntegerField(_("followers at the start"), null=True, blank=True)
    followers_end = models.PositiveIntegerField(_("followers at the end"), null=True, blank=True)
    views = models.PositiveBigIntegerField(_("views"), null=True, blank=True)
    reach = models.PositiveBigIntegerField(_("reach"), null=True, blank=True)
    engagement = models.PositiveBigIntegerField(_("engagement"), null=True, blank=True)
    messages_received = models.PositiveIntegerField(_("messages received"), null=True, blank=True)
    messages_answered = models.PositiveIntegerField(_("messages answered"), null=True, blank=True)
    comments_received = models.PositiveIntegerField(_("comments received"), null=True, blank=True)
    comments_answered = models.PositiveIntegerField(_("comments answered"), null=True, blank=True)
    median_response_hours = models.DecimalField(
        _("median response time (hours)"),
        max_digits=6,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    # Outcomes and impact, and the template's own "Resultat".
    impact = models.TextField(_("organisational impact"), blank=True)
    result = models.TextField(_("result"), blank=True)
    worked_well = models.TextField(_("what worked"), blank=True)
    did_not_work = models.TextField(_("what did not work"), blank=True)

    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    new_plan = models.ForeignKey("plans.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    feedback = models.TextField(_("feedback from the Communications Department"), blank=True)
    feedback_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    feedback_at = models.DateTimeField(null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("sent"), null=True, blank=True)
    submitted_on = models.DateField(null=True, blank=True)  # the Norwegian date of submitted_at

    # The leader answers for the evaluation and its decision, as for the plan: a member sends
    # it to the unit's leader (or the nearest leader above), who confirms it or returns it
    # with a comment. `revision` counts the saves, so the record says which state of the text
    # was confirmed, and a leader never confirms a text changed after they opened it.
    revision = models.PositiveIntegerField(default=0)
    sent_to_leader_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_to_leader_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    confirmed_revision = models.PositiveIntegerField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    returned_at = models.DateTimeField(null=True, blank=True)
    return_comment = models.TextField(_("the leader's comment"), blank=True)

    objects = EvaluationQuerySet.as_manager()

    POST_FIELDS = ("posts_photo", "posts_video", "posts_text", "posts_link", "posts_other")

    class Meta:
        ordering = ["-period_end", "-pk"]
        indexes = [
            models.Index(fields=["account", "-period_end"], name="evaluation_account_idx"),
            models.Index(fields=["status", "submitted_at"], name="evaluation_status_idx"),
            models.Index(fields=["submitted_on", "unit"], name="evaluation_sent_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="evaluation_period")
        ]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{self.account} {self.period_start}–{self.period_end}"

    @property
    def posts_total(self) -> int | None:
        values = [getattr(self, name) for name in self.POST_FIELDS]
        return None if all(v is None for v in values) else sum(v or 0 for v in values)

    @property
    def follower_fall(self) -> int:
        change = self.follower_change
        return -change if change is not None and change < 0 else 0

    @property
    def follower_change(self) -> int | None:
        if self.followers_start is None or self.followers_end is None:
            return None
        return self.followers_end - self.followers_start


class GoalResult(models.Model):
    """One goal of the approved plan, as the plan states it, and what was reached."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    # From the plan, read-only in the form.
    goal = models.TextField(_("goal"), blank=True)
    indicator = models.CharField(_("indicator"), max_length=300, blank=True)
    target_value = models.CharField(_("target value"), max_length=300, blank=True)
    time_frame = models.CharField(_("time frame"), max_length=300, blank=True)
    # Written by the unit.
    reached_value = models.DecimalField(_("value reached"), max_digits=14, decimal_places=2, null=True, blank=True)
    attainment = models.CharField(_("met?"), max_length=10, choices=Attainment.choices, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    outcome = models.TextField(_("what changed"), blank=True)
    outcome_source = models.CharField(_("source of the figure"), max_length=300, blank=True)
    # Copied when the evaluation is sent, for the overview's counts.
    unit = models.ForeignKey(
        "accounts.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    platform = models.ForeignKey(
        "platforms.Platform", null=True, blank=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    evaluated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("goal result")
        verbose_name_plural = _("goal results")

    def __str__(self):
        return self.goal[:60]


class GoalTally(models.Model):
    """How many goals of the evaluations sent in a month were met, partly met or not met, per
    unit and platform: kept up to date when an evaluation is sent, so the overview adds up a
    few hundred rows instead of counting every goal of the year."""

    month = models.DateField()  # the first day of the month the evaluations were sent
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    attainment = models.CharField(max_length=10, choices=Attainment.choices)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["month", "unit", "platform", "attainment"], name="unique_goal_tally")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.unit_id} {self.platform_id} {self.attainment}: {self.n}"


class FigureImport(models.Model):
    """One uploaded statistics file: read and shown first, saved only when confirmed."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Read, not saved")
        SAVED = "saved", _("Saved")

    account = models.ForeignKey("registry.Account", on_delete=models.CASCADE, related_name="+")
    evaluation = models.ForeignKey(Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    file_format = models.CharField(max_length=40)
    filename = models.CharField(max_length=200)
    sha256 = models.CharField(max_length=64)
    # The table as read (for the column mapping of files we do not recognise), and the rows
    # it gave; all three are emptied once the figures are saved. For a CSV file `table` holds
    # the headings and the first rows only (the mapping's preview), and `upload` the file
    # itself, compressed, to read again with the columns chosen.
    table = models.JSONField(default=dict, blank=True)
    rows = models.JSONField(default=dict, blank=True)
    upload = models.BinaryField(default=b"", blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    period_start = models.DateField(null=True, blank=True)
    period_end = models.DateField(null=True, blank=True)
    post_rows = models.PositiveIntegerField(default=0)
    day_rows = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    saved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import of key figures")
        verbose_name_plural = _("imports of key figures")

    def __str__(self):
        return self.filename


class ColumnMapping(models.Model):
    """Which column of a file holds which figure, chosen by a person for a file whose
    headers we did not recognise, and used again for the next file with the same headers."""

    header_key = models.CharField(max_length=64, unique=True)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return ", ".join(self.headers)[:80]


METRICS = ("views", "reach", "reactions", "comments", "shares", "clicks", "follows", "saves")


class PostFigure(models.Model):
    """One post's figures, keyed on the platform's own post id, so a post imported twice
    (the same file again, or an overlapping period) is counted once."""

    account = models.ForeignKey("registry.Account", on_delete=models.CASCADE, related_name="+", db_index=False)
    post_id = models.CharField(max_length=200)
    published_on = models.DateField()
    kind = models.CharField(max_length=10, choices=PostKind.choices, default=PostKind.OTHER)
    views = models.PositiveBigIntegerField(null=True, blank=True)
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    reactions = models.PositiveBigIntegerField(null=True, blank=True)
    comments = models.PositiveBigIntegerField(null=True, blank=True)
    shares = models.PositiveBigIntegerField(null=True, blank=True)
    clicks = models.PositiveBigIntegerField(null=True, blank=True)
    follows = models.PositiveBigIntegerField(null=True, blank=True)
    saves = models.PositiveBigIntegerField(null=True, blank=True)
    source = models.ForeignKey(FigureImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "post_id"], name="unique_post_figure")]
        indexes = [models.Index(fields=["account", "published_on"], name="post_figure_day_idx")]

    def __str__(self):
        return self.post_id


class DailyFigure(models.Model):
    """One day's figures for an account: page-level metrics, new followers, and the
    follower count where it is known (typed in, or from a file that has it)."""

    account = models.ForeignKey("registry.Account", on_delete=models.CASCADE, related_name="+", db_index=False)
    day = models.DateField()
    views = models.PositiveBigIntegerField(null=True, blank=True)
    reach = models.PositiveBigIntegerField(null=True, blank=True)
    reactions = models.PositiveBigIntegerField(null=True, blank=True)
    comments = models.PositiveBigIntegerField(null=True, blank=True)
    shares = models.PositiveBigIntegerField(null=True, blank=True)
    clicks = models.PositiveBigIntegerField(null=True, blank=True)
    new_followers = models.BigIntegerField(null=True, blank=True)  # may be negative: more left than came
    followers = models.PositiveIntegerField(null=True, blank=True)
    posts = models.PositiveIntegerField(null=True, blank=True)
    source = models.ForeignKey(FigureImport, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "day"], name="unique_daily_figure")]

    def __str__(self):
        return f"{self.account_id} {self.day}"


class TallyQuerySet(models.QuerySet):
    def in_units(self, unit_ids):
        return self if unit_ids is None else self.filter(unit_id__in=unit_ids)

    def of_organisations(self, organisation_ids):
        return self.filter(unit__organisation_id__in=organisation_ids)


class AccountTally(models.Model):
    """The schedules counted per unit, platform and status: what the overview shows, kept
    up to date by services.tallies_recount whenever schedules change (and in full by the
    periodic job), so the overview of a hundred thousand accounts adds up a few hundred rows.
    What depends on today's date (due, overdue) is counted from the schedules' index."""

    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    platform = models.ForeignKey("platforms.Platform", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=AccountStatus.choices)
    n = models.PositiveIntegerField(default=0)
    plan_approved = models.PositiveIntegerField(default=0)
    trained = models.PositiveIntegerField(default=0)
    needs_new_editor = models.PositiveIntegerField(default=0)
    training_missing = models.PositiveIntegerField(default=0)
    closure_candidate = models.PositiveIntegerField(default=0)
    hours_planned = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    hours_reported = models.DecimalField(max_digits=10, decimal_places=1, default=0)

    objects = TallyQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "platform", "status"], name="unique_account_tally")]

    def __str__(self):
        return f"{self.unit_id} {self.platform_id} {self.status}: {self.n}"


class GovernanceMonth(models.Model):
    """The governance score of one unit's own active accounts in one month, as the periodic
    job last saw it in that month (so the trend shows each month as it ended)."""

    month = models.DateField()  # the first day of the month
    unit = models.ForeignKey("accounts.Unit", on_delete=models.CASCADE, related_name="+")
    active = models.PositiveIntegerField(default=0)
    plan_approved = models.PositiveIntegerField(default=0)
    trained = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["month", "unit"]
        constraints = [models.UniqueConstraint(fields=["month", "unit"], name="unique_governance_month")]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.unit_id}"
