"""The organisation file is held the way every upload waiting for confirmation is (core/held.py):
confirmed by the administrator who uploaded it (another's upload is a 404), asked for again
once it has expired, let go of once applied, and never read past its size limit."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core.models import HeldUpload
from organisation import services
from organisation.models import SyncRun
from organisation.reader import MAX_BYTES

from .conftest import make_user

FILE = "enhet_id;navn;overordnet_id;nivå;leder\n100;Helse Bergen HF;;helseføretak;\n".encode()


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def colleague(db):
    return make_user("kari@example.no", "Kari Administrator", is_staff=True, is_superuser=True)


def upload(client, content=FILE):
    return client.post(reverse("organisation:sync"), {"file": SimpleUploadedFile("org.csv", content)})


def test_the_file_is_held_for_the_administrator_who_uploaded_it(client, cast):
    client.force_login(cast["admin"])
    assert upload(client).status_code == 302
    run = SyncRun.objects.get()
    held = HeldUpload.objects.get()
    assert (held.owner, held.purpose, held.filename, held.record_id) == (
        cast["admin"],
        "organisation.sync",
        "org.csv",
        run.pk,
    )
    assert services.run_file(run) == FILE and held.sha256 == run.sha256


def test_another_administrator_cannot_confirm_it(client, cast, colleague):
    client.force_login(cast["admin"])
    upload(client)
    run = SyncRun.objects.get()
    client.force_login(colleague)
    page = client.get(reverse("organisation:run", args=[run.pk]))
    assert page.status_code == 200 and reverse("organisation:confirm", args=[run.pk]) not in page.content.decode()
    assert client.post(reverse("organisation:confirm", args=[run.pk])).status_code == 404
    run.refresh_from_db()
    assert run.status == SyncRun.Status.PREVIEW


def test_a_scheduled_file_held_back_is_confirmed_by_any_administrator(client, cast, colleague):
    run = services.sync_preview(content=FILE, filename="org.csv", source=SyncRun.Source.DROP)
    assert HeldUpload.objects.get().owner is None
    client.force_login(colleague)
    assert client.post(reverse("organisation:confirm", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == SyncRun.Status.QUEUED


def test_an_expired_file_asks_to_be_uploaded_again(client, cast):
    client.force_login(cast["admin"])
    upload(client)
    run = SyncRun.objects.get()
    HeldUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    from core.periodic import delete_expired_uploads

    delete_expired_uploads(now=timezone.now())
    response = client.post(reverse("organisation:confirm", args=[run.pk]), follow=True)
    assert "The checked file is too old. Upload it again." in response.content.decode()
    run.refresh_from_db()
    assert run.status == SyncRun.Status.PREVIEW


def test_an_applied_file_is_let_go_of(cast):
    run = services.sync_preview(content=FILE, filename="org.csv", actor=cast["admin"])
    services.sync_apply(run=run, actor=cast["admin"])
    run.refresh_from_db()
    assert run.status == SyncRun.Status.APPLIED
    assert not HeldUpload.objects.exists()


def test_a_file_over_the_limit_is_not_read_or_held(client, cast):
    client.force_login(cast["admin"])
    response = client.post(
        reverse("organisation:sync"), {"file": SimpleUploadedFile("org.csv", FILE)}, CONTENT_LENGTH=str(MAX_BYTES * 2)
    )
    assert "The file is larger than 20 MB." in response.content.decode()
    response = upload(client, FILE + b"x" * MAX_BYTES)
    assert "The file is larger than 20 MB." in response.content.decode()
    assert not SyncRun.objects.exists() and not HeldUpload.objects.exists()
