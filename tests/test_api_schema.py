"""The open API keeps to its OpenAPI description: generated requests, good and bad, against
the real application, with every answer checked against the document."""

import importlib
from datetime import date

import jsonschema_rs
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from accounts.models import User
from config.wsgi import application
from platforms.profiles import read_profile
from registry.api.document import document
from registry.models import Account, AccountStatus

# Not positive_data_acceptance: text that fits the `url` parameter's schema is rarely a
# profile, and is then rightly refused with 400.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,
    unsupported_method,
    allow_header_conformance,
]


@pytest.fixture
def register(cast, catalogue):
    """A few accounts in every status, on several platforms and units."""
    editor = User.objects.create_user("redaktor@example.no", "x", full_name="Redaktør Redaktørsen")
    rows = [
        ("https://www.instagram.com/blodbanken_bergen/", AccountStatus.ACTIVE, cast["unit"]),
        ("https://www.tiktok.com/@blodbanken", AccountStatus.PAUSED, cast["unit"]),
        ("https://x.com/blodbanken", AccountStatus.CLOSED, cast["other_unit"]),
        ("https://www.facebook.com/hjartebergen", AccountStatus.ACTIVE, cast["other_unit"]),
        ("https://www.youtube.com/@oppsett", AccountStatus.SETUP, cast["clinic"]),
    ]
    for number, (url, status, unit) in enumerate(rows):
        profile = read_profile(url)
        Account.objects.create(
            platform=profile.platform,
            handle=profile.handle,
            handle_key=profile.key,
            url=profile.url,
            display_name=f"Konto {number}",
            purpose="Til prøving.",
            languages=["nb"],
            unit=unit,
            editor=editor,
            login_email=f"konto{number}@example.no",
            response_hours="Kvardagar",
            response_time="Innan ein dag",
            status=status,
            live_since=None if status == AccountStatus.SETUP else date(2024, 1, 1),
            closed_on=date(2025, 1, 1) if status == AccountStatus.CLOSED else None,
        )


# The document as the application serves it with the catalogue the migrations seed (a test
# below checks that it is the same). It is built here, before any database is there, so that
# every operation becomes a test of its own.
SEEDED_SLUGS = [
    slug for _name, slug, _pattern in importlib.import_module("platforms.migrations.0002_catalogue").CATALOGUE
]
schema = schemathesis.openapi.from_dict(document(platform_slugs=SEEDED_SLUGS))
schema.app = application


@pytest.fixture
def wsgi(db, register, settings):
    """Requests go through the real WSGI application, as a server sends them."""
    settings.ALLOWED_HOSTS = ["localhost"]
    # Like Django's test client, keep the test's database connection (and the transaction
    # it rolls back afterwards) open between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_description(case, wsgi):
    case.call_and_validate(checks=CHECKS)


def test_the_document_tested_is_the_one_served(client, catalogue):
    assert set(catalogue) == set(SEEDED_SLUGS)
    assert client.get("/api/v1/openapi.json").json() == document(platform_slugs=SEEDED_SLUGS)


def test_the_examples_in_the_description_are_valid(db, catalogue):
    """Every example answer in the document fits the schema it illustrates."""
    described = document()
    components = described["components"]
    checked = 0
    for item in described["paths"].values():
        for operation in item.values():
            for response in operation["responses"].values():
                response = components["responses"].get(response.get("$ref", "").rsplit("/", 1)[-1], response)
                for media in response.get("content", {}).values():
                    if "example" not in media:
                        continue
                    validator = jsonschema_rs.validator_for(
                        {**media["schema"], "components": components}, validate_formats=True
                    )
                    validator.validate(media["example"])
                    checked += 1
    assert checked >= 8
