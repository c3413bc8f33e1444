"""Read-only questions about courses: who may do what, a course's quiz, a calendar address,
the next sessions of a course. What a person may see or change is kept to their organisation
by the models' scoping helpers (`visible_to`, `managed_by`)."""

from django.db.models import Q

from accounts.models import Membership, User
from registry.models import Account, AccountStatus

from .models import CalendarFeed, Course, Session, hash_token


def may_run_courses(user) -> bool:
    """An adviser of an organisation: makes its courses and holds its sessions."""
    return user.is_authenticated and bool(user.advised_organisation_ids())


def may_make_courses(user) -> bool:
    """An adviser makes their organisation's courses; a super-administrator, regional ones."""
    return may_run_courses(user) or (user.is_authenticated and user.is_superuser)


def may_change_course(user, course: Course) -> bool:
    return Course.objects.managed_by(user).filter(pk=course.pk).exists()


def may_mark_attendance(user, session: Session) -> bool:
    if not user.is_authenticated:
        return False
    return user.advises(session.organisation_id) or session.instructors.filter(pk=user.pk).exists()


def people_one_may_sign_up(user):
    """Advisers sign up anyone of their organisation; a unit leader the people of the units they
    lead; everyone themselves."""
    people = User.objects.filter(is_active=True)
    advised = user.advised_organisation_ids()
    if advised:
        return people.filter(organisation_id__in=advised)
    led = user.led_unit_ids()
    members = Membership.objects.filter(unit_id__in=led).values("user_id")
    return people.filter(Q(pk=user.pk) | Q(pk__in=members)) if led else people.filter(pk=user.pk)


def quiz_questions(course: Course):
    return course.questions.filter(is_active=True).prefetch_related("choices")


def feed_lookup(token: str, now=None) -> CalendarFeed | None:
    return CalendarFeed.objects.usable(now).select_related("user").filter(token_hash=hash_token(token)).first()


def next_sessions(course: Course, now, organisation_id, limit: int = 3) -> list[Session]:
    """The next sessions of the course (or of one that counts as it) held for the staff of
    `organisation_id`."""
    ids = [course.pk, *course.equivalents.values_list("pk", flat=True)]
    sessions = Session.objects.upcoming(now).of_organisation(organisation_id).filter(course_id__in=ids)
    return list(sessions.select_related("course")[:limit])


def self_study_versions(courses, organisation_id) -> list[Course]:
    """The published self-study courses offered to `organisation_id` that count as one of `courses`."""
    ids = [course.pk for course in courses]
    return list(
        Course.objects.published().offered_to(organisation_id).filter(counts_as_id__in=ids, format="self_study")
    )


def accounts_at_risk(user):
    """The open accounts whose editor or a deputy lacks required training, that `user` is shown
    on the competence overview and among their tasks: an adviser's organisation's, a unit
    leader's units'."""
    accounts = Account.objects.exclude(status=AccountStatus.CLOSED).filter(training_missing=True)
    advised = user.advised_organisation_ids()
    if advised:
        return accounts.filter(unit__organisation_id__in=advised)
    led = user.led_unit_ids()
    return accounts.filter(unit_id__in=led) if led else accounts.none()
