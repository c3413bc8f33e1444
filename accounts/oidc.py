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

Not chosen: mozilla-django-oidc 5.x decodes the ID token without checking `aud` or `iss` and
takes the person's claims from the userinfo endpoint, which for Entra carries no roles;
django-allauth brings its own account model, pages and sign-up flows where the portal needs one
button and its own person model.
"""

import logging
from dataclasses import dataclass
from functools import cache

import requests
from authlib.integrations.base_client.errors import MismatchingStateError, OAuthError
from authlib.integrations.django_client import DjangoIntegration, DjangoOAuth2App
from django.conf import settings
from joserfc.errors import JoseError

logger = logging.getLogger(__name__)


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


def authorization_redirect(request, *, redirect_uri: str):
    """The redirect that sends the browser to the provider (state, nonce and PKCE kept in the session)."""
    try:
        return client().authorize_redirect(request, redirect_uri, ui_locales=request.LANGUAGE_CODE)
    except requests.RequestException as error:
        raise SSOFailure("provider_unavailable", str(error)) from error


@dataclass(frozen=True)
class VerifiedLogin:
    claims: dict
    id_token: str


def finish_login(request) -> VerifiedLogin:
    """Check the provider's answer, exchange the code and verify the ID token fully."""
    try:
        token = client().authorize_access_token(
            request, claims_options=claims_options(), leeway=settings.OIDC_CLOCK_SKEW_SECONDS
        )
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
    return VerifiedLogin(claims=dict(token["userinfo"]), id_token=token["id_token"])


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
