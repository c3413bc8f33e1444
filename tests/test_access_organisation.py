"""Who may see and do what on the organisation pages: the sync is for administrators, the
list of closed units to hand over for advisers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Unit
from organisation import services
from organisation.models import SyncRun

ROLES = ["anonymous", "member", "leader", "other", "adviser", "admin"]
COVERED_URLS = {"organisation:sync", "organisation:run", "organisation:confirm", "organisation:closed"}

FILE = "enhet_id;navn;overordnet_id;nivå;leder\n100;Helse Bergen HF;;helseføretak;\n".encode()
ONLY_ADMIN = {"anonymous": "login", **dict.fromkeys(ROLES[1:5], 403), "admin": None}


def expect(response, expected):
    if expected == "login":
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    else:
        assert response.status_code == expected, response.status_code


@pytest.fixture
def run(db):
    return services.sync_preview(content=FILE, filename="org.csv")


def log_in(client, cast, role):
    if role != "anonymous":
        client.force_login(cast[role])


@pytest.mark.parametrize("role", ROLES)
def test_the_upload_page(client, cast, role):
    log_in(client, cast, role)
    expect(client.get(reverse("organisation:sync")), {**ONLY_ADMIN, "admin": 200}[role])


@pytest.mark.parametrize("role", ROLES)
def test_uploading_a_file(client, cast, role):
    log_in(client, cast, role)
    response = client.post(reverse("organisation:sync"), {"file": SimpleUploadedFile("org.csv", FILE)})
    expect(response, {**ONLY_ADMIN, "admin": 302}[role])
    assert SyncRun.objects.exists() == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_the_dry_run_page(client, cast, run, role):
    log_in(client, cast, role)
    expect(client.get(reverse("organisation:run", args=[run.pk])), {**ONLY_ADMIN, "admin": 200}[role])


@pytest.mark.parametrize("role", ROLES)
def test_confirming(client, cast, run, role):
    log_in(client, cast, role)
    expect(client.post(reverse("organisation:confirm", args=[run.pk])), {**ONLY_ADMIN, "admin": 302}[role])
    run.refresh_from_db()
    assert (run.status == SyncRun.Status.QUEUED) == (role == "admin")


def test_confirming_is_post_only(client, cast, run):
    client.force_login(cast["admin"])
    assert client.get(reverse("organisation:confirm", args=[run.pk])).status_code == 405


def test_an_unknown_run_is_404(client, cast):
    client.force_login(cast["admin"])
    assert client.get(reverse("organisation:run", args=[999])).status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_the_closed_units_page(client, cast, role):
    log_in(client, cast, role)
    expected = {"anonymous": "login", **dict.fromkeys(ROLES[1:4], 403), "adviser": 200, "admin": 403}[role]
    expect(client.get(reverse("organisation:closed")), expected)


@pytest.fixture
def mass_run(db):
    """A file that would close 1 of 2 units (50 %): held back, to be applied only by an administrator
    who confirms the warning."""
    Unit.objects.create(name="Helse Bergen HF", kind=Unit.Kind.TRUST, register_id="100")
    Unit.objects.create(name="Kvinneklinikken", kind=Unit.Kind.CLINIC, register_id="200")
    run = services.sync_preview(content=FILE, filename="org.csv")
    SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.HELD)
    return run


@pytest.mark.parametrize("role", ROLES)
def test_the_warning_before_a_mass_change(client, cast, mass_run, role):
    log_in(client, cast, role)
    response = client.get(reverse("organisation:run", args=[mass_run.pk]))
    expect(response, {**ONLY_ADMIN, "admin": 200}[role])
    if role == "admin":
        assert 'id="mass-warning"' in response.content.decode()
    expect(client.post(reverse("organisation:confirm", args=[mass_run.pk])), {**ONLY_ADMIN, "admin": 200}[role])


@pytest.mark.parametrize("role", ROLES)
def test_confirming_a_mass_change(client, cast, mass_run, role):
    log_in(client, cast, role)
    response = client.post(reverse("organisation:confirm", args=[mass_run.pk]), {"confirmed": "1"})
    expect(response, {**ONLY_ADMIN, "admin": 302}[role])
    mass_run.refresh_from_db()
    assert (mass_run.status == SyncRun.Status.QUEUED) == (role == "admin")
    assert mass_run.mass_change_confirmed == (role == "admin")


@pytest.mark.parametrize("role", ROLES)
def test_applying_a_failed_run_again(client, cast, run, role):
    SyncRun.objects.filter(pk=run.pk).update(status=SyncRun.Status.FAILED)
    log_in(client, cast, role)
    expect(client.post(reverse("organisation:confirm", args=[run.pk])), {**ONLY_ADMIN, "admin": 302}[role])
    run.refresh_from_db()
    assert (run.status == SyncRun.Status.QUEUED) == (role == "admin")
