"""The organisation pages in headless Chromium, scanned with axe: an administrator uploads the
register's file, reads the dry run, applies it and watches it finish; an adviser sees the closed
unit with what it still owns. On a phone too."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Unit
from organisation.models import SyncRun

from .browser import assert_accessible, log_in
from .conftest import PASSWORD
from .test_organisation_sync import csv_bytes, tree

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_dry_run_and_apply(browser, live_server, cast, run_worker, tmp_path):
    base = live_server.url
    path = tmp_path / "organisasjon.csv"
    path.write_bytes(csv_bytes(tree()))
    page = browser.new_context().new_page()
    log_in(page, base, cast["admin"].email, PASSWORD)
    page.click("nav a[href='/organisasjon/']")
    page.wait_for_load_state()
    assert_accessible(page)

    # Nothing chosen: a clear message, nothing saved.
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".ds-validation-message").count() == 1
    assert_accessible(page)

    page.set_input_files("#id_file", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "/organisasjon/" in page.url and page.locator("#sync-counts").is_visible()
    page.click("#list-created summary")
    expect(page.locator("#list-created").get_by_text("Avdeling for immunologi og transfusjonsmedisin")).to_be_visible()
    assert_accessible(page)

    page.click("main form[action$='/bruk/'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#sync-progress").is_visible()
    assert_accessible(page)
    run_worker()
    page.reload()
    page.wait_for_load_state()
    assert SyncRun.objects.get().status == SyncRun.Status.APPLIED
    assert page.locator("#sync-progress").count() == 0
    assert_accessible(page)


def test_closed_units_page_for_advisers_on_a_phone(browser, live_server, cast, make_account):
    make_account()
    Unit.objects.filter(pk=cast["unit"].pk).update(is_active=False, closed_at=timezone.now())
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server.url, cast["adviser"].email, PASSWORD)
    page.goto(f"{live_server.url}/organisasjon/nedlagde/")
    page.wait_for_load_state()
    assert page.locator("main table").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)
