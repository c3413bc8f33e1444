"""Headless Chromium (Debian's) driven by Playwright, with an axe scan helper."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
_axe = Axe()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between browser steps are still ordinary synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield browser
        browser.close()


def assert_accessible(page):
    """Scan the page with axe-core; any violation fails the test with axe's own report."""
    results = _axe.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def dialog_shown(page, dialog_id) -> bool:
    """The dialog is open and has finished fading in (so axe sees its real colours)."""
    page.wait_for_function(
        f"() => {{ const d = document.getElementById('{dialog_id}'); "
        "return d.open && d.getAnimations({subtree: true}).every(a => a.playState !== 'running'); }"
    )
    return page.locator(f"#{dialog_id}").is_visible()


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/logg-inn/")
    assert_accessible(page)
    page.fill("#id_username", email)
    page.fill("#id_password", password)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
