"""The demo's single sign-on: a local OpenID Connect provider (demo/oidc_provider/server.mjs,
node-oidc-provider) that knows the demo people, with the demo advisers and the administrator
given their roles through the token's `roles` claim, and one person who is not in the portal
yet, so a first login can be tried."""

import json
import shutil
from pathlib import Path

from django.conf import settings

CLIENT_ID = "some-portalen-demo"
CLIENT_SECRET = "demo-secret-not-for-production"
PASSWORD = "demo"
SERVER = Path(__file__).resolve().parent / "oidc_provider" / "server.mjs"
ADVISER_ROLE = "SoMe.Adviser"
ADMINISTRATOR_ROLE = "SoMe.Administrator"
# Not in the demo data: the first login creates her.
NEWCOMER = {"email": "nora.nyberg@eksempel.no", "name": "Nora Nyberg", "locale": "nn"}


def subject_for(email: str) -> str:
    """The demo provider's stable subject for a demo person (demo_load stores it)."""
    return "demo-" + email.split("@")[0]


def provider_people() -> list[dict]:
    """The demo people as the provider knows them, each with their organisation's address name in
    the `organisation` claim (SSO_ORGANISATION_CLAIM in the demo)."""
    from demo.management.commands.demo_load import ADMIN_EMAIL, ADVISERS, ORGANISATION, email_for
    from demo.organisations import REGION, REGIONAL_ADVISER, STAVANGER, stavanger_people

    bergen = settings.DEFAULT_ORGANISATION["slug"]
    names = []
    for _name, _kind, _parent, leader, members in ORGANISATION:
        names += ([leader] if leader else []) + members
    everyone = [(name, email_for(name), name in ADVISERS, bergen) for name in dict.fromkeys(names)]
    everyone += [(name, email, adviser, STAVANGER["slug"]) for name, email, adviser in stavanger_people()]
    everyone.append((*REGIONAL_ADVISER, True, REGION["slug"]))
    people = []
    for name, email, adviser, organisation in everyone:
        roles = [ADVISER_ROLE] if adviser else []
        people.append(
            {
                "sub": subject_for(email),
                "email": email,
                "name": name,
                "locale": "nb",
                "roles": roles,
                "organisation": organisation,
            }
        )
    people.append(
        {
            "sub": subject_for(ADMIN_EMAIL),
            "email": ADMIN_EMAIL,
            "name": "Tor Lunde (administrator)",
            "locale": "nb",
            "roles": [ADMINISTRATOR_ROLE],
            "organisation": bergen,
        }
    )
    people.append({"sub": subject_for(NEWCOMER["email"]), **NEWCOMER, "roles": []})
    return people


def provider_config(*, issuer: str, port: int, portal_urls: list[str], people_file: Path, tenant_id: str = "") -> dict:
    return {
        "issuer": issuer,
        "port": port,
        "host": "127.0.0.1",
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": [f"{url}/logg-inn/sso/svar/" for url in portal_urls],
        "post_logout_redirect_uris": [f"{url}/" for url in portal_urls],
        "people_file": str(people_file),
        "password": PASSWORD,
        "tenant_id": tenant_id,
        "cookie_key": "demo-provider-cookie-key-not-secret",
    }


def provider_missing() -> str:
    """Why the provider cannot start here, or "" when it can."""
    if not shutil.which("node"):
        return "Node.js is not installed"
    if not (settings.BASE_DIR / "node_modules" / "oidc-provider").exists():
        return "the oidc-provider package is missing (run `make assets`)"
    return ""


def write_provider_files(directory: Path, *, issuer: str, port: int, portal_urls: list[str], people=None) -> Path:
    """Write the provider's configuration and people; returns the configuration file."""
    directory.mkdir(parents=True, exist_ok=True)
    people_file = directory / "people.json"
    people_file.write_text(json.dumps(provider_people() if people is None else people, ensure_ascii=False, indent=1))
    config_file = directory / "config.json"
    config = provider_config(issuer=issuer, port=port, portal_urls=portal_urls, people_file=people_file)
    config_file.write_text(json.dumps(config, indent=1))
    return config_file


def provider_command(config_file: Path) -> list[str]:
    return [shutil.which("node") or "node", str(SERVER), str(config_file)]
