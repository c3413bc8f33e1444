"""Read-only questions about courses: who may do what, a course's quiz, a calendar address,
the next sessions of a course."""

from django.db.models import Q

from accounts.models import Membership, User

from .models import CalendarFeed, Course, Session, hash_token


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


def quiz_questions(course: Course):
    return course.questions.filter(is_active=True).prefetch_related("choices")


def feed_lookup(token: str, now=None) -> CalendarFeed | None:
    return CalendarFeed.objects.usable(now).select_related("user").filter(token_hash=hash_token(token)).first()


def next_sessions(course: Course, now, limit: int = 3) -> list[Session]:
    ids = [course.pk, *course.equivalents.values_list("pk", flat=True)]
    return list(Session.objects.upcoming(now).filter(course_id__in=ids).select_related("course")[:limit])


def self_study_versions(courses) -> list[Course]:
    """The published self-study courses that count as one of `courses`."""
    ids = [course.pk for course in courses]
    return list(Course.objects.published().filter(counts_as_id__in=ids, format="self_study"))
