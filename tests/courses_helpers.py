"""Courses and sessions for the courses' tests, made through the services."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses import services
from courses.models import Course, CourseFormat


@pytest.fixture
def basic_course(cast):
    return services.course_save(
        actor=cast["adviser"],
        details=services.CourseDetails(
            title="Grunnkurs i sosiale media",
            slug="grunnkurs",
            description="Det du må kunne før du driv ein konto for sjukehuset.",
            audience="Redaktørar og stadfortredarar",
            duration_minutes=180,
            format=CourseFormat.CLASSROOM,
            required_for_editors=True,
            valid_months=24,
        ),
    )


@pytest.fixture
def make_session(cast, basic_course):
    def make(*, course=None, starts_in=timedelta(days=7), hours=3, capacity=10, **changes) -> "services.Session":
        start = (timezone.now() + starts_in).replace(microsecond=0)
        details = services.SessionDetails(
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            capacity=capacity,
            place=changes.pop("place", "Auditorium 2, Haukeland"),
            **changes,
        )
        return services.session_create(actor=cast["adviser"], course=course or basic_course, details=details)

    return make


@pytest.fixture
def self_study(cast, basic_course):
    """The self-study version of the basic course, with ten questions (the first answer right)."""
    course = services.course_save(
        actor=cast["adviser"],
        details=services.CourseDetails(
            title="Grunnkurs i sosiale media – sjølvstudium",
            slug="grunnkurs-sjolvstudium",
            description="Les kapitla og svar på quizen.",
            audience="Alle tilsette",
            duration_minutes=60,
            format=CourseFormat.SELF_STUDY,
            counts_as=basic_course,
            valid_months=24,
        ),
    )
    for n in range(10):
        services.question_save(
            actor=cast["adviser"],
            course=course,
            details=services.QuestionDetails(
                text=f"Spørsmål {n + 1}?", choices=[(f"Rett {n}", True), (f"Feil {n}a", False), (f"Feil {n}b", False)]
            ),
        )
    return Course.objects.get(pk=course.pk)


def right_answers(attempt) -> dict[int, int]:
    from courses.models import Choice

    right = dict(
        Choice.objects.filter(question_id__in=[q for q, _c in attempt.layout], is_correct=True).values_list(
            "question_id", "pk"
        )
    )
    return {q: right[q] for q, _c in attempt.layout}


def train(person, course, *, on=None):
    """Record a completion for `person`, as an adviser of their organisation would for a course
    done elsewhere."""
    from accounts.models import User

    adviser = User.objects.filter(is_adviser=True, organisation_id=person.organisation_id).first()
    return services.completion_record(actor=adviser, user=person, course=course, on=on or timezone.localdate())
