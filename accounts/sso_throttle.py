"""The one place single sign-on meets the login throttle (accounts/throttle.py).

The callback, where the provider's answer and its token are checked, is the attempt: it
reserves a slot in the throttle before anything is checked, and a login releases it (as the
password login's does). Every failure (a state that does not match, a code that has expired or
was used before, a token that does not verify, a provider that is down) leaves its slot behind
as a failed login, counted like a wrong password. The person is not known until the token has
been verified, so the client address is what counts. Starting a login only asks whether the
client is refused already; it checks nothing, so it takes no slot.
"""

from . import throttle
from .models import LoginFailure

Throttled = throttle.Throttled


def may_start(request) -> None:
    """Raise Throttled when this client has failed too often lately (reserves nothing)."""
    if throttle.is_refused(request):
        raise Throttled


def before_attempt(request) -> None:
    """Reserve the callback's slot, or raise Throttled. A login in this request releases it."""
    request._login_attempt = throttle.reserve(request, identity=None)


def after_attempt(request, *, user=None, failure: str = "") -> None:
    """A failure is counted: the slot reserved for the check stays, or one is written for a
    failure before any check (the provider down when the login starts). It is labelled with the
    reason ("sso:<reason>"), for whoever reads the failed logins."""
    if not failure:
        return
    attempt = getattr(request, "_login_attempt", None)
    if attempt is None:
        try:
            attempt = throttle.reserve(request, identity=None)
        except Throttled:
            return  # refused already: nothing more to count
    LoginFailure.objects.filter(pk=attempt.pk).update(email=f"sso:{failure}"[:254])
