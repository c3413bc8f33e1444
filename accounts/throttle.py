"""The login throttle: the one gate every check of a password or an identity passes.

**What it does.** Within LOGIN_FAILURE_WINDOW_MINUTES, an identity (an e-mail address)
gets LOGIN_FAILURE_LIMIT attempts that fail, and a client address ten times as many (many
people share the hospital's outward address). After that every attempt is refused
*without checking the password*, the right one too, until the window has passed. A
successful login forgets the identity's failures.

**How it counts, so that parallel attempts cannot overshoot.** Before anything is
checked, the attempt reserves a slot: in one short transaction, holding a lock per
identity and per address (core/locks.py), one statement counts the recent attempts for
both and, if both are under their limits, writes a LoginFailure row for this attempt. Only then,
outside the transaction, is the password checked. A success deletes the row; a failure
leaves it as the record of a failed login. The next attempt's count includes the rows
of attempts still being checked, so thirty attempts at once check at most the limit.

**Why not django-axes.** django-axes (8.x) was the first choice: it throttles at the
authentication layer, as this module does. But it decides whether an attempt may go
ahead by reading the number of recorded failures, and records a failure only after the
password check has failed (the `user_login_failed` signal). Attempts that arrive
together all read the count before any of them has failed, so all of them are checked:
the overshoot this module exists to prevent. Its maintainers list this as a known issue
they will not fix (jazzband/django-axes#592, "Lockout doesn't kick in if spamming
requests quickly"). Reserving the slot before the check needs the count and the
reservation in one locked step, which axes' handler API has no place for; this module is
that step and little else.

**Using it.**

1. Anything that calls django.contrib.auth.authenticate() is throttled already:
   `ThrottleBackend` is first in AUTHENTICATION_BACKENDS, reserves the slot, and the
   backends after it check. The `user_logged_in` signal releases the slot. The portal's
   login (/logg-inn/) and the administration's (/admin/login/) work this way, and so
   will a single sign-on backend that is called through authenticate(). The identity is
   the credential named `username` or `email`; without one, only the address counts.

2. A check that does not go through authenticate(), such as a single sign-on callback
   that validates a token itself, wraps its check in `login_attempt`:

       from accounts.throttle import Throttled, login_attempt

       try:
           with login_attempt(request, identity=email_or_none) as attempt:
               user = check_the_token(request)      # whatever the check is
               if user is not None:
                   attempt.succeeded()               # before login(); releases the slot
       except Throttled as refusal:
           messages.error(request, refusal.message)  # nothing was checked
           return redirect("accounts:login")
       login(request, user, backend=...)

   Leaving the block without `attempt.succeeded()`, or by an exception, counts as a
   failure. `identity` may be None when the identity is known only after the check (a
   token names its subject): then the client address is what counts.

Forms show the refusal with `refusal_for(request)`, which is set when authenticate()
was refused by the throttle.
"""

from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.locks import hold
from core.net import client_address

from .models import LoginFailure

# Many people share the hospital's outward address, so one address gets more room than one identity.
ADDRESS_FACTOR = 10
# How long failed logins are kept at all (the window is what counts; this is for reading the log).
KEEP_FOR = timedelta(days=1)
REQUEST_ATTRIBUTE = "_login_throttle"
MESSAGE = _("Too many failed attempts. For your security, wait %(minutes)s minutes and try again.")


class Throttled(PermissionDenied):
    """Too many failed attempts: the check was not made."""

    def __init__(self):
        self.minutes = settings.LOGIN_FAILURE_WINDOW_MINUTES
        self.message = MESSAGE % {"minutes": self.minutes}
        super().__init__(str(self.message))


@dataclass
class Attempt:
    """A reserved slot: one login attempt being checked."""

    pk: int
    identity: str
    address: str | None
    done: bool = False

    def succeeded(self) -> None:
        """The check passed: release the slot and forget the identity's earlier failures."""
        forget(identity=self.identity, attempt_pk=self.pk)
        self.done = True


def _normal(identity) -> str:
    return (str(identity) if identity is not None else "").strip().lower()[:254]


# Count and record in one statement (after the locks, so it sees every attempt that
# committed before them): the row is written only when both counts are under their
# limits. SQLite (3.35+) and PostgreSQL both read this.
_RESERVE = """
INSERT INTO {table} (email, ip, created_at)
SELECT %s, %s, %s
WHERE (SELECT count(*) FROM {table} WHERE email = %s AND created_at >= %s) < %s
  AND (SELECT count(*) FROM {table} WHERE ip = %s AND created_at >= %s) < %s
RETURNING id
"""


def reserve(request, identity=None) -> Attempt:
    """Reserve a slot for one check, or raise Throttled. Call before checking anything."""
    identity = _normal(identity)
    address = client_address(request)
    limit = settings.LOGIN_FAILURE_LIMIT
    now = timezone.now()
    since = now - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    # An identity or an address that is not known is not counted (its limit is out of reach).
    unbounded = 2**31
    identity_limit = limit if identity else unbounded
    address_limit = limit * ADDRESS_FACTOR if address else unbounded
    sql = _RESERVE.format(table=connection.ops.quote_name(LoginFailure._meta.db_table))
    with transaction.atomic(), connection.cursor() as cursor:
        hold(f"login:identity:{identity}", f"login:address:{address}")
        cursor.execute(sql, [identity, address, now, identity, since, identity_limit, address, since, address_limit])
        row = cursor.fetchone()
    if row is None:
        raise Throttled
    return Attempt(pk=row[0], identity=identity, address=address)


def is_refused(request, identity=None) -> bool:
    """Whether an attempt now would be refused; reserves nothing (for a step that checks nothing
    itself, such as sending a person on to the single sign-on provider)."""
    identity = _normal(identity)
    address = client_address(request)
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    limit = settings.LOGIN_FAILURE_LIMIT
    recent = LoginFailure.objects.filter(created_at__gte=since)
    return bool(
        (identity and recent.filter(email=identity).count() >= limit)
        or (address and recent.filter(ip=address).count() >= limit * ADDRESS_FACTOR)
    )


def forget(*, identity: str, attempt_pk: int | None = None) -> None:
    condition = Q(pk=attempt_pk) if attempt_pk else Q()
    if identity:
        condition |= Q(email=_normal(identity))
    if condition:
        LoginFailure.objects.filter(condition).delete()


@contextmanager
def login_attempt(request, identity=None):
    """Reserve a slot (or raise Throttled), let the caller check, and count a failure
    unless the caller said `attempt.succeeded()`. See the module's docstring."""
    attempt = reserve(request, identity)
    yield attempt
    # A failure needs nothing more: the reservation row is the record of it.


def refusal_for(request) -> Throttled | None:
    """The throttle's refusal of this request's login, if authenticate() was refused."""
    return getattr(request, REQUEST_ATTRIBUTE, None) if request is not None else None


class ThrottleBackend:
    """First in AUTHENTICATION_BACKENDS: reserves a slot before the backends after it
    check anything. It never logs anyone in itself, and has no get_user(), so Django
    never names it as the backend of a session."""

    def authenticate(self, request, **credentials):
        identity = credentials.get("username") or credentials.get("email")
        try:
            attempt = reserve(request, identity)
        except Throttled as refusal:
            if request is not None:
                setattr(request, REQUEST_ATTRIBUTE, refusal)
            # authenticate() stops at PermissionDenied: no backend checks the password.
            raise
        if request is not None:
            request._login_attempt = attempt
        return None


@receiver(user_logged_in)
def _release_on_login(sender, request, user, **kwargs):
    attempt = getattr(request, "_login_attempt", None) if request is not None else None
    forget(identity=user.get_username(), attempt_pk=attempt.pk if attempt else None)


def prune(now) -> int:
    """Forget failures older than a day."""
    deleted, _ = LoginFailure.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    return deleted
