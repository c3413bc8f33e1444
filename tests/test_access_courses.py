"""Who may see and do what in the courses: every page and action for every role.

works = 200 (a page) or 302 (an action done, or refused with a message); 404 = not told
it exists; 403 = may see but not do; login = sent to log in."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.models import Enrollment, Session

from .courses_helpers import right_answers, train

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin", "instructor"]
L = "login"

COVERED_URLS = {
    "courses:list",
    "courses:course_create",
    "courses:record",
    "courses:competence",
    "courses:feed_manage",
    "courses:feed",
    "courses:certificate",
    "courses:session",
    "courses:session_edit",
    "courses:session_cancel",
    "courses:session_fill",
    "courses:signup",
    "courses:withdraw",
    "courses:attendance",
    "courses:question_edit",
    "courses:quiz_result",
    "courses:detail",
    "courses:course_edit",
    "courses:session_create",
    "courses:quiz",
    "courses:questions",
    "courses:person_record",
    "courses:send_self_study",
    "courses:requirement",
}


def everyone(value, **exceptions):
    return {**dict.fromkeys(ROLES, value), **exceptions}


def advisers_only(works=200):
    return everyone(403, anonymous=L, adviser=works)


# (name, method, url name, which object's key gives the argument, post data, expected per role)
CASES = [
    ("course list", "get", "courses:list", None, None, everyone(200, anonymous=L)),
    # The administrator, who advises no organisation, makes regional courses there.
    ("new course", "get", "courses:course_create", None, None, everyone(403, anonymous=L, adviser=200, admin=200)),
    ("my record", "get", "courses:record", None, None, everyone(200, anonymous=L)),
    ("competence", "get", "courses:competence", None, None, everyone(403, anonymous=L, leader=200, adviser=200)),
    ("calendar address", "get", "courses:feed_manage", None, None, everyone(200, anonymous=L)),
    ("new calendar address", "post", "courses:feed_manage", None, {"action": "create"}, everyone(200, anonymous=L)),
    ("stop calendar address", "post", "courses:feed_manage", None, {"action": "revoke"}, everyone(302, anonymous=L)),
    ("calendar feed", "get", "courses:feed", "token", None, everyone(200)),
    (
        "certificate",
        "get",
        "courses:certificate",
        "completion",
        None,
        everyone(404, anonymous=L, member=200, adviser=200),
    ),
    ("course", "get", "courses:detail", "slug", None, everyone(200, anonymous=L)),
    ("hidden course", "get", "courses:detail", "hidden_slug", None, everyone(404, anonymous=L, adviser=200)),
    ("edit course", "get", "courses:course_edit", "slug", None, advisers_only()),
    ("new session", "get", "courses:session_create", "slug", None, advisers_only()),
    ("quiz questions", "get", "courses:questions", "study_slug", None, advisers_only()),
    ("edit question", "get", "courses:question_edit", "question", None, advisers_only()),
    ("quiz", "get", "courses:quiz", "study_slug", None, everyone(200, anonymous=L)),
    ("quiz result", "get", "courses:quiz_result", "attempt", None, everyone(404, anonymous=L, member=200)),
    ("session", "get", "courses:session", "session", None, everyone(200, anonymous=L)),
    ("edit session", "get", "courses:session_edit", "session", None, advisers_only()),
    (
        "cancel session",
        "post",
        "courses:session_cancel",
        "session",
        {"reason": "Sjuk", "confirmed": "1"},
        advisers_only(302),
    ),
    # Without the confirmation the adviser is asked first, on a page of its own.
    ("cancel session, asked", "post", "courses:session_cancel", "session", {"reason": "Sjuk"}, advisers_only(200)),
    (
        "someone's courses",
        "get",
        "courses:person_record",
        "person",
        None,
        everyone(404, anonymous=L, leader=200, adviser=200, member=302),
    ),
    (
        "send the self-study course",
        "post",
        "courses:send_self_study",
        "study_slug",
        {"person": "PERSON"},
        everyone(403, anonymous=L, leader=302, adviser=302),
    ),
    ("fill from waiting list", "post", "courses:session_fill", "session", None, advisers_only(302)),
    ("require the course", "post", "courses:requirement", "slug", {"required": "1"}, advisers_only(302)),
    ("sign up", "post", "courses:signup", "session", None, everyone(302, anonymous=L)),
    ("withdraw", "post", "courses:withdraw", "session", None, everyone(404, anonymous=L, member=302)),
    (
        "attendance",
        "get",
        "courses:attendance",
        "past_session",
        None,
        everyone(403, anonymous=L, adviser=200, instructor=200),
    ),
    (
        "save attendance",
        "post",
        "courses:attendance",
        "past_session",
        {},
        everyone(403, anonymous=L, adviser=302, instructor=302),
    ),
]


@pytest.fixture
def world(cast, basic_course, self_study, make_session):
    from .conftest import make_user

    cast["instructor"] = make_user("kursleiar@example.no", "Kari Kursleiar")
    session = make_session()
    services.enroll(actor=cast["member"], session=session)
    past = make_session(instructors=[cast["instructor"]])
    enrollment = services.enroll(actor=cast["member"], session=past)
    services.enroll(actor=cast["deputy"], session=past)
    Session.objects.filter(pk=past.pk).update(
        starts_at=timezone.now() - timedelta(hours=3), ends_at=timezone.now() - timedelta(hours=1)
    )
    hidden = services.course_save(
        actor=cast["adviser"],
        details=services.CourseDetails(
            title="Under arbeid",
            slug="under-arbeid",
            description="Ikkje klart.",
            audience="Ingen enno",
            duration_minutes=30,
            format="online",
            is_published=False,
        ),
    )
    attempt = services.quiz_start(user=cast["member"], course=self_study)
    services.quiz_submit(user=cast["member"], attempt=attempt, answers=right_answers(attempt))
    _feed, token = services.feed_create(user=cast["member"])
    return {
        "slug": basic_course.slug,
        "hidden_slug": hidden.slug,
        "study_slug": self_study.slug,
        "question": self_study.questions.first().pk,
        "attempt": attempt.pk,
        "session": session.pk,
        "past_session": past.pk,
        "enrollment": enrollment,
        "completion": train(cast["member"], basic_course).pk,
        "token": token,
        "person": cast["member"].pk,
    }


def check(response, expected):
    if expected == L:
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    else:
        assert response.status_code == expected, response.content[:500]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_page_and_action(case, role, client, cast, world):
    _name, method, url_name, key, data, expected = case
    args = [world[key]] if key else []
    if role != "anonymous":
        client.force_login(cast[role])
    if data and data.get("person") == "PERSON":
        data = {**data, "person": cast["deputy"].pk}
    response = getattr(client, method)(reverse(url_name, args=args), data or {})
    check(response, expected[role])


def test_every_course_url_is_in_the_matrix():
    from courses.urls import urlpatterns

    assert {f"courses:{p.name}" for p in urlpatterns} == COVERED_URLS == {c[2] for c in CASES}


@pytest.mark.django_db
def test_actions_are_post_only(client, cast, world):
    client.force_login(cast["adviser"])
    for name in ("courses:session_cancel", "courses:session_fill", "courses:signup", "courses:withdraw"):
        assert client.get(reverse(name, args=[world["session"]])).status_code == 405
    assert Session.objects.get(pk=world["session"]).status == "scheduled"


@pytest.mark.django_db
def test_a_leader_signing_up_someone_outside_their_unit_is_refused(client, cast, world):
    client.force_login(cast["leader"])
    response = client.post(reverse("courses:signup", args=[world["session"]]), {"person": cast["other"].pk})
    assert response.status_code == 403
    assert not Enrollment.objects.filter(user=cast["other"]).exists()
    response = client.post(reverse("courses:signup", args=[world["session"]]), {"person": cast["deputy"].pk})
    assert response.status_code == 302
    assert Enrollment.objects.get(user=cast["deputy"], session_id=world["session"]).signed_up_by == cast["leader"]


@pytest.mark.django_db
def test_the_session_page_shows_participants_only_to_instructors_and_advisers(client, cast, world):
    for role, sees in (("member", False), ("leader", False), ("instructor", True), ("adviser", True)):
        client.force_login(cast[role])
        page = client.get(reverse("courses:session", args=[world["past_session"]])).content.decode()
        assert (cast["deputy"].full_name in page) is sees, role
