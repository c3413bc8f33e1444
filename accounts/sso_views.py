"""Logging in with the hospital account: the button sends the browser to the provider, the
provider sends it back to `callback`, which verifies everything (accounts/oidc.py), finds or
creates the person (accounts/services.py) and logs them in. Each attempt passes the login
throttle (accounts/sso_throttle.py)."""

import logging

from django.conf import settings
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import oidc, services, sso_throttle
from .language import follow_saved_language

logger = logging.getLogger(__name__)

ID_TOKEN_KEY = "sso_id_token"

# What the person is told, per reason; the log has the details.
FAILURE_TEXT = {
    "state": _("The login could not be completed: it was started in another window, or it took too long. Try again."),
    "code": _("The login could not be completed: it took too long, or the page was reloaded. Try again."),
    "denied": _("The login was cancelled."),
    "refused": _(
        "The hospital's login service did not let the login through. Try again; if it goes on, contact the IT "
        "service desk."
    ),
    "provider_unavailable": _(
        "The hospital's login service does not answer just now. Try again in a few minutes. If it goes on, "
        "contact the IT service desk."
    ),
    "discovery": _("The hospital's login service is not set up as the portal expects. Contact the IT service desk."),
    "token": _("The answer from the hospital's login service could not be verified, so you are not logged in."),
    "no_email": _("Your hospital account has no e-mail address, which the portal needs. Contact the IT service desk."),
    "email_taken": _(
        "There is already a person in the portal with your e-mail address, who has not been linked to your "
        "hospital account. Ask an administrator of the portal to link them."
    ),
    "organisation": _(
        "Your hospital account names an organisation that does not use the portal. Contact the IT service desk."
    ),
    "inactive": _("Your access to the portal is closed. Contact the Communications Department if this is wrong."),
    "throttled": _("Too many failed attempts. For your security, wait %(minutes)s minutes and try again."),
}
FAILURE_STATUS = {"provider_unavailable": 503, "discovery": 503, "throttled": 429, "inactive": 403, "organisation": 403}


def _failure(request, reason: str, detail: str = ""):
    logger.warning("Single sign-on failed (%s) from %s: %s", reason, request.META.get("REMOTE_ADDR"), detail)
    if reason != "throttled":
        sso_throttle.after_attempt(request, failure=reason)
    text = FAILURE_TEXT.get(reason, FAILURE_TEXT["token"])
    if reason == "throttled":
        text = text % {"minutes": settings.LOGIN_FAILURE_WINDOW_MINUTES}
    return render(
        request,
        "accounts/sso_failed.html",
        {"message": text, "reason": reason, "password_login": settings.PASSWORD_LOGIN},
        status=FAILURE_STATUS.get(reason, 400),
    )


def _safe_next(request, value: str) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse(settings.LOGIN_REDIRECT_URL)


@never_cache
@require_GET
def start(request):
    if not oidc.sso_enabled():
        raise Http404
    try:
        sso_throttle.may_start(request)
    except sso_throttle.Throttled:
        return _failure(request, "throttled")
    try:
        return oidc.authorization_redirect(
            request,
            redirect_uri=request.build_absolute_uri(reverse("accounts:sso_callback")),
            next_url=_safe_next(request, request.GET.get("next", "")),
        )
    except oidc.SSOFailure as failure:
        return _failure(request, failure.reason, failure.detail)


@never_cache
@require_GET
def callback(request):
    if not oidc.sso_enabled():
        raise Http404
    try:
        sso_throttle.before_attempt(request)
    except sso_throttle.Throttled:
        return _failure(request, "throttled")
    try:
        verified = oidc.finish_login(request)
        user = services.person_from_sso(claims=verified.claims)
    except oidc.SSOFailure as failure:
        response = _failure(request, failure.reason, failure.detail)
    else:
        login(request, user, backend="accounts.backends.SSOBackend")
        # Kept for logging out of the provider as well (RP-initiated logout).
        request.session[ID_TOKEN_KEY] = verified.id_token
        sso_throttle.after_attempt(request, user=user)
        response = follow_saved_language(request, redirect(_safe_next(request, verified.next_url)), user)
    oidc.forget_start(response)
    return response
