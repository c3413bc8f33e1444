"""A small OpenID Connect provider of our own for the token tests: discovery, a JWKS and a
token endpoint that hands out whatever ID token the test signed (right or deliberately
wrong), served over real HTTP on a free port. The real provider (node-oidc-provider) is in
tests/oidc_provider.py; this one lets a test forge what a real provider never would."""

import base64
import hashlib
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from .mailserver import free_port

CLIENT_ID = "some-portalen-test"
CLIENT_SECRET = "test-secret"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class TokenProvider:
    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1"})
        self.published = [self.key]
        self.id_token = ""
        self.token_error = ""
        self.token_requests: list[dict] = []
        self.jwks_requests = 0
        self.offer_end_session = True
        self.server = None

    # What the endpoints answer
    def metadata(self) -> dict:
        data = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            # Offered on purpose: the portal must accept only what it pins (RS256).
            "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"],
            "code_challenge_methods_supported": ["S256"],
        }
        if self.offer_end_session:
            data["end_session_endpoint"] = f"{self.issuer}/logout"
        return data

    def jwks(self) -> dict:
        return {"keys": [{**k.as_dict(private=False), "use": "sig", "alg": "RS256"} for k in self.published]}

    # Tokens
    def claims(self, expected_nonce: str, **changes) -> dict:
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": CLIENT_ID,
            "sub": "subject-1",
            "iat": now,
            "exp": now + 600,
            "nonce": expected_nonce,
            "email": "nora.nyberg@example.no",
            "name": "Nora Nyberg",
            "locale": "nn-NO",
            "roles": [],
        }
        claims.update(changes)
        return {k: v for k, v in claims.items() if v is not None}

    def sign(self, claims: dict, *, key=None, alg="RS256") -> str:
        key = key or self.key
        header = {"alg": alg, "typ": "JWT"}
        if isinstance(key, RSAKey):
            header["kid"] = key.kid
        return jwt.encode(header, claims, key)

    @staticmethod
    def unsigned(claims: dict) -> str:
        return f"{b64(json.dumps({'alg': 'none', 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims).encode())}."

    def hmac_with_public_key(self, claims: dict) -> str:
        """The old trick: an HS256 token whose secret is the provider's public key."""
        public = json.dumps(self.key.as_dict(private=False), sort_keys=True).encode()
        return jwt.encode({"alg": "HS256", "kid": self.key.kid}, claims, OctKey.import_key(public))

    # The server
    def start(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                path = urlsplit(self.path).path
                if path == "/.well-known/openid-configuration":
                    self._json(200, provider.metadata())
                elif path == "/jwks":
                    provider.jwks_requests += 1
                    self._json(200, provider.jwks())
                else:
                    self._json(404, {"error": "not_found"})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                form["authorization"] = self.headers.get("Authorization", "")
                provider.token_requests.append(form)
                if provider.token_error:
                    self._json(400, {"error": provider.token_error, "error_description": "test"})
                else:
                    self._json(
                        200,
                        {
                            "access_token": "at",
                            "token_type": "Bearer",
                            "expires_in": 300,
                            "id_token": provider.id_token,
                        },
                    )

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def s256(verifier: str) -> str:
    return b64(hashlib.sha256(verifier.encode()).digest())


def start_login(client, next_url: str = "") -> dict:
    """Press the button; return the parameters the portal sent to the provider."""
    response = client.get("/logg-inn/sso/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302, response.content[:500]
    location = response["Location"]
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()} | {"_url": location}


def finish_login(client, provider: TokenProvider, params: dict, token: str | None = None, **claims):
    """The provider sends the browser back with a code; its token endpoint returns `token`
    (or a correctly signed one with `claims` changed)."""
    provider.id_token = token if token is not None else provider.sign(provider.claims(params["nonce"], **claims))
    return client.get("/logg-inn/sso/svar/", {"code": "code-1", "state": params["state"]})
