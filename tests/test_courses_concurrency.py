"""Capacity holds under pressure: many people press "Sign up" at the same moment, as real
parallel requests to a running server (each with its own database connection). Nobody
is overbooked, the rest wait in order of sign-up, and a freed seat goes to exactly one.
Runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

import secrets
import threading
import urllib.error
import urllib.request
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.models import User
from courses import services
from courses.models import Enrollment, EnrollmentStatus

from .conftest import make_user

pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 16
SEATS = 5


def logged_in_cookies(user) -> str:
    client = Client()
    client.force_login(user)
    csrf = secrets.token_hex(16)  # 32 characters: a valid CSRF secret
    return (
        f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}; csrftoken={csrf}",
        csrf,
    )


def post_all_at_once(url: str, people) -> list[int]:
    requests = []
    for person in people:
        cookies, csrf = logged_in_cookies(person)
        request = urllib.request.Request(url, data=b"", method="POST")
        request.add_header("Cookie", cookies)
        request.add_header("X-CSRFToken", csrf)
        requests.append(request)
    start = threading.Barrier(len(requests))
    statuses = []

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)

    def send(request):
        start.wait()
        try:
            statuses.append(opener.open(request, timeout=60).status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)

    threads = [threading.Thread(target=send, args=(r,)) for r in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def test_nobody_is_overbooked_when_many_sign_up_at_once(live_server, cast, make_session):
    session = make_session(capacity=SEATS, starts_in=timedelta(days=5))
    people = [make_user(f"person{n}@example.no", f"Person {n:02d}") for n in range(PEOPLE)]
    url = live_server.url + reverse("courses:signup", args=[session.pk])

    statuses = post_all_at_once(url, people)

    assert statuses == [302] * PEOPLE  # every request answered, none failed
    enrollments = Enrollment.objects.filter(session=session)
    assert enrollments.count() == PEOPLE
    assert enrollments.filter(status=EnrollmentStatus.CONFIRMED).count() == SEATS
    waiting = list(enrollments.filter(status=EnrollmentStatus.WAITING).order_by("signed_up_at", "pk"))
    assert len(waiting) == PEOPLE - SEATS
    # The waiting list is in the order people got through.
    confirmed_last = enrollments.filter(status=EnrollmentStatus.CONFIRMED).order_by("-signed_up_at").first()
    assert all(w.signed_up_at >= confirmed_last.signed_up_at for w in waiting)

    # Everyone with a seat gives it up at the same moment: each seat goes to exactly one
    # person on the list, in order, and nobody is promoted twice.
    holders = [e.user for e in enrollments.filter(status=EnrollmentStatus.CONFIRMED).select_related("user")]
    withdraw = live_server.url + reverse("courses:withdraw", args=[session.pk])
    assert post_all_at_once(withdraw, holders) == [302] * SEATS
    after = Enrollment.objects.filter(session=session)
    assert after.filter(status=EnrollmentStatus.CONFIRMED).count() == SEATS
    promoted = set(after.filter(status=EnrollmentStatus.CONFIRMED).values_list("user_id", flat=True))
    assert promoted == {w.user_id for w in waiting[:SEATS]}
    from core.models import OutboundEmail

    assert OutboundEmail.objects.filter(template="courses/enrollment_promoted").count() == SEATS


def test_the_same_person_signing_up_in_two_tabs_at_once_gets_one_place(live_server, cast, make_session):
    session = make_session(capacity=3, starts_in=timedelta(days=5))
    person = User.objects.get(pk=cast["member"].pk)
    url = live_server.url + reverse("courses:signup", args=[session.pk])
    assert post_all_at_once(url, [person] * 4) == [302] * 4
    assert Enrollment.objects.filter(session=session, user=person).count() == 1
    from core.models import OutboundEmail

    assert OutboundEmail.objects.filter(template="courses/enrollment_confirmed").count() == 1


def test_the_service_under_threads_keeps_capacity(cast, make_session):
    """The same through the service directly, without the web server in between."""
    from django.db import connection

    session = make_session(capacity=3, starts_in=timedelta(days=5))
    people = [make_user(f"t{n}@example.no", f"T {n}") for n in range(10)]
    errors = []

    def work(person):
        try:
            services.enroll(actor=person, session=session)
        except Exception as error:  # collected and reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Enrollment.objects.filter(session=session, status=EnrollmentStatus.CONFIRMED).count() == 3
