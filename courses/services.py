"""Every change to courses, sessions, sign-ups, completions and quizzes goes through
here: one function per action, each atomic and audited. Views, the periodic jobs, the
demo loader and tests call these.

Seats: a sign-up locks the session's row first, so people signing up at the same moment
are counted one after the other and nobody is overbooked; the rest go on the waiting
list in the order they signed up.
"""

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Membership, User
from core.audit import audit_log
from core.emails import Attachment, email_queue
from core.errors import DomainError
from core.text import clean_name
from registry.models import Account, AccountStatus

from . import calendar
from .models import (
    MIN_QUESTIONS,
    PASS_MARK,
    Attendance,
    CalendarFeed,
    Choice,
    Completion,
    Course,
    EditorStatus,
    Enrollment,
    EnrollmentStatus,
    Question,
    QuizAttempt,
    Session,
    SessionStatus,
    hash_token,
    trained_people,
)

E = EnrollmentStatus


class CourseError(DomainError):
    pass


class NotAllowed(CourseError):
    pass


class InvalidDetails(CourseError):
    """The details break a rule; `errors` maps field names to messages."""

    def __init__(self, errors: dict):
        super().__init__(_("Some of the details are not right. See the messages below."))
        self.errors = errors


def waitlist_cutoff() -> timedelta:
    """Up to how long before the start a freed seat goes to the waiting list by itself."""
    return timedelta(hours=settings.COURSE_WAITLIST_CUTOFF_HOURS)


# Who may do what.


def may_run_courses(user) -> bool:
    return user.is_authenticated and user.is_adviser


def may_mark_attendance(user, session: Session) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_adviser or session.instructors.filter(pk=user.pk).exists()


def people_one_may_sign_up(user):
    """Advisers sign up anyone; a unit leader the people of the units they lead; everyone themselves."""
    people = User.objects.filter(is_active=True)
    if user.is_adviser:
        return people
    led = user.led_unit_ids()
    members = Membership.objects.filter(unit_id__in=led).values("user_id")
    return people.filter(Q(pk=user.pk) | Q(pk__in=members)) if led else people.filter(pk=user.pk)


def _require_adviser(actor):
    if not may_run_courses(actor):
        raise NotAllowed(_("Only the Communications Department can change courses and sessions."))


# Courses.


@dataclass
class CourseDetails:
    title: str
    slug: str
    description: str
    audience: str
    duration_minutes: int
    format: str
    required_for_editors: bool = False
    valid_months: int | None = None
    counts_as: Course | None = None
    chapters: list = field(default_factory=list)
    is_published: bool = True


@transaction.atomic
def course_save(*, actor, details: CourseDetails, course: Course | None = None) -> Course:
    _require_adviser(actor)
    creating = course is None
    course = Course() if creating else Course.objects.select_for_update().get(pk=course.pk)
    before = (course.required_for_editors, course.valid_months, course.counts_as_id, course.is_published)
    for name in (
        "title",
        "slug",
        "description",
        "audience",
        "duration_minutes",
        "format",
        "required_for_editors",
        "valid_months",
        "counts_as",
        "is_published",
    ):
        setattr(course, name, getattr(details, name))
    course.title = clean_name(course.title)
    if course.counts_as_id and course.counts_as_id == course.pk:
        raise InvalidDetails({"counts_as": _("A course cannot count as itself.")})
    course.full_clean()
    course.save()
    course.chapters.set(details.chapters)
    audit_log(course, "course.created" if creating else "course.updated", actor=actor, data={"title": course.title})
    after = (course.required_for_editors, course.valid_months, course.counts_as_id, course.is_published)
    if before != after:
        # What counts as trained may have changed for everyone.
        training_flags_refresh()
    return course


# Sessions.


@dataclass
class SessionDetails:
    starts_at: datetime
    ends_at: datetime
    capacity: int
    place: str = ""
    video_link: str = ""
    note: str = ""
    instructors: list = field(default_factory=list)


def _check_session(details: SessionDetails, *, confirmed: int = 0) -> None:
    errors = {}
    if details.ends_at <= details.starts_at:
        errors["ends_at"] = _("The session must end after it starts.")
    if details.capacity < 1:
        errors["capacity"] = _("A session needs at least one seat.")
    elif details.capacity < confirmed:
        errors["capacity"] = _(
            "%(count)s people already have a seat, so there must be at least %(count)s seats. "
            "Ask someone to give up their seat first, or keep the number."
        ) % {"count": confirmed}
    if not details.place.strip() and not details.video_link.strip():
        errors["place"] = _("Give a place, or a video link for an online session.")
    if errors:
        raise InvalidDetails(errors)


def _locked_session(session: Session) -> Session:
    return Session.objects.select_for_update().select_related("course").get(pk=session.pk)


@transaction.atomic
def session_create(*, actor, course: Course, details: SessionDetails) -> Session:
    _require_adviser(actor)
    if course.is_self_study:
        raise CourseError(_("A self-study course has no sessions: staff take it on their own."))
    _check_session(details)
    session = Session(
        course=course,
        starts_at=details.starts_at,
        ends_at=details.ends_at,
        capacity=details.capacity,
        place=clean_name(details.place),
        video_link=details.video_link.strip(),
        note=details.note.strip(),
    )
    session.full_clean()
    session.save()
    session.instructors.set(details.instructors)
    audit_log(session, "session.created", actor=actor, data={"starts_at": session.starts_at.isoformat()})
    return session


CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "video_link")


@transaction.atomic
def session_update(*, actor, session: Session, details: SessionDetails, now=None) -> Session:
    """Change a session. Everyone with a seat gets an updated invitation when the time,
    place or link changed; more seats go to the waiting list at once."""
    _require_adviser(actor)
    now = now or timezone.now()
    current = _locked_session(session)
    if current.is_cancelled:
        raise CourseError(_("The session is cancelled and can no longer change."))
    _check_session(details, confirmed=current.enrollments.confirmed().count())
    before = {name: getattr(current, name) for name in (*CALENDAR_FIELDS, "capacity")}
    current.starts_at, current.ends_at = details.starts_at, details.ends_at
    current.place, current.video_link = clean_name(details.place), details.video_link.strip()
    current.capacity, current.note = details.capacity, details.note.strip()
    current.full_clean()
    current.save()
    current.instructors.set(details.instructors)
    changed = [name for name in before if before[name] != getattr(current, name)]
    audit_log(current, "session.updated", actor=actor, data={"changed": changed})
    if "starts_at" in changed:
        # A session moved to another day gets its reminders again, before the new start.
        current.enrollments.update(reminded_at=None, reminded_soon_at=None)
    if any(name in CALENDAR_FIELDS for name in changed):
        for enrollment in _with_people(current.enrollments.confirmed()):
            _send_calendar(enrollment, "session_changed", calendar.REQUEST)
    _promote(current, now=now)
    return current


@transaction.atomic
def session_cancel(*, actor, session: Session, reason: str) -> Session:
    """Cancel a session: everyone with a seat gets a cancellation for their calendar, and
    everyone on the waiting list is told, each with the reason (which is required)."""
    _require_adviser(actor)
    reason = reason.strip()
    if not reason:
        raise InvalidDetails({"reason": _("Write why the session is cancelled: it goes to everyone signed up.")})
    current = _locked_session(session)
    if current.is_cancelled:
        raise CourseError(_("The session is already cancelled."))
    current.status = SessionStatus.CANCELLED
    current.cancelled_at = timezone.now()
    current.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_log(current, "session.cancelled", actor=actor, data={"reason": reason})
    for enrollment in _with_people(current.enrollments.active()):
        if enrollment.status == E.CONFIRMED:
            _send_calendar(enrollment, "session_cancelled", calendar.CANCEL, {"reason": reason})
        else:
            _mail(enrollment.user, "session_cancelled", {"enrollment": enrollment, "reason": reason})
    return current


# Sending the self-study course.


@transaction.atomic
def self_study_send(*, actor, course: Course, person) -> None:
    """A leader or an adviser sends someone the self-study course that counts as the required
    one: an e-mail with the link, from them."""
    if not course.is_self_study or not course.is_published:
        raise CourseError(_("Only a published self-study course can be sent."))
    if not person.is_active:
        raise NotAllowed(_("This person no longer works here."))
    if not people_one_may_sign_up(actor).filter(pk=person.pk).exists():
        raise NotAllowed(_("You can send courses only to the people in the units you lead."))
    audit_log(course, "course.self_study_sent", actor=actor, data={"person": person.pk})
    _mail(person, "self_study_sent", {"course": course, "sent_by": actor})


# Signing up and giving up a seat.


@transaction.atomic
def enroll(*, actor, session: Session, person=None, now=None) -> Enrollment:
    """Sign `person` (by default the actor) up: a seat if one is free and nobody waits
    for it, otherwise a place on the waiting list."""
    person = person or actor
    if not person.is_active:
        raise NotAllowed(_("This person no longer works here."))
    if person.pk != actor.pk and not people_one_may_sign_up(actor).filter(pk=person.pk).exists():
        raise NotAllowed(_("You can sign up only yourself and the people in the units you lead."))
    current = _locked_session(session)
    # The moment of sign-up is taken once the session is locked: the waiting list's order
    # is then the order in which seats were decided, however long each request waited.
    now = now or timezone.now()
    if current.is_cancelled:
        raise CourseError(_("This session is cancelled. Choose another session of the course."))
    if current.has_started(now):
        raise CourseError(_("This session has already started. Choose a later session."))
    enrollment = Enrollment.objects.filter(session=current, user=person).first()
    if enrollment and enrollment.status != E.CANCELLED:
        if enrollment.status == E.CONFIRMED:
            raise CourseError(_("%(name)s already has a seat on this session.") % {"name": person})
        raise CourseError(_("%(name)s is already on the waiting list for this session.") % {"name": person})
    confirmed = current.enrollments.confirmed().count()
    someone_waits = current.enrollments.waiting().exists()
    status = E.CONFIRMED if confirmed < current.capacity and not someone_waits else E.WAITING
    if enrollment is None:
        enrollment = Enrollment(session=current, user=person)
    enrollment.status = status
    enrollment.signed_up_at = now
    enrollment.signed_up_by = actor if actor.pk != person.pk else None
    enrollment.confirmed_at = now if status == E.CONFIRMED else None
    enrollment.reminded_at = enrollment.reminded_soon_at = None
    try:
        with transaction.atomic():
            enrollment.save()
    except IntegrityError:
        # The same person signed up in another tab a moment ago.
        raise CourseError(_("%(name)s is already signed up for this session.") % {"name": person}) from None
    enrollment.session = current
    audit_log(enrollment, "enrollment.signed_up", actor=actor, data={"status": status, "person": person.pk})
    context = {"signed_up_by": enrollment.signed_up_by}
    if status == E.CONFIRMED:
        _send_calendar(enrollment, "enrollment_confirmed", calendar.REQUEST, context)
    else:
        context["position"] = current.enrollments.waiting().filter(signed_up_at__lte=now).count()
        _mail(person, "enrollment_waiting", {"enrollment": enrollment, **context})
    return enrollment


@transaction.atomic
def enrollment_cancel(*, actor, enrollment: Enrollment, now=None) -> Enrollment:
    """Give up a seat or leave the waiting list, up to the start: one's own place, or one of
    the people one may sign up (advisers anyone, a leader the people of the units they lead). A
    freed seat goes to the first on the waiting list, up to the cut-off before the start."""
    now = now or timezone.now()
    if (
        actor.pk != enrollment.user_id
        and not may_run_courses(actor)  # advisers: anyone's, also of a person who has left
        and not people_one_may_sign_up(actor).filter(pk=enrollment.user_id).exists()
    ):
        raise NotAllowed(_("You can cancel only your own place and those of the people in the units you lead."))
    session = _locked_session(enrollment.session)
    current = Enrollment.objects.select_related("user").get(pk=enrollment.pk)
    if current.status == E.CANCELLED:
        raise CourseError(_("This place is already cancelled."))
    if session.has_started(now):
        raise CourseError(_("The session has started; a place can no longer be cancelled."))
    had_seat = current.status == E.CONFIRMED
    current.status = E.CANCELLED
    current.save(update_fields=["status", "updated_at"])
    current.session = session
    audit_log(current, "enrollment.cancelled", actor=actor, data={"had_seat": had_seat})
    by_someone_else = actor if actor.pk != current.user_id else None
    if had_seat:
        _send_calendar(current, "enrollment_cancelled", calendar.CANCEL, {"cancelled_by": by_someone_else})
        _promote(session, now=now)
    elif by_someone_else:
        _mail(current.user, "waiting_cancelled", {"session": session, "cancelled_by": by_someone_else})
    return current


def _promote(session: Session, *, now, force: bool = False) -> list[Enrollment]:
    """Give free seats to the waiting list in order, up to the cut-off (or now, `force`).
    Called with the session's row locked."""
    if session.is_cancelled or session.has_started(now):
        return []
    if not force and now > session.starts_at - waitlist_cutoff():
        return []  # too late to count on someone coming; the advisers see the free seat
    free = session.capacity - session.enrollments.confirmed().count()
    promoted = []
    for enrollment in _with_people(session.enrollments.waiting()[: max(free, 0)]):
        enrollment.status = E.CONFIRMED
        enrollment.confirmed_at = now
        enrollment.save(update_fields=["status", "confirmed_at", "updated_at"])
        enrollment.session = session
        audit_log(enrollment, "enrollment.promoted", data={"person": enrollment.user_id})
        _send_calendar(enrollment, "enrollment_promoted", calendar.REQUEST)
        promoted.append(enrollment)
    return promoted


@transaction.atomic
def session_fill_from_waiting_list(*, actor, session: Session, now=None) -> list[Enrollment]:
    """An adviser gives the free seats to the waiting list after the cut-off too."""
    _require_adviser(actor)
    current = _locked_session(session)
    promoted = _promote(current, now=now or timezone.now(), force=True)
    if not promoted:
        raise CourseError(_("There is no free seat, or nobody on the waiting list."))
    return promoted


def promote_waiting(*, now) -> int:
    """The periodic safety net: free seats before the cut-off go to the waiting list."""
    candidates = (
        Session.objects.upcoming(now)
        .filter(starts_at__gt=now + waitlist_cutoff())
        .filter(Exists(Enrollment.objects.waiting().filter(session_id=OuterRef("pk"))))
        .with_counts()
        .filter(seats_taken__lt=F("capacity"))
    )
    promoted = 0
    for session in candidates:
        with transaction.atomic():
            promoted += len(_promote(_locked_session(session), now=now))
    return promoted


# Attendance and completions.


@transaction.atomic
def attendance_mark(*, actor, session: Session, marks: dict[int, str], now=None) -> list[Completion]:
    """Mark each participant attended or absent. Attending records a completion of the
    course with the session's date; changing a mark to absent takes it away again."""
    now = now or timezone.now()
    current = _locked_session(session)
    if not may_mark_attendance(actor, current):
        raise NotAllowed(_("Only the session's instructors and the Communications Department mark attendance."))
    if current.is_cancelled:
        raise CourseError(_("The session was cancelled; there is no attendance to mark."))
    if not current.has_started(now):
        raise CourseError(_("Attendance can be marked once the session has started."))
    if any(mark not in Attendance.values for mark in marks.values()):
        raise CourseError(_("Mark each participant as attended or absent."))
    enrollments = {e.pk: e for e in current.enrollments.confirmed().select_related("user")}
    if set(marks) - set(enrollments):
        raise CourseError(_("Someone on the list has no seat on this session. Reload the page and try again."))
    completions = []
    changed_people = []
    for pk, mark in marks.items():
        enrollment = enrollments[pk]
        if enrollment.attendance == mark:
            continue
        enrollment.attendance = mark
        enrollment.attendance_marked_by = actor
        enrollment.attendance_marked_at = now
        enrollment.save(update_fields=["attendance", "attendance_marked_by", "attendance_marked_at", "updated_at"])
        audit_log(enrollment, "enrollment.attendance", actor=actor, data={"attendance": mark})
        if mark == Attendance.ATTENDED:
            completions.append(
                _complete(
                    user=enrollment.user,
                    course=current.course,
                    on=timezone.localdate(current.starts_at),
                    actor=actor,
                    enrollment=enrollment,
                )
            )
        else:
            Completion.objects.filter(enrollment=enrollment).delete()
        changed_people.append(enrollment.user_id)
    if changed_people:
        training_flags_refresh(people=changed_people)
    return completions


def _complete(*, user, course: Course, on, actor=None, enrollment=None, attempt=None) -> Completion:
    completion = Completion(
        user=user,
        course=course,
        completed_on=on,
        valid_until=course.valid_until(on),
        enrollment=enrollment,
        attempt=attempt,
        recorded_by=actor,
    )
    completion.full_clean(exclude=["enrollment", "attempt"])
    completion.save()
    audit_log(completion, "completion.recorded", actor=actor, data={"course": course.pk, "person": user.pk})
    return completion


@transaction.atomic
def completion_record(*, actor, user, course: Course, on) -> Completion:
    """An adviser records a completion done elsewhere (an earlier course on paper)."""
    _require_adviser(actor)
    completion = _complete(user=user, course=course, on=on, actor=actor)
    training_flags_refresh(people=[user.pk])
    return completion


# The self-study quiz.


def quiz_questions(course: Course):
    return course.questions.filter(is_active=True).prefetch_related("choices")


@transaction.atomic
def quiz_start(*, user, course: Course) -> QuizAttempt:
    """The person's open attempt, or a new one with the questions and answers shuffled.
    A second tab gets the same attempt, so nothing is answered twice."""
    if not course.is_self_study or not course.is_published:
        raise CourseError(_("This course has no quiz."))
    open_attempt = QuizAttempt.objects.filter(user=user, course=course, submitted_at__isnull=True).first()
    if open_attempt:
        return open_attempt
    questions = list(quiz_questions(course))
    usable = [q for q in questions if sum(c.is_correct for c in q.choices.all()) == 1 and len(q.choices.all()) >= 2]
    if len(usable) < MIN_QUESTIONS:
        raise CourseError(_("The quiz is not ready yet. Try again later, or sign up for a session instead."))
    rng = random.SystemRandom()
    rng.shuffle(usable)
    layout = []
    for question in usable:
        choices = [c.pk for c in question.choices.all()]
        rng.shuffle(choices)
        layout.append([question.pk, choices])
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(user=user, course=course, layout=layout, total=len(layout))
    except IntegrityError:
        # Opened in two tabs at the same moment: both get the one attempt.
        return QuizAttempt.objects.get(user=user, course=course, submitted_at__isnull=True)
    audit_log(attempt, "quiz.started", actor=user, data={"course": course.pk})
    return attempt


@transaction.atomic
def quiz_submit(*, user, attempt: QuizAttempt, answers: dict[int, int], now=None) -> QuizAttempt:
    """Score an attempt once. A second submission (another tab, a double click) is
    refused and changes nothing."""
    now = now or timezone.now()
    if attempt.user_id != user.pk:
        raise NotAllowed(_("This is not your quiz."))
    layout = {qid: set(choice_ids) for qid, choice_ids in attempt.layout}
    if set(answers) != set(layout) or any(answers[q] not in layout[q] for q in answers):
        raise CourseError(_("Answer every question before you send the quiz. Your answers are still in the form."))
    right = set(Choice.objects.filter(question_id__in=layout, is_correct=True).values_list("pk", flat=True))
    score = sum(1 for choice in answers.values() if choice in right)
    passed = score >= PASS_MARK * len(layout)
    claimed = QuizAttempt.objects.filter(pk=attempt.pk, submitted_at__isnull=True).update(
        submitted_at=now, answers={str(q): c for q, c in answers.items()}, score=score, passed=passed
    )
    if not claimed:
        raise CourseError(_("This quiz was already sent, perhaps from another tab. See the result below."))
    attempt.refresh_from_db()
    audit_log(attempt, "quiz.submitted", actor=user, data={"score": score, "total": len(layout), "passed": passed})
    if passed:
        _complete(user=user, course=attempt.course, on=timezone.localdate(now), attempt=attempt)
        training_flags_refresh(people=[user.pk])
    return attempt


@dataclass
class QuestionDetails:
    text: str
    choices: list[tuple[str, bool]]  # (answer, is right)
    is_active: bool = True


@transaction.atomic
def question_save(*, actor, course: Course, details: QuestionDetails, question: Question | None = None) -> Question:
    _require_adviser(actor)
    choices = [(text.strip(), right) for text, right in details.choices if text.strip()]
    errors = {}
    if not details.text.strip():
        errors["text"] = _("Write the question.")
    if len(choices) < 2:
        errors["choices"] = _("Give at least two answers.")
    elif sum(right for _text, right in choices) != 1:
        errors["choices"] = _("Mark exactly one answer as the right one.")
    if errors:
        raise InvalidDetails(errors)
    creating = question is None
    if creating:
        question = Question(course=course, position=course.questions.count() + 1)
    question.text = details.text.strip()
    question.is_active = details.is_active
    question.save()
    question.choices.all().delete()
    Choice.objects.bulk_create(Choice(question=question, text=text, is_correct=right) for text, right in choices)
    audit_log(question, "question.created" if creating else "question.updated", actor=actor)
    return question


# The private calendar address.


@transaction.atomic
def feed_create(*, user) -> tuple[CalendarFeed, str]:
    """A new private calendar address; any older one stops working. The secret is
    returned once and only its hash is kept."""
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = CalendarFeed.new_token()
    feed = CalendarFeed.objects.create(
        user=user, token_hash=hash_token(token), expires_at=now + timedelta(days=settings.COURSE_FEED_DAYS)
    )
    audit_log(feed, "calendar_feed.created", actor=user)
    return feed, token


@transaction.atomic
def feed_revoke(*, user) -> int:
    revoked = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if revoked:
        audit_log(user, "calendar_feed.revoked", actor=user)
    return revoked


def feed_lookup(token: str, now=None) -> CalendarFeed | None:
    return CalendarFeed.objects.usable(now).select_related("user").filter(token_hash=hash_token(token)).first()


# Reminders.


def send_session_reminders(*, now) -> int:
    """The day before: everyone with a seat (unless they got it within the last day).
    Hours before an online session: everyone with a seat, with the link. Each is claimed
    with a conditional update, so a job that runs twice sends nothing twice."""
    sent = 0
    soon = now + timedelta(hours=24)
    day_before = Enrollment.objects.confirmed().filter(
        session__status=SessionStatus.SCHEDULED,
        session__starts_at__gt=now,
        session__starts_at__lte=soon,
        reminded_at__isnull=True,
        confirmed_at__lte=F("session__starts_at") - timedelta(hours=24),
    )
    for enrollment in _with_people(day_before):
        with transaction.atomic():
            if Enrollment.objects.filter(pk=enrollment.pk, reminded_at__isnull=True).update(reminded_at=now):
                _mail(enrollment.user, "session_reminder", {"enrollment": enrollment, "soon": False})
                sent += 1
    hours = settings.COURSE_ONLINE_REMINDER_HOURS
    starting = (
        Enrollment.objects.confirmed()
        .filter(
            session__status=SessionStatus.SCHEDULED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + timedelta(hours=hours),
            reminded_soon_at__isnull=True,
        )
        .exclude(session__video_link="")
    )
    for enrollment in _with_people(starting):
        with transaction.atomic():
            if Enrollment.objects.filter(pk=enrollment.pk, reminded_soon_at__isnull=True).update(reminded_soon_at=now):
                _mail(enrollment.user, "session_reminder", {"enrollment": enrollment, "soon": True, "hours": hours})
                sent += 1
    return sent


def remind_expiring(*, now) -> int:
    """A completion that runs out within the notice period, with nothing newer to take its
    place: the person is told once, with the next sessions."""
    today = timezone.localdate(now)
    horizon = today + timedelta(days=settings.COURSE_EXPIRY_NOTICE_DAYS)
    newer = Completion.objects.filter(
        user_id=OuterRef("user_id"), course_id=OuterRef("course_id"), completed_on__gt=OuterRef("completed_on")
    )
    expiring = (
        Completion.objects.filter(
            valid_until__gte=today,
            valid_until__lte=horizon,
            expiry_reminded_at__isnull=True,
            user__is_active=True,
        )
        .exclude(Exists(newer))
        .select_related("user", "course")
    )
    sent = 0
    for completion in expiring:
        with transaction.atomic():
            if Completion.objects.filter(pk=completion.pk, expiry_reminded_at__isnull=True).update(
                expiry_reminded_at=now
            ):
                course = completion.course.counts_as or completion.course
                _mail(
                    completion.user,
                    "training_expiring",
                    {"completion": completion, "course": course, "sessions": _next_sessions(course, now)},
                )
                sent += 1
    return sent


def _next_sessions(course: Course, now, limit: int = 3) -> list[Session]:
    ids = [course.pk, *course.equivalents.values_list("pk", flat=True)]
    return list(Session.objects.upcoming(now).filter(course_id__in=ids).select_related("course")[:limit])


# The competence gate's marks on accounts.


@transaction.atomic
def training_flags_refresh(*, people=None, now=None) -> list[Account]:
    """Bring `Account.training_missing` up to date for every open account (or those run by
    `people`, a list of user ids), in a few queries however large the register. The people
    of each account newly marked, and its unit's leader, are told once."""
    now = now or timezone.now()
    trained = trained_people(timezone.localdate(now)).values("pk")
    deputy_untrained = Account.deputies.through.objects.filter(account_id=OuterRef("pk")).exclude(user_id__in=trained)
    accounts = Account.objects.all()
    if people is not None:
        deputies = Account.deputies.through.objects.filter(user_id__in=people).values("account_id")
        accounts = accounts.filter(Q(editor_id__in=people) | Q(pk__in=deputies))
    lacking = ~Q(editor_id__in=trained) | Q(Exists(deputy_untrained))
    is_open = ~Q(status=AccountStatus.CLOSED)
    # Locked, so two runs at once do not both tell the same people.
    newly = list(
        accounts.filter(is_open & lacking, training_missing=False)
        .select_related("unit", "platform", "editor")
        .select_for_update(of=("self",))
    )
    Account.objects.filter(pk__in=[a.pk for a in newly]).update(training_missing=True, updated_at=now)
    accounts.filter(training_missing=True).exclude(is_open & lacking).update(training_missing=False, updated_at=now)
    if newly:
        _tell_training_missing(newly, timezone.localdate(now))
    editor_status_refresh(people=people, day=timezone.localdate(now))
    return newly


def editor_status_refresh(*, people=None, day) -> None:
    """Bring the people's EditorStatus rows (everyone's, or those of `people`, a list of
    user ids) in line with the accounts they run and the courses they hold."""
    closed = AccountStatus.CLOSED
    editors = Account.objects.exclude(status=closed).order_by().values_list("editor_id", "pk", "display_name")
    deputies = (
        Account.deputies.through.objects.exclude(account__status=closed)
        .order_by()
        .values_list("user_id", "account_id", "account__display_name")
    )
    existing = EditorStatus.objects.all()
    if people is not None:
        people = set(people)
        editors, deputies = editors.filter(editor_id__in=people), deputies.filter(user_id__in=people)
        existing = existing.filter(pk__in=people)
    runs: Counter = Counter()
    examples: dict[int, list] = {}
    for rows in (editors, deputies):
        for person, account, name in rows:
            runs[person] += 1
            if len(examples.setdefault(person, [])) < EXAMPLES:
                examples[person].append([account, name])
    existing = {status.pk: status for status in existing}
    EditorStatus.objects.filter(pk__in=[pk for pk in existing if pk not in runs]).delete()
    wanted = sorted(runs)
    trained, names = set(), {}
    for first in range(0, len(wanted), 5000):  # within every database's limit on parameters
        chunk = wanted[first : first + 5000]
        trained |= set(trained_people(day).filter(pk__in=chunk).values_list("pk", flat=True))
        names |= dict(User.objects.filter(pk__in=chunk).values_list("pk", "full_name"))
    new, changed = [], []
    fields = ["name", "trained", "accounts", "examples"]
    for pk in wanted:
        values = {"name": names.get(pk, ""), "trained": pk in trained, "accounts": runs[pk], "examples": examples[pk]}
        status = existing.get(pk)
        if status is None:
            new.append(EditorStatus(user_id=pk, **values))
        elif any(getattr(status, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(status, key, value)
            changed.append(status)
    EditorStatus.objects.bulk_create(new, batch_size=1000)
    EditorStatus.objects.bulk_update(changed, fields, batch_size=1000)


EXAMPLES = 3  # accounts named per person on the competence overview


def _tell_training_missing(accounts: list[Account], day) -> None:
    """Each person who lacks a course is told what they lack and when it ran out, with the
    next sessions; the unit's leader is told who lacks what. A trained editor is not told."""
    from .competence import gaps_for

    now = timezone.now()
    for account in accounts:
        audit_log(account, "account.training_missing")
        people = [account.editor, *account.deputies.all()]
        missing = gaps_for(people, day)
        gaps = [(person, missing[person.pk]) for person in people if person.pk in missing]
        for person, lacking in gaps:
            if person.is_active:
                courses = {gap.course.pk: gap.course for gap in lacking}.values()
                context = {
                    "account": account,
                    "gaps": lacking,
                    "is_editor": person.pk == account.editor_id,
                    "sessions": [s for course in courses for s in _next_sessions(course, now)],
                    "self_study": _self_study_versions(courses),
                }
                _mail(person, "account_training_missing", context)
        leader = account.unit.effective_leader()
        others = [(person, lacking) for person, lacking in gaps if leader is None or person.pk != leader.pk]
        if leader is not None and leader.is_active and others:
            _mail(leader, "account_training_missing_leader", {"account": account, "gaps": others})


def _self_study_versions(courses) -> list[Course]:
    ids = [course.pk for course in courses]
    return list(Course.objects.published().filter(counts_as_id__in=ids, format="self_study"))


# Mail.


def _with_people(enrollments):
    return enrollments.select_related("user", "session__course")


def _mail(person, template: str, context: dict, attachments=()) -> None:
    email_queue(
        template=f"courses/{template}",
        to=[person.email],
        context={**context, "recipient": person},
        attachments=attachments,
        language=person.language,
    )


def _send_calendar(enrollment: Enrollment, template: str, method: str, context: dict | None = None) -> None:
    """Mail the person with their calendar entry; each one sent raises its SEQUENCE."""
    enrollment.sequence = 0 if enrollment.sequence is None else enrollment.sequence + 1
    Enrollment.objects.filter(pk=enrollment.pk).update(sequence=enrollment.sequence)
    ics = calendar.invitation(enrollment, method)
    _mail(
        enrollment.user,
        template,
        {"enrollment": enrollment, "session": enrollment.session, **(context or {})},
        attachments=(Attachment(filename="invitation.ics", mimetype=f"text/calendar; method={method}", content=ics),),
    )
