"""The login throttle (accounts/throttle.py): every path that checks a password goes
through it, parallel attempts never check more passwords than the limit, and the client
address is taken from the proxy header only when the portal is told to trust it."""

import threading

import pytest
from django.urls import reverse

from accounts.models import LoginFailure

from .conftest import PASSWORD
from .hashers import CountingPBKDF2Hasher
from .webclient import WebClient

PORTAL_LOGIN = reverse("accounts:login")
ADMIN_LOGIN = reverse("admin:login")


# One client address gets ten times an identity's attempts (many people share the hospital's address).
ADDRESS_FACTOR = 10


def login(client, path, email, password, **extra):
    return client.post(path, {"username": email, "password": password}, **extra)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("path", [PORTAL_LOGIN, ADMIN_LOGIN])
def test_every_login_refuses_even_the_right_password_after_the_limit(path, client, cast, settings):
    admin = cast["admin"]
    for _ in range(12):
        login(client, path, admin.email, "wrong")
    response = login(client, path, admin.email, PASSWORD)
    assert not logged_in(client)
    assert "Too many failed attempts" in response.content.decode() or "For mange" in response.content.decode()


def test_failures_at_the_portal_login_count_at_the_admin_login(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, PORTAL_LOGIN, cast["admin"].email, "wrong")
    login(client, ADMIN_LOGIN, cast["admin"].email, PASSWORD)
    assert not logged_in(client)


def test_an_address_throttled_at_the_portal_login_is_throttled_at_the_admin_login(client, cast, settings):
    limit = settings.LOGIN_FAILURE_LIMIT * ADDRESS_FACTOR
    for n in range(limit):
        login(client, PORTAL_LOGIN, f"nobody{n}@example.no", "wrong", REMOTE_ADDR="192.0.2.9")
    login(client, ADMIN_LOGIN, cast["admin"].email, PASSWORD, REMOTE_ADDR="192.0.2.9")
    assert not logged_in(client)
    # The same person from another address is let in.
    login(client, ADMIN_LOGIN, cast["admin"].email, PASSWORD, REMOTE_ADDR="192.0.2.10")
    assert logged_in(client)


def test_the_admin_login_says_why_it_refuses(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, ADMIN_LOGIN, cast["admin"].email, "wrong")
    response = login(client, ADMIN_LOGIN, cast["admin"].email, PASSWORD)
    [error] = response.context["form"].non_field_errors().as_data()
    assert error.code == "throttled"


def test_a_refused_attempt_checks_no_password(client, cast, settings):
    settings.PASSWORD_HASHERS = ["tests.hashers.CountingPBKDF2Hasher"]
    member = cast["member"]
    member.set_password(PASSWORD)
    member.save()
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, PORTAL_LOGIN, member.email, "wrong")
    CountingPBKDF2Hasher.reset()
    login(client, PORTAL_LOGIN, member.email, PASSWORD)
    assert CountingPBKDF2Hasher.checks == 0


def test_a_successful_login_forgets_the_failures_of_that_person_only(client, cast):
    login(client, PORTAL_LOGIN, cast["member"].email, "wrong")
    login(client, PORTAL_LOGIN, cast["leader"].email, "wrong")
    login(client, PORTAL_LOGIN, cast["member"].email, PASSWORD)
    assert list(LoginFailure.objects.values_list("email", flat=True)) == [cast["leader"].email]


# For a single sign-on callback and any other check outside authenticate().


def test_login_attempt_counts_a_failure_unless_told_it_succeeded(rf, cast, settings):
    from accounts import throttle

    request = rf.get("/", REMOTE_ADDR="192.0.2.30")
    with throttle.login_attempt(request, identity="Someone@Example.no"):
        pass  # the check failed
    with throttle.login_attempt(request, identity=None):
        pass  # a failed check where the identity was not known: only the address counts
    assert sorted(LoginFailure.objects.values_list("email", "ip")) == [
        ("", "192.0.2.30"),
        ("someone@example.no", "192.0.2.30"),
    ]
    with throttle.login_attempt(request, identity="someone@example.no") as attempt:
        attempt.succeeded()
    assert list(LoginFailure.objects.values_list("email", flat=True)) == [""]


def test_login_attempt_refuses_before_the_check_is_made(rf, cast, settings):
    from accounts import throttle

    request = rf.get("/", REMOTE_ADDR="192.0.2.31")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        with throttle.login_attempt(request, identity="sso-user@example.no"):
            pass
    checked = []
    with pytest.raises(throttle.Throttled) as refusal, throttle.login_attempt(request, identity="sso-user@example.no"):
        checked.append(True)
    assert checked == []
    assert str(settings.LOGIN_FAILURE_WINDOW_MINUTES) in str(refusal.value.message)


def test_an_exception_in_the_check_counts_as_a_failure(rf, db):
    from accounts import throttle

    request = rf.get("/", REMOTE_ADDR="192.0.2.32")
    with pytest.raises(ValueError), throttle.login_attempt(request, identity="x@example.no"):
        raise ValueError("the provider answered nonsense")
    assert LoginFailure.objects.filter(email="x@example.no").count() == 1


def test_old_failures_are_forgotten_by_the_periodic_job(db):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.periodic import forget_old_login_failures

    LoginFailure.objects.create(email="old@example.no", ip="192.0.2.1")
    LoginFailure.objects.update(created_at=timezone.now() - timedelta(days=2))
    LoginFailure.objects.create(email="new@example.no", ip="192.0.2.1")
    forget_old_login_failures(timezone.now())
    forget_old_login_failures(timezone.now())
    assert list(LoginFailure.objects.values_list("email", flat=True)) == ["new@example.no"]


# Behind a proxy


def test_without_trusted_proxies_a_forwarded_header_is_ignored(client, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.LOGIN_FAILURE_LIMIT * ADDRESS_FACTOR):
        login(
            client, PORTAL_LOGIN, f"p{n}@example.no", "x", REMOTE_ADDR="192.0.2.40", HTTP_X_FORWARDED_FOR=f"10.0.{n}.1"
        )
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"192.0.2.40"}
    # A new spoofed header does not get the address new attempts.
    login(
        client, PORTAL_LOGIN, cast["member"].email, PASSWORD, REMOTE_ADDR="192.0.2.40", HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert not logged_in(client)


def test_behind_a_trusted_proxy_each_client_counts_for_itself(client, cast, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.0.0.2"
    for n in range(settings.LOGIN_FAILURE_LIMIT * ADDRESS_FACTOR):
        login(client, PORTAL_LOGIN, f"p{n}@example.no", "x", REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert set(LoginFailure.objects.values_list("ip", flat=True)) == {"198.51.100.7"}
    # Another client behind the same proxy logs in; the one that failed is refused,
    # whatever it writes in the header itself (the proxy appends the address it saw).
    login(client, PORTAL_LOGIN, cast["member"].email, PASSWORD, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.8")
    assert logged_in(client)
    client.logout()
    login(
        client,
        PORTAL_LOGIN,
        cast["leader"].email,
        PASSWORD,
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="203.0.113.50, 198.51.100.7",
    )
    assert not logged_in(client)


# Many at once, against a real server


def _attempts_at_once(live_server, path, email, password, sources):
    """One wrong password from each source address, all released at the same moment."""
    clients = [WebClient(live_server.url, source=source) for source in sources]
    tokens = [c.form_token(path) for c in clients]
    for c in clients:
        c.connect()
    start = threading.Barrier(len(clients))
    answers = []

    def attempt(c, token):
        start.wait()
        answers.append(c.post(path, {"csrfmiddlewaretoken": token, "username": email, "password": password}))

    threads = [threading.Thread(target=attempt, args=pair) for pair in zip(clients, tokens, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return clients, answers


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("path", [PORTAL_LOGIN, ADMIN_LOGIN])
def test_thirty_wrong_passwords_at_once_from_thirty_addresses_check_at_most_the_limit(
    path, live_server, cast, settings
):
    settings.PASSWORD_HASHERS = ["tests.hashers.CountingPBKDF2Hasher"]
    admin = cast["admin"]
    admin.set_password(PASSWORD)
    admin.save()
    CountingPBKDF2Hasher.reset()

    sources = [f"127.0.0.{n}" for n in range(2, 32)]
    clients, answers = _attempts_at_once(live_server, path, admin.email, "wrong", sources)

    assert [answer.status for answer in answers] == [200] * len(sources)
    assert not any(c.logged_in for c in clients)
    assert CountingPBKDF2Hasher.checks == settings.LOGIN_FAILURE_LIMIT
    assert LoginFailure.objects.filter(email=admin.email).count() == settings.LOGIN_FAILURE_LIMIT
    assert set(LoginFailure.objects.values_list("ip", flat=True)) <= set(sources)

    # The right password, from an address that has not tried before, is refused unchecked.
    fresh = WebClient(live_server.url, source="127.0.0.99")
    token = fresh.form_token(path)
    fresh.post(path, {"csrfmiddlewaretoken": token, "username": admin.email, "password": PASSWORD})
    assert not fresh.logged_in
    assert CountingPBKDF2Hasher.checks == settings.LOGIN_FAILURE_LIMIT


def test_changing_the_password_checks_the_old_one_through_the_throttle(client, cast, settings):
    client.force_login(cast["admin"])
    url = reverse("admin:password_change")
    change = {"new_password1": "a new long passphrase 42", "new_password2": "a new long passphrase 42"}
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        client.post(url, {"old_password": "wrong", **change})
    response = client.post(url, {"old_password": PASSWORD, **change})
    assert response.status_code == 200
    cast["admin"].refresh_from_db()
    assert cast["admin"].check_password(PASSWORD)
