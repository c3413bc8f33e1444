"""An unsaved import of key figures holds its file the way every upload waiting for confirmation
does (core/held.py): the column mapping reads it again while it is held, asks for it again once
it has expired, and saving the figures lets go of it."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from core.models import HeldUpload
from evaluations import importing, services
from evaluations.models import Evaluation, FigureImport

FILE = b"Dato;Visningar\n01.11.2026;12\n02.11.2026;30\n"


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def evaluation(cast, make_plan, make_account):
    account = make_account(url="https://www.tiktok.com/@blodbanken_bergen", status="active", plan=make_plan("approved"))
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    Evaluation.objects.filter(pk=evaluation.pk).update(period_start=date(2026, 11, 1), period_end=date(2026, 11, 30))
    return evaluation


def uploaded(client, evaluation) -> FigureImport:
    url = reverse("evaluations:import", args=[evaluation.pk])
    assert client.post(url, {"file": SimpleUploadedFile("eigne.csv", FILE)}).status_code == 302
    return FigureImport.objects.latest("pk")


def map_columns(client, evaluation, figure_import):
    url = reverse("evaluations:import_check", args=[evaluation.pk, figure_import.pk])
    return client.post(url, {"date": "Dato", "views": "Visningar", "day_first": "on"}, follow=True)


def test_the_file_is_held_for_the_mapping_and_let_go_of_once_saved(client, cast, evaluation):
    client.force_login(cast["member"])
    figure_import = uploaded(client, evaluation)
    held = HeldUpload.objects.get(purpose=importing.HELD_PURPOSE)
    assert (held.owner, held.record_id, held.size) == (cast["member"], figure_import.pk, len(FILE))
    map_columns(client, evaluation, figure_import)
    figure_import.refresh_from_db()
    assert figure_import.day_rows == 2
    client.post(reverse("evaluations:import_save", args=[evaluation.pk, figure_import.pk]))
    figure_import.refresh_from_db()
    assert figure_import.status == FigureImport.Status.SAVED
    assert not HeldUpload.objects.exists()


def test_an_expired_file_is_asked_for_again(client, cast, evaluation):
    client.force_login(cast["member"])
    figure_import = uploaded(client, evaluation)
    HeldUpload.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    from core.periodic import delete_expired_uploads

    delete_expired_uploads(now=timezone.now())
    response = map_columns(client, evaluation, figure_import)
    assert "The checked file is too old. Upload it again." in response.content.decode()
    figure_import.refresh_from_db()
    assert figure_import.file_format == "unrecognised" and figure_import.status == FigureImport.Status.PENDING


def test_the_oldest_unsaved_imports_go_with_their_files(client, cast, evaluation):
    client.force_login(cast["member"])
    imports = [uploaded(client, evaluation) for _n in range(importing.MAX_UNSAVED + 1)]
    assert not FigureImport.objects.filter(pk=imports[0].pk).exists()
    assert sorted(HeldUpload.objects.values_list("record_id", flat=True)) == [i.pk for i in imports[1:]]
