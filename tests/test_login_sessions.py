"""A logged-in person is read with their session, in one query (accounts/sessions.py), and
everything Django checks about a session still holds."""

from django.contrib.auth import get_user
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import LoginSession
from accounts.sessions import person_read_with_session

from .conftest import PASSWORD, make_user


def log_in(client, user):
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def test_the_session_and_the_person_are_read_in_one_query(client, cast):
    log_in(client, cast["member"])
    session = LoginSession.objects.get()
    assert session.user_id == cast["member"].pk  # the row names its person
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/helse/ping/").status_code == 200
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "accounts_user" in queries[0]["sql"] and "JOIN" in queries[0]["sql"]
    page = client.get(reverse("core:home")).content.decode()
    assert cast["member"].full_name in page


def test_a_person_made_inactive_is_logged_out_at_once(client, cast):
    log_in(client, cast["member"])
    assert client.get(reverse("plans:list")).status_code == 200
    cast["member"].is_active = False
    cast["member"].save()
    response = client.get(reverse("plans:list"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_a_changed_password_ends_the_other_sessions(client, cast):
    from django.test import Client

    log_in(client, cast["member"])
    elsewhere = Client()
    log_in(elsewhere, cast["member"])
    assert elsewhere.get(reverse("plans:list")).status_code == 200
    cast["member"].set_password("Et heilt anna passord 2026")
    cast["member"].save()
    assert client.get(reverse("plans:list")).status_code == 302
    assert elsewhere.get(reverse("plans:list")).status_code == 302


def test_a_session_is_never_taken_for_another_persons(client, cast, rf):
    log_in(client, cast["member"])
    client.get("/helse/ping/")
    # What was read with the last session answers only for the person that session names.
    assert person_read_with_session(cast["member"].pk) is not None
    assert person_read_with_session(cast["adviser"].pk) is None
    # A request without a session reads no session, and so nobody.
    request = rf.get("/")
    from django.contrib.sessions.middleware import SessionMiddleware

    SessionMiddleware(lambda r: None).process_request(request)
    assert not get_user(request).is_authenticated


def test_logging_out_deletes_the_session_and_a_deleted_person_takes_theirs_along(client, cast):
    log_in(client, cast["member"])
    client.post(reverse("accounts:logout"))
    assert not LoginSession.objects.filter(user=cast["member"]).exists()
    leaving = make_user("sluttar@example.no", "Sluttar")
    log_in(client, leaving)
    assert LoginSession.objects.filter(user=leaving).count() == 1
    leaving.delete()
    assert not LoginSession.objects.exists()
    assert client.get(reverse("plans:list")).status_code == 302
