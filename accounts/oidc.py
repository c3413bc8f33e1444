"""Single sign-on with the hospital account: OpenID Connect's authorization code flow with PKCE.

Authlib (its Django client) carries the protocol: discovery from
`/.well-known/openid-configuration`, state, nonce, PKCE with S256, the token exchange, and the
ID token's signature against the provider's keys, fetched again when a token names a key it
has not seen (so the provider can rotate its keys without us). What that client leaves to its
caller, this module sets itself; each point is tested in tests/test_sso_tokens.py:

- `aud` is checked only when the claims options name it: we require our client id.
- The default `iss` check disappears as soon as any claims option is given: we require the
  configured issuer, and the issuer the provider's discovery document names must equal it.
- The accepted signing algorithms come from the provider's metadata: we pin OIDC_ALGORITHMS
  (RS256), so `alg: none` or a token "signed" with the public key as an HMAC secret never passes.
- Entra's tenant (`tid`) must equal OIDC_TENANT_ID when that is set.
- What a started login must remember until the provider sends the browser back (state, nonce,
  the PKCE verifier, where to go next) is not kept in a session, which would be a row in the
  database for every press of the button by anyone: it travels in a cookie signed with the
  SECRET_KEY (django.core.signing) for START_MAX_AGE, read only by the callback's path. The
  callback accepts it once (a second use of the same state is refused), so an answer cannot be
  replayed although the browser still holds a copy of the cookie.

Not chosen: mozilla-django-oidc 5.x decodes the ID token without checking `aud` or `iss` and
takes the person's claims from the userinfo endpoint, which for Entra carries no roles;
django-allauth brings its own account model, pages and sign-up flows where the portal needs one
button and its own person model.
"""

import hashlib
import logging
from dataclasses import dataclass
from functools import cache

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from django.core import signing
from django.core.cache import cache as shared_cache
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from joserfc.errors import JoseError

logger = logging.getLogger(__name__)

START_COOKIE = "some_sso_start"
START_SALT = "accounts.oidc.start"
START_MAX_AGE = 10 * 60  # seconds from pressing the button to coming back
MAX_NEXT = 1000  # a longer "next" address is not carried (the front page instead)


class SSOFailure(Exception):
    """A login with the hospital account did not go through. `reason` is a short key for the
    log and the page the person sees; `detail` goes to the log only."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


def sso_enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


class _PortalOIDCApp(DjangoOAuth2App):
    def load_server_metadata(self):
        first = "_loaded_at" not in self.server_metadata
        metadata = super().load_server_metadata()
        if first:
            if metadata.get("issuer") != settings.OIDC_ISSUER:
                self.server_metadata.clear()  # try discovery again next time
                raise SSOFailure("discovery", f"the provider names itself {metadata.get('issuer')!r}")
            # The algorithms we accept, whatever the provider offers (parse_id_token reads this).
            metadata["id_token_signing_alg_values_supported"] = list(settings.OIDC_ALGORITHMS)
        return metadata


@cache
def _client(issuer: str, client_id: str, client_secret: str, scopes: str, timeout: int) -> _PortalOIDCApp:
    return _PortalOIDCApp(
        DjangoIntegration("hospital"),
        "hospital",
        client_id=client_id,
        client_secret=client_secret,
        server_metadata_url=issuer.rstrip("/") + "/.well-known/openid-configuration",
        client_kwargs={"scope": scopes, "code_challenge_method": "S256", "default_timeout": timeout},
    )


def client() -> _PortalOIDCApp:
    return _client(
        settings.OIDC_ISSUER,
        settings.OIDC_CLIENT_ID,
        settings.OIDC_CLIENT_SECRET,
        settings.OIDC_SCOPES,
        settings.OIDC_TIMEOUT_SECONDS,
    )


def claims_options() -> dict:
    options = {
        "iss": {"essential": True, "value": settings.OIDC_ISSUER},
        "aud": {"essential": True, "value": settings.OIDC_CLIENT_ID},
        "sub": {"essential": True},
        "exp": {"essential": True},
    }
    if settings.OIDC_TENANT_ID:
        options["tid"] = {"essential": True, "value": settings.OIDC_TENANT_ID}
    return options


def authorization_redirect(request, *, redirect_uri: str, next_url: str):
    """The redirect that sends the browser to the provider, with the started login (state, nonce,
    PKCE verifier, `next_url`) in a signed, short-lived cookie: nothing is stored."""
    try:
        started = client().create_authorization_url(redirect_uri, ui_locales=request.LANGUAGE_CODE)
    except requests.RequestException as error:
        raise SSOFailure("provider_unavailable", str(error)) from error
    kept = {
        "state": started["state"],
        "nonce": started.get("nonce"),
        "code_verifier": started.get("code_verifier"),
        "redirect_uri": redirect_uri,
        "next": next_url if len(next_url) <= MAX_NEXT else "",
    }
    response = HttpResponseRedirect(started["url"])
    response.set_cookie(
        START_COOKIE,
        signing.dumps(kept, salt=START_SALT, compress=True),  # URL-safe: no quoting in any browser
        max_age=START_MAX_AGE,
        path=reverse("accounts:sso_callback"),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",  # sent when the provider sends the browser back (a top-level GET)
    )
    return response


def forget_start(response) -> None:
    """The started login is used up: the browser drops its cookie."""
    response.delete_cookie(START_COOKIE, path=reverse("accounts:sso_callback"), samesite="Lax")


def _started(request) -> dict | None:
    """The login this browser started, if its cookie is ours, recent, and names the state the
    provider sent back; None otherwise."""
    try:
        kept = signing.loads(request.COOKIES.get(START_COOKIE, ""), salt=START_SALT, max_age=START_MAX_AGE)
    except (signing.BadSignature, ValueError):
        return None
    state = request.GET.get("state", "")
    if not isinstance(kept, dict) or not state or not constant_time_compare(str(kept.get("state")), state):
        return None
    return kept


def _use_once(state: str) -> bool:
    """True the first time a state comes back, False after (a replayed answer)."""
    key = "sso-state:" + hashlib.sha256(state.encode()).hexdigest()
    return shared_cache.add(key, 1, timeout=START_MAX_AGE)


@dataclass(frozen=True)
class VerifiedLogin:
    claims: dict
    id_token: str
    next_url: str = ""


def _exchange(request, started: dict | None) -> dict:
    """Authlib's authorize_access_token, with the started login from the cookie."""
    error = request.GET.get("error")
    if error:
        raise OAuthError(error=error, description=request.GET.get("error_description"))
    if started is None or not _use_once(started["state"]):
        raise MismatchingStateError()
    app = client()
    params = {"code": request.GET.get("code"), "state": started["state"], "redirect_uri": started["redirect_uri"]}
    if started.get("code_verifier"):
        params["code_verifier"] = started["code_verifier"]
    token = app.fetch_access_token(**params)
    if "id_token" in token and started.get("nonce"):
        token["userinfo"] = app.parse_id_token(
            token, nonce=started["nonce"], claims_options=claims_options(), leeway=settings.OIDC_CLOCK_SKEW_SECONDS
        )
    return token


def finish_login(request) -> VerifiedLogin:
    """Check the provider's answer, exchange the code and verify the ID token fully."""
    started = _started(request)
    try:
        token = _exchange(request, started)
    except MismatchingStateError as error:
        raise SSOFailure("state", "no login was started with this state in this browser") from error
    except OAuthError as error:
        # invalid_grant: a code that has expired or was used before; access_denied: cancelled;
        # anything else the provider says no to (login_required, invalid_request …): refused.
        reason = {"access_denied": "denied", "invalid_grant": "code"}.get(error.error, "refused")
        raise SSOFailure(reason, f"{error.error}: {error.description}") from error
    except requests.RequestException as error:
        raise SSOFailure("provider_unavailable", str(error)) from error
    except (JoseError, ValueError, KeyError) as error:
        raise SSOFailure("token", f"{type(error).__name__}: {error}") from error
    if "userinfo" not in token or "id_token" not in token:
        raise SSOFailure("token", "no ID token in the answer")
    return VerifiedLogin(claims=dict(token["userinfo"]), id_token=token["id_token"], next_url=started["next"])


def logout_url(*, id_token: str, return_to: str) -> str | None:
    """The provider's logout address (RP-initiated logout), or None where it offers none."""
    try:
        metadata = client().load_server_metadata()
    except (requests.RequestException, SSOFailure):
        logger.warning("Single sign-on: the provider did not answer at logout; logged out of the portal only")
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client().create_logout_url(
        post_logout_redirect_uri=return_to, id_token_hint=id_token, client_id=settings.OIDC_CLIENT_ID
    )["url"]
