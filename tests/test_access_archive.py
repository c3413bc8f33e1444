"""Who may see the archive page, change its settings and send a package again: the
Communications Department's advisers only, as on the department's other pages. Anonymous
visitors are sent to log in; everyone else gets 403 and nothing changes.

COVERED_URLS lists the URL names this module checks for every role (tests/test_security.py)."""

import pytest
from django.urls import reverse

from archive.models import Package, PackageKind, PackageStatus
from archive.services import archive_settings

pytestmark = pytest.mark.django_db

COVERED_URLS = {"archive:index", "archive:settings", "archive:send_again"}

ROLES = ["anonymous", "member", "deputy", "leader", "other", "adviser", "admin"]
DEPARTMENT = {"adviser"}  # as every page of the department: an administrator who is not an adviser gets 403


@pytest.fixture
def failed(cast):
    return Package.objects.create(
        settings=archive_settings(),
        kind=PackageKind.PLAN_SENT,
        source="test:1",
        title="Blodbanken i Bergen: Instagram, versjon 1",
        status=PackageStatus.FAILED,
        last_error="Arkivdelen er lukka",
    )


def outcome(response):
    if response.status_code == 302 and "/logg-inn/" in response["Location"]:
        return "login"
    return response.status_code


def login(client, cast, role):
    if role != "anonymous":
        client.force_login(cast[role])
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ["archive:index", "archive:settings"])
def test_the_pages(role, name, client, cast, failed):
    response = login(client, cast, role).get(reverse(name))
    expected = 200 if role in DEPARTMENT else "login" if role == "anonymous" else 403
    assert outcome(response) == expected
    if expected == 200 and name == "archive:index":
        assert "Arkivdelen er lukka" in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_send_again(role, client, cast, failed):
    response = login(client, cast, role).post(reverse("archive:send_again", args=[failed.pk]))
    failed.refresh_from_db()
    if role in DEPARTMENT:
        assert outcome(response) == 302 and failed.status == PackageStatus.WAITING
    else:
        assert outcome(response) == ("login" if role == "anonymous" else 403)
        assert failed.status == PackageStatus.FAILED and failed.last_error == "Arkivdelen er lukka"


def test_send_again_is_post_only(client, cast, failed):
    client.force_login(cast["adviser"])
    assert client.get(reverse("archive:send_again", args=[failed.pk])).status_code == 405
    assert client.post(reverse("archive:send_again", args=[failed.pk + 1000])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_changing_the_settings(role, client, cast):
    data = {
        "organisation_number": "983974724",
        "system": "SoMe-portalen",
        "archive_part": "SOME",
        "classification_system": "ORG",
        "class_id": "026",
        "class_title": "Informasjon og kommunikasjon",
        "administrative_unit": "Kommunikasjonsavdelinga",
        "case_officer": "Marte Solheim",
        "case_officer_email": "",
        "screening_code": "",
        "screening_basis": "",
        "outbox": "",
        "inbox": "",
    }
    response = login(client, cast, role).post(reverse("archive:settings"), data)
    current = archive_settings()
    if role in DEPARTMENT:
        assert outcome(response) == 302 and current.archive_part == "SOME" and current.case_officer == "Marte Solheim"
    else:
        assert outcome(response) == ("login" if role == "anonymous" else 403)
        assert current.archive_part == "SAK"


def test_screening_needs_its_legal_basis_and_bad_input_changes_nothing(client, cast):
    client.force_login(cast["adviser"])
    response = client.post(
        reverse("archive:settings"),
        {"system": "S", "archive_part": "SAK", "screening_code": "13"},
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()  # both, or neither
    assert "error-summary" in response.content.decode()
    assert archive_settings().screening_code == ""
