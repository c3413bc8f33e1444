"""The organisation pages: upload, dry run, confirm, apply in the background with progress,
and the advisers' list of closed units to hand over."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Unit
from organisation.models import SyncRun

from .test_organisation_sync import csv_bytes, tree


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["some_language"] = "en"


def upload(client, content, name="org.csv"):
    return client.post(reverse("organisation:sync"), {"file": SimpleUploadedFile(name, content)})


def test_upload_dry_run_confirm_and_apply(client, cast, run_worker):
    client.force_login(cast["admin"])
    assert "The organisation from the register" in client.get(reverse("organisation:sync")).content.decode()
    response = upload(client, csv_bytes(tree(leader="hakon@example.no", members="silje@example.no")))
    run = SyncRun.objects.get()
    assert response["Location"] == reverse("organisation:run", args=[run.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Dry run" in page and "Nothing has changed yet." in page and "Apply these changes" in page
    assert "Blodbanken i Bergen" in page  # listed among the new units (the fixture's is kept by hand: taken over)
    before = Unit.objects.count()

    response = client.post(reverse("organisation:confirm", args=[run.pk]))
    page = client.get(response["Location"]).content.decode()
    assert "data-poll" in page and "Being applied." in page
    assert Unit.objects.count() == before

    run_worker()
    run.refresh_from_db()
    assert run.status == SyncRun.Status.APPLIED
    page = client.get(reverse("organisation:run", args=[run.pk])).content.decode()
    assert "data-poll" not in page and "What changed" in page
    assert Unit.objects.get(register_id="310").leader == cast["leader"]
    # Confirming again does nothing.
    response = client.post(reverse("organisation:confirm", args=[run.pk]), follow=True)
    assert "already been applied" in response.content.decode()


def test_a_bad_file_shows_its_problems_and_cannot_be_applied(client, cast):
    client.force_login(cast["admin"])
    upload(client, csv_bytes([("1", "A", "2", "klinikk", "", ""), ("2", "B", "1", "avdeling", "", "")]))
    page = client.get(reverse("organisation:run", args=[SyncRun.objects.get().pk])).content.decode()
    assert "cycle in the tree" in page and "Apply these changes" not in page


@pytest.mark.parametrize(
    "content, name, message",
    [
        (b"", "org.csv", "The file is empty. Choose another file."),
        (b"navn;leder\nA;b\n", "org.csv", "Missing: unit id, parent id, kind."),
        (b"x", "org.pdf", "Choose a CSV file"),
    ],
)
def test_an_unreadable_file_gets_a_clear_message_and_saves_nothing(client, cast, content, name, message):
    client.force_login(cast["admin"])
    response = upload(client, content, name)
    assert response.status_code == 200 and message in response.content.decode()
    assert not SyncRun.objects.exists()


def test_a_file_that_changes_nothing_says_so(client, cast):
    client.force_login(cast["admin"])
    from organisation import services

    run = services.sync_preview(content=csv_bytes(tree()), filename="org.csv")
    services.sync_apply(run=run)
    upload(client, csv_bytes(tree()))
    page = client.get(reverse("organisation:run", args=[SyncRun.objects.first().pk])).content.decode()
    assert "nothing to change" in page and "Apply these changes" not in page


def test_advisers_see_closed_units_with_what_they_own_and_a_task(client, cast, make_account):
    account = make_account()
    unit = cast["unit"]
    client.force_login(cast["adviser"])
    assert "No closed unit owns anything" in client.get(reverse("organisation:closed")).content.decode()
    from django.utils import timezone

    Unit.objects.filter(pk=unit.pk).update(is_active=False, closed_at=timezone.now())
    page = client.get(reverse("organisation:closed")).content.decode()
    assert unit.name in page and account.display_name in page
    from core.worklist import worklist_for

    items = [i for i in worklist_for(cast["adviser"]) if i.kind == "organisation.handover"]
    assert len(items) == 1 and items[0].url == reverse("organisation:closed")
    assert not [i for i in worklist_for(cast["member"]) if i.kind == "organisation.handover"]


@pytest.mark.django_db(transaction=True)
def test_the_file_is_read_before_the_dry_run_is_stored(client, cast, monkeypatch):
    """An upload is parsed and compared with the organisation outside any transaction: on SQLite
    an open transaction holds the write lock, and every other writer would wait for the parse."""
    from organisation import services

    read_inside = []
    read_rows = services.read_rows

    def watched(*args, **kwargs):
        from django.db import connection

        read_inside.append(connection.in_atomic_block)
        return read_rows(*args, **kwargs)

    monkeypatch.setattr(services, "read_rows", watched)
    client.force_login(cast["admin"])
    upload(client, csv_bytes(tree()))
    assert read_inside == [False]
    assert SyncRun.objects.get().status == SyncRun.Status.PREVIEW
