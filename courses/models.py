"""Courses, their sessions, who signed up, who completed, and the self-study quiz."""

import hashlib
import secrets
from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel

PASS_MARK = 0.8  # share of right answers that passes the quiz
MIN_QUESTIONS = 8


class CourseFormat(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    ONLINE = "online", _("Online")
    SELF_STUDY = "self_study", _("Self-study")


def _offered_to(organisation_id) -> Q:
    """The courses an organisation's staff are offered: its own, and the regional ones."""
    return Q(organisation__isnull=True) | Q(organisation_id=organisation_id)


class CourseQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def visible_to(self, user):
        """The published courses of the person's organisation and the regional ones; for an
        adviser, also their organisation's courses that are not published yet."""
        if not user.is_authenticated:
            return self.none()
        shown = Q(is_published=True) & _offered_to(user.organisation_id)
        advised = user.advised_organisation_ids()
        return self.filter(shown | Q(organisation_id__in=advised)) if advised else self.filter(shown)

    def managed_by(self, user):
        """The courses `user` may change: their organisation's, for its advisers. A regional
        course belongs to no organisation, so only a super-administrator changes it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self.filter(Q(organisation__isnull=True) | Q(organisation_id__in=user.advised_organisation_ids()))
        return self.filter(organisation_id__in=user.advised_organisation_ids())

    def offered_to(self, organisation_id):
        return self.filter(_offered_to(organisation_id))

    def required(self, organisation=None):
        """The published courses the gate of `organisation` (an Organisation or its id; by
        default the portal's default organisation) requires of account editors."""
        if organisation is None:
            from accounts.organisations import default

            organisation = default()
        return self.filter(is_published=True, required_by=organisation)


class Course(TimeStampedModel):
    """A course of one organisation, or a regional course (no organisation) offered to the staff
    of every organisation. Each organisation's competence gate requires the courses that name it
    in `required_by`: its own, or regional ones it accepts."""

    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="courses",
        help_text=_("Who runs the course. Empty: a regional course, offered to the staff of every organisation."),
    )
    slug = models.SlugField(_("short name in the address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), max_length=4000)
    audience = models.CharField(_("who it is for"), max_length=300)
    duration_minutes = models.PositiveIntegerField(
        _("length in minutes"), validators=[MinValueValidator(5), MaxValueValidator(60 * 24 * 5)]
    )
    format = models.CharField(_("format"), max_length=12, choices=CourseFormat.choices, default=CourseFormat.CLASSROOM)
    required_by = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name=_("required for account editors of"),
        blank=True,
        related_name="required_courses",
        help_text=_(
            "The organisations whose editors and deputies of official accounts must hold a valid completion of it."
        ),
    )
    counts_as = models.ForeignKey(
        "self",
        verbose_name=_("completing it counts as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="equivalents",
        help_text=_("For a self-study version of a course: a completion of this one counts as that course."),
    )
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("How long a completion stays valid. Empty: for ever."),
    )
    chapters = models.ManyToManyField(
        "handbook.Document",
        verbose_name=_("handbook chapters to read"),
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "chapter"},
    )
    is_published = models.BooleanField(_("shown to staff"), default=True)
    position = models.PositiveIntegerField(default=0)

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def __str__(self):
        return self.title

    @property
    def is_self_study(self) -> bool:
        return self.format == CourseFormat.SELF_STUDY

    def is_offered_to(self, organisation_id) -> bool:
        return self.organisation_id is None or self.organisation_id == organisation_id

    def valid_until(self, completed_on: date) -> date | None:
        if not self.valid_months:
            return None
        return _add_months(completed_on, self.valid_months)


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):  # the 31st of a shorter month is its last day
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class SessionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The sessions held for the person's organisation, of the courses they see; for an
        adviser, every session their organisation holds. A regional course's sessions are each
        held by one organisation, for its own staff."""
        if not user.is_authenticated:
            return self.none()
        shown = Q(organisation_id=user.organisation_id, course__is_published=True)
        advised = user.advised_organisation_ids()
        return self.filter(shown | Q(organisation_id__in=advised)) if advised else self.filter(shown)

    def managed_by(self, user):
        """The sessions `user` may change, cancel and see every participant of."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organisation_id__in=user.advised_organisation_ids())

    def of_organisation(self, organisation_id):
        return self.filter(organisation_id=organisation_id)

    def upcoming(self, now=None):
        return self.filter(status=SessionStatus.SCHEDULED, starts_at__gt=now or timezone.now()).order_by("starts_at")

    def with_counts(self, *, read: bool = True):
        """Each session's `seats_taken` and `waiting`. With `read=False` they can be filtered on
        but are not read with the sessions."""
        counts = {
            "seats_taken": Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.CONFIRMED)),
            "waiting": Count("enrollments", filter=Q(enrollments__status=EnrollmentStatus.WAITING)),
        }
        return self.annotate(**counts) if read else self.alias(**counts)


class Session(TimeStampedModel):
    """One run of a course: a time, a place or a video link, and a number of seats."""

    course = models.ForeignKey(Course, verbose_name=_("course"), on_delete=models.PROTECT, related_name="sessions")
    # The organisation that holds it, for its own staff: the course's, or for a regional course
    # the organisation whose advisers planned the session.
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="+"
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    video_link = models.URLField(_("video link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1), MaxValueValidator(1000)])
    instructors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("instructors"), blank=True, related_name="taught_sessions"
    )
    note = models.TextField(_("note"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        # Shown where a session is named (the administration, lists of choices): "26.11.2026 kl. 10.04".
        return f"{self.course} {date_format(timezone.localtime(self.starts_at), 'SHORT_DATETIME_FORMAT')}"

    @property
    def is_cancelled(self) -> bool:
        return self.status == SessionStatus.CANCELLED

    def has_started(self, now=None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    @property
    def is_online(self) -> bool:
        return bool(self.video_link)


class EnrollmentStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Has a seat")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Attendance(models.TextChoices):
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Absent")


class EnrollmentQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=EnrollmentStatus.CONFIRMED)

    def waiting(self):
        return self.filter(status=EnrollmentStatus.WAITING).order_by("signed_up_at", "id")

    def active(self):
        return self.exclude(status=EnrollmentStatus.CANCELLED)


class Enrollment(TimeStampedModel):
    """A person's place on a session, or on its waiting list. One row per person and
    session for good, so a calendar entry keeps one UID however often they come and go."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="enrollments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(_("status"), max_length=10, choices=EnrollmentStatus.choices)
    # The waiting list is in order of this; signing up again puts a person at the back.
    signed_up_at = models.DateTimeField()
    signed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices, blank=True)
    attendance_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attendance_marked_at = models.DateTimeField(null=True, blank=True)
    # SEQUENCE of the last calendar message sent for this entry (None: none sent yet).
    sequence = models.PositiveIntegerField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)  # the day before
    reminded_soon_at = models.DateTimeField(null=True, blank=True)  # hours before, online

    objects = EnrollmentQuerySet.as_manager()

    class Meta:
        ordering = ["signed_up_at", "id"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="unique_enrollment")]
        indexes = [models.Index(fields=["session", "status", "signed_up_at"], name="enrollment_list_idx")]
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")

    def __str__(self):
        return f"{self.user} – {self.session}"

    @property
    def calendar_uid(self) -> str:
        return f"kurs-{self.session_id}-{self.user_id}@some-portalen"


class CompletionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """One's own completions; for an adviser, those of their organisation's people."""
        if not user.is_authenticated:
            return self.none()
        advised = user.advised_organisation_ids()
        own = Q(user_id=user.pk)
        return self.filter(own | Q(user__organisation_id__in=advised)) if advised else self.filter(own)

    def valid_on(self, day: date):
        return self.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=day))


class Completion(TimeStampedModel):
    """A person completed a course on a day. Kept for good: a newer completion takes its
    place on the record, and the older ones stay as history."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="completions")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="completions")
    completed_on = models.DateField(_("completed"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    enrollment = models.OneToOneField(
        Enrollment, null=True, blank=True, on_delete=models.SET_NULL, related_name="completion"
    )
    attempt = models.OneToOneField(
        "QuizAttempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="completion"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    expiry_reminded_at = models.DateTimeField(null=True, blank=True)

    objects = CompletionQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on", "-id"]
        indexes = [
            models.Index(fields=["user", "course", "valid_until"], name="completion_user_idx"),
            models.Index(fields=["valid_until"], name="completion_expiry_idx"),
        ]
        verbose_name = _("completion")
        verbose_name_plural = _("completions")

    def __str__(self):
        return f"{self.user} – {self.course} ({self.completed_on})"

    @property
    def number(self) -> str:
        return f"K-{self.completed_on:%Y}-{self.pk:06d}"

    def is_valid_on(self, day: date) -> bool:
        return self.valid_until is None or self.valid_until >= day


class Question(models.Model):
    """A quiz question of a self-study course, with its choices (one of them right)."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"), max_length=1000)
    is_active = models.BooleanField(_("in use"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("quiz question")
        verbose_name_plural = _("quiz questions")

    def __str__(self):
        return self.text[:80]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=500)
    is_correct = models.BooleanField(_("right answer"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.text


class QuizAttempt(TimeStampedModel):
    """One go at a course's quiz: the questions in the order shown, and the result.
    At most one open attempt per person and course, so a second tab shows the same one."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="attempts")
    # [[question id, [choice id, …]], …] in the order shown.
    layout = models.JSONField(default=list)
    answers = models.JSONField(default=dict)  # question id → chosen choice id
    submitted_at = models.DateTimeField(null=True, blank=True)
    score = models.PositiveIntegerField(null=True, blank=True)
    total = models.PositiveIntegerField(default=0)
    passed = models.BooleanField(null=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "course"], condition=Q(submitted_at__isnull=True), name="one_open_attempt"
            )
        ]

    def __str__(self):
        return f"{self.user} – {self.course}"


class EditorStatusQuerySet(models.QuerySet):
    def visible_to(self, user):
        """For an adviser, the people of their organisation; for a unit leader, the people of the
        units they lead; nobody else's."""
        if not user.is_authenticated:
            return self.none()
        advised = user.advised_organisation_ids()
        if advised:
            return self.filter(user__organisation_id__in=advised)
        from accounts.models import Membership

        led = user.led_unit_ids()
        return self.filter(pk__in=Membership.objects.filter(unit_id__in=led).values("user_id")) if led else self.none()


class EditorStatus(models.Model):
    """One row per person who is editor or deputy of an open account, saying whether they
    hold every course required for editors. Kept after each check of the register's training
    marks (courses/subscribers.py, the periodic one included), so the competence overview of
    an organisation reads an index instead of every account and completion."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="editor_status"
    )
    name = models.CharField(max_length=150)  # the person's name, for sorting the overview
    trained = models.BooleanField(default=False)
    accounts = models.PositiveIntegerField(default=0)  # open accounts they run
    # A few of those accounts, [[id, display name], …], to name them on the overview.
    examples = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EditorStatusQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["name", "user"], name="editor_status_name_idx"),
            models.Index(fields=["trained", "name", "user"], name="editor_status_trained_idx"),
        ]

    def __str__(self):
        return self.name


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class CalendarFeedQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(revoked_at__isnull=True, expires_at__gt=now or timezone.now(), user__is_active=True)


class CalendarFeed(models.Model):
    """A private calendar address for a person's sessions. Only a hash of the secret is
    kept: the address is shown once, when it is made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = CalendarFeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)


def trained_people(day: date, requirements=None):
    """A queryset of users who hold a valid completion of every course their organisation
    requires of account editors (a completion of a course that counts as it does too). The
    people of an organisation that requires nothing are all trained. `requirements`: the
    answer of `requirements_by_organisation()`, if already read."""
    from accounts.models import User

    if requirements is None:
        requirements = requirements_by_organisation()
    if not requirements:
        return User.objects.all()
    trained = ~Q(organisation_id__in=list(requirements))
    for organisation_id, courses in requirements.items():
        holds = Q(organisation_id=organisation_id)
        for course_ids in required_course_sets(courses):
            holds &= Q(
                Exists(Completion.objects.valid_on(day).filter(user_id=OuterRef("pk"), course_id__in=course_ids))
            )
        trained |= holds
    return User.objects.filter(trained)


def required_course_sets(courses) -> list[list[int]]:
    """For each required course, the ids of the courses whose completion satisfies it."""
    return [[course.pk, *course.equivalent_ids] for course in courses]


def requirements_by_organisation(organisation_ids=None) -> dict[int, list]:
    """{organisation id: [required course, …]} for each organisation (of `organisation_ids`, or
    every one) whose gate requires something: the published courses it requires, in their
    order, each with `equivalent_ids` (the courses whose completion counts as it). Two queries."""
    links = Course.required_by.through.objects.filter(course__is_published=True).select_related("course")
    if organisation_ids is not None:
        links = links.filter(organisation_id__in=list(organisation_ids))
    found: dict[int, list] = {}
    courses: dict[int, Course] = {}
    for link in links.order_by("course__position", "course__title", "course_id"):
        course = courses.setdefault(link.course_id, link.course)
        found.setdefault(link.organisation_id, []).append(course)
    if courses:
        equivalents: dict[int, list[int]] = {}
        for pk, counts_as in Course.objects.filter(counts_as_id__in=list(courses)).values_list("pk", "counts_as_id"):
            equivalents.setdefault(counts_as, []).append(pk)
        for course in courses.values():
            course.equivalent_ids = equivalents.get(course.pk, [])
    return found


def required_courses(organisation_id) -> list:
    """The courses the gate of this organisation requires, in their order, each with
    `equivalent_ids`: the courses whose completion counts as it."""
    return requirements_by_organisation([organisation_id]).get(organisation_id, [])
