"""End to end in headless Chromium, at desk and phone width: in the demo, the editor
downloads the example export the import page offers, uploads it, reads in words what the
file holds (no column mapping for a file the portal recognises) and saves it; a file of
the unit's own counts gets the column mapping, filled in with the choice once made."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Evaluation, PostFigure

from . import evaluation_files as files
from .browser import assert_accessible, log_in
from .conftest import PASSWORD
from .test_evaluation_import import URLS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SIZES = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def fits(page, size):
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]


@pytest.mark.parametrize("size", ["desk", "phone"])
def test_the_demo_example_is_imported_and_the_preview_says_what_was_read(
    size, browser, live_server, cast, settings, tmp_path, make_plan, make_account
):
    settings.DEMO = True
    base = live_server.url
    plan = make_plan("approved")
    account = make_account(url=URLS["instagram"], status="active", plan=plan)
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    Evaluation.objects.filter(pk=evaluation.pk).update(period_start=date(2026, 9, 1), period_end=date(2026, 11, 30))
    page = browser.new_context(viewport=SIZES[size], accept_downloads=True).new_page()
    log_in(page, base, cast["member"].email, PASSWORD)

    page.goto(base + reverse("evaluations:import", args=[evaluation.pk]))
    assert_accessible(page)
    fits(page, SIZES[size])
    page.screenshot(path=str(tmp_path / f"upload-{size}.png"), full_page=True)
    with page.expect_download() as download:
        page.click("text=Last ned eksempelfilen")
    example = tmp_path / download.value.suggested_filename
    download.value.save_as(example)
    assert example.name.endswith("_instagram.csv")

    page.set_input_files("#id_file", str(example))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "Meta Business Suite – Instagram" in text and "innlegg, publisert" in text
    assert "Hvilken kolonne som er hva" not in text and "ikke i filen" not in text
    assert page.locator("main select").count() == 0
    assert_accessible(page)
    fits(page, SIZES[size])
    page.screenshot(path=str(tmp_path / f"check-{size}.png"), full_page=True)
    page.click("text=Lagre tallene")
    page.wait_for_load_state()
    assert PostFigure.objects.filter(account=account).exists()


def test_a_file_of_the_units_own_counts_shows_the_columns_chosen(
    browser, live_server, cast, tmp_path, make_plan, make_account
):
    base = live_server.url
    account = make_account(url=URLS["tiktok"], status="active", plan=make_plan("approved"))
    evaluation = services.evaluation_start(account=account, actor=cast["member"])
    own = tmp_path / "tiktok.csv"
    own.write_bytes(files.generic_csv())
    desk = browser.new_context(viewport=SIZES["desk"]).new_page()
    log_in(desk, base, cast["member"].email, PASSWORD)
    desk.goto(base + reverse("evaluations:import", args=[evaluation.pk]))
    desk.set_input_files("#id_file", str(own))
    desk.click("main form button[type=submit]")
    desk.wait_for_load_state()
    desk.select_option("#id_date", "Dato")
    desk.select_option("#id_views", "Visningar")
    desk.check("#id_day_first")
    desk.click("text=Les filen med disse kolonnene")
    desk.wait_for_load_state()
    phone = browser.new_context(viewport=SIZES["phone"]).new_page()
    log_in(phone, base, cast["member"].email, PASSWORD)
    phone.goto(desk.url)
    for size, page in (("desk", desk), ("phone", phone)):
        assert page.input_value("#id_date") == "Dato" and page.input_value("#id_views") == "Visningar"
        assert page.is_checked("#id_day_first")
        assert "Tall for 3 dager" in page.inner_text("main")
        assert_accessible(page)
        fits(page, SIZES[size])
        page.screenshot(path=str(tmp_path / f"generic-{size}.png"), full_page=True)
