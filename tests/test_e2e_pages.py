"""Every page, scanned with axe in headless Chromium: for each role, in each language,
on a phone-sized screen too, and used with the keyboard alone."""

import pytest

from plans import services

from .browser import assert_accessible, log_in
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plans(make_plan, cast):
    draft = make_plan("draft", main_target_group="")  # not ready: the readiness panel lists problems
    revised = make_plan("changes_requested")
    services.plan_resubmit(plan=revised, actor=cast["member"])
    waiting = make_plan("awaiting_leader")
    return {"draft": draft, "revised": revised, "waiting": waiting}


def scan(page, url):
    response = page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)
    return response


def test_member_pages(browser, live_server, cast, plans, settings, tmp_path):
    base = live_server.url
    settings.MAIL_CATCHER_DIR = tmp_path
    (tmp_path / "20261126-100000-000000-demo.eml").write_text(
        "Subject: Ny plan for sosiale medier\nFrom: some@example.no\nTo: info@helse-bergen.no\n"
        "Date: Thu, 26 Nov 2026 10:00:00 +0100\n\nPlanen ligg ved.\n"
    )
    page = browser.new_context().new_page()
    scan(page, f"{base}/")
    page.goto(f"{base}/logg-inn/")
    page.fill("#id_username", cast["member"].email)
    page.fill("#id_password", "wrong password")
    page.click("main form button[type=submit]")
    assert_accessible(page)  # the login error
    log_in(page, base, cast["member"].email, PASSWORD)
    for path in [
        "/",
        "/planer/",
        "/planer/?status=draft",
        "/planer/ny/",
        f"/planer/{plans['draft'].pk}/",
        f"/planer/{plans['draft'].pk}/rediger/",
        f"/planer/{plans['revised'].pk}/",
        f"/planer/{plans['revised'].pk}/versjoner/2/",
        f"/planer/{plans['revised'].pk}/sammenlign/",
        "/demo/e-post/",
        "/demo/e-post/20261126-100000-000000-demo.eml/",
    ]:
        scan(page, base + path)
    assert scan(page, f"{base}/planer/999999/").status == 404
    assert scan(page, f"{base}/behandling/").status == 403

    # The edit form with errors, and with a conflict.
    scan(page, f"{base}/planer/{plans['draft'].pk}/rediger/")
    page.fill("#id_hours_per_week", "-4")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert_accessible(page)
    plan = plans["draft"]
    plan.refresh_from_db()
    services.plan_update(plan=plan, actor=cast["deputy"], revision=plan.revision, content=services.PlanContent())
    page.fill("#id_hours_per_week", "4")
    page.click("button[name=save]")
    page.wait_for_load_state()
    assert page.locator(".portal-conflict").is_visible()
    assert_accessible(page)


def test_adviser_and_leader_pages(browser, live_server, cast, plans):
    base = live_server.url
    adviser = browser.new_context().new_page()
    log_in(adviser, base, cast["adviser"].email, PASSWORD)
    for path in ["/behandling/", f"/behandling/{plans['revised'].pk}/", f"/planer/{plans['revised'].pk}/", "/planer/"]:
        scan(adviser, base + path)
    leader = browser.new_context().new_page()
    log_in(leader, base, cast["leader"].email, PASSWORD)
    scan(leader, f"{base}/planer/{plans['waiting'].pk}/")


@pytest.mark.parametrize("language", ["nn", "en"])
def test_pages_in_nynorsk_and_english(language, browser, live_server, cast, plans):
    base = live_server.url
    cast["member"].language = language  # logging in follows the person's saved language
    cast["member"].save()
    page = browser.new_context().new_page()
    log_in(page, base, cast["member"].email, PASSWORD)
    for path in ["/", f"/planer/{plans['draft'].pk}/rediger/", f"/planer/{plans['revised'].pk}/"]:
        scan(page, base + path)
        assert page.locator("html").get_attribute("lang") == language


def test_on_a_phone(browser, live_server, cast, plans):
    base = live_server.url
    page = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True).new_page()
    log_in(page, base, cast["member"].email, PASSWORD)
    for path in ["/", f"/planer/{plans['draft'].pk}/rediger/", f"/planer/{plans['revised'].pk}/"]:
        scan(page, base + path)
        # Nothing wider than the screen: no sideways scrolling.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_keyboard_alone(browser, live_server, cast, plans):
    base = live_server.url
    page = browser.new_context().new_page()
    page.goto(f"{base}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "ds-skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    # Log in with the keyboard only (the e-mail field has focus when the page opens).
    page.goto(f"{base}/logg-inn/")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'id_username'")
    page.keyboard.type(cast["leader"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/logg-inn/" not in page.url
    page.goto(f"{base}/planer/{plans['waiting'].pk}/")
    # Tab to the confirm button and press it.
    seen = []
    for _ in range(60):
        page.keyboard.press("Tab")
        seen.append(page.evaluate("document.activeElement.outerHTML.slice(0, 80)"))
        if page.evaluate(
            "document.activeElement.closest('form') && document.activeElement.closest('form').action.endsWith('/handling/submit/')"
        ):
            break
    else:
        pytest.fail("The confirm button cannot be reached with Tab:\n" + "\n".join(seen))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    plans["waiting"].refresh_from_db()
    assert plans["waiting"].status == "submitted"
