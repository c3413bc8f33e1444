"""The one place single sign-on meets the login throttle.

Every attempt asks `before_attempt` first and reports how it ended with `after_attempt`; a
failure (a state that does not match, a code that has expired or was used before, a token that
does not verify, a provider that is down) counts as a failed login like a wrong password. The
provider has already checked the person's password, so a failure here is counted against the
client address: the person is not known until the token has been verified.

Today this calls the password form's throttle (accounts.forms, LoginFailure rows); when the
login throttle moves into a module of its own, only the bodies of these two functions change.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .forms import IP_FACTOR, client_ip
from .models import LoginFailure


class Throttled(Exception):
    pass


def before_attempt(request) -> None:
    """Raise Throttled when this client has failed too often lately."""
    ip = client_ip(request)
    if not ip:
        return
    since = timezone.now() - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    if LoginFailure.objects.filter(created_at__gte=since, ip=ip).count() >= settings.LOGIN_FAILURE_LIMIT * IP_FACTOR:
        raise Throttled


def after_attempt(request, *, user=None, failure: str = "") -> None:
    """Record how the attempt ended: a failure is counted; a success needs nothing more here
    (the user_logged_in signal already forgets the person's earlier password failures)."""
    if failure:
        LoginFailure.objects.create(email=f"sso:{failure}"[:254], ip=client_ip(request))
