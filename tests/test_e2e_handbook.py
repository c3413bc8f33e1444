"""The handbook in headless Chromium: reading and editing pages pass axe, the live preview works."""

import pytest

from handbook.models import Document

from .browser import assert_accessible, log_in
from .conftest import PASSWORD
from .test_facts import facts  # noqa: F401
from .test_handbook import shipped  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan(page, url):
    page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)


def test_reading_pages_for_the_public(browser, live_server, shipped, facts):  # noqa: F811
    base = live_server.url
    page = browser.new_context().new_page()
    for path in [
        "/strategi/",
        "/handbok/",
        "/handbok/innleiing/",
        "/handbok/individuelle-jobbkontoar/",
        "/handbok/korleis-brukar-haukeland-universitetssjukehus-sosiale-media/",
        "/handbok/vanskelege-meldingar/",
        "/handbok/sok/?q=evaluering",
        "/handbok/sok/?q=og",
    ]:
        scan(page, base + path)
    page.goto(f"{base}/handbok/innleiing/")
    page.click("a[rel=next]")
    page.wait_for_load_state()
    assert page.url.endswith("/handbok/kva-er-sosiale-media/")


def test_editing_pages_and_the_live_preview(browser, live_server, cast, shipped):  # noqa: F811
    base = live_server.url
    page = browser.new_context().new_page()
    log_in(page, base, cast["adviser"].email, PASSWORD)
    scan(page, f"{base}/handbok/")
    scan(page, f"{base}/handbok/bildebruk/rediger/")
    page.fill("#id_body", "## Førehandsvising\n\n<script>window.hacked = 1</script>Tekst med **feit** skrift.")
    page.wait_for_selector("#preview h2:has-text('Førehandsvising')")
    assert page.locator("#preview strong").inner_text() == "feit"
    assert page.evaluate("window.hacked === undefined")
    page.click("button[name=publish]")
    page.wait_for_load_state()
    assert_accessible(page)
    assert Document.objects.get(slug="bildebruk").published.number == 2
    scan(page, f"{base}/handbok/bildebruk/versjonar/")
    scan(page, f"{base}/handbok/bildebruk/samanlikn/?fra=1&til=2")


def test_the_advisers_pages_for_platform_terms_and_placeholders(browser, live_server, cast, shipped, facts):  # noqa: F811
    base = live_server.url
    page = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    log_in(page, base, cast["adviser"].email, PASSWORD)
    for path in [
        "/innhald/plattformar/",
        "/innhald/plattformar/tiktok/",
        "/innhald/felt/",
        "/innhald/felt/sentralbord/",
    ]:
        scan(page, base + path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    page.fill("#id_value", "55 00 00 00")
    page.click("form.portal-form button[type=submit]")
    page.wait_for_url(f"{base}/innhald/felt/")
    assert_accessible(page)
    scan(page, f"{base}/handbok/dette-gjer-vi-ikkje-i-sosiale-media/")
    assert "55 00 00 00" in page.content()
    scan(page, f"{base}/handbok/korleis-brukar-haukeland-universitetssjukehus-sosiale-media/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
