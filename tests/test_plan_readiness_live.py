"""In headless Chromium: the readiness panel follows the form field after field, and a
revision asks what changed beside the button that sends it."""

import pytest

from plans.models import Plan

from .browser import assert_accessible, log_in
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET_GROUP = "Beskriv hovedmålgruppen."
CONTENT = "Beskriv hvilke typer innhold dere skal dele."
HOURS = "Sett av mer enn null timer per uke."


def panel_text(page) -> str:
    return page.inner_text("#readiness")


def wait_for_panel(page, gone: str):
    page.wait_for_function(
        "text => !document.getElementById('readiness').innerText.includes(text)", arg=gone, timeout=10_000
    )


def test_the_panel_follows_three_fields_typed_one_after_the_other(browser, live_server, cast, make_plan, tmp_path):
    plan = make_plan("draft", main_target_group="", content_types="", hours_per_week=None)
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(page, live_server.url, cast["member"].email, PASSWORD)
    asked = []
    page.on("response", lambda response: asked.append((response.url, response.status)))
    page.goto(f"{live_server.url}/planer/{plan.pk}/rediger/")
    text = panel_text(page)
    assert TARGET_GROUP in text and CONTENT in text and HOURS in text

    page.fill("#id_main_target_group", "Friske vaksne i Bergen, 18–35 år")
    wait_for_panel(page, TARGET_GROUP)
    assert CONTENT in panel_text(page) and HOURS in panel_text(page)

    page.fill("#id_content_types", "Korte videoar frå tappinga")
    wait_for_panel(page, CONTENT)
    assert HOURS in panel_text(page)

    page.fill("#id_hours_per_week", "4")
    wait_for_panel(page, HOURS)
    assert page.locator("#readiness button[name=send][value=send_to_leader]").is_visible()
    assert_accessible(page)
    page.screenshot(path=tmp_path / "readiness-1280.png")

    checks = [(url, status) for url, status in asked if "/klar/" in url or url.endswith("/null")]
    assert len(checks) >= 3 and all(
        url.endswith(f"/planer/{plan.pk}/klar/") and status == 200 for url, status in checks
    )
    assert Plan.objects.get(pk=plan.pk).main_target_group == ""  # the check saves nothing


@pytest.mark.parametrize("width", [1280, 390])
def test_a_revision_asks_what_changed_beside_the_send_button(width, browser, live_server, cast, make_plan, tmp_path):
    plan = make_plan("changes_requested")
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    log_in(page, live_server.url, cast["member"].email, PASSWORD)
    page.goto(f"{live_server.url}/planer/{plan.pk}/rediger/")
    note = page.locator("#readiness textarea[name=change_note]")
    send = page.locator("#readiness button[name=send][value=resubmit]")
    assert note.is_visible() and send.is_visible()
    # The question comes just before the button, not at the end of the form.
    assert note.bounding_box()["y"] < send.bounding_box()["y"] < note.bounding_box()["y"] + 400
    assert_accessible(page)
    page.fill("#id_hours_per_week", "6,5")
    note.fill("Vi har sett av 6,5 timar i veka.")
    page.wait_for_timeout(1500)  # a check that was under way does not wipe the note
    assert note.input_value() == "Vi har sett av 6,5 timar i veka."
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=tmp_path / f"revision-{width}.png")
    page.locator("#readiness").screenshot(path=tmp_path / f"revision-panel-{width}.png")
    send.click()
    page.wait_for_load_state()
    assert "/sendt/" in page.url
    plan.refresh_from_db()
    version = plan.versions.get(number=2)
    assert version.change_note == "Vi har sett av 6,5 timar i veka."
    assert version.snapshot["hours_per_week"] == "6.5"
