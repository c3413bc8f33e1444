"""In headless Chromium at desk and phone width: an adviser stopped by the competence gate signs
the person up for the next session from the account's page and comes back to it; an adviser
cancels a session through the confirmation dialog, with a reason that reaches the e-mail; a
newcomer in no unit is told where to start. Every page is scanned with axe, and nothing is
wider than the screen."""

import os

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from courses import services
from courses.models import Enrollment, Session, SessionStatus
from registry import services as registry
from registry.models import CHECKLIST_KEYS

from .browser import assert_accessible, dialog_shown, log_in
from .conftest import PASSWORD, make_user
from .courses_helpers import train

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = [{"width": 1280, "height": 900}, {"width": 390, "height": 844}]


def shot(page, tmp_path, name):
    """Kept for a person to look at (SCREENSHOT_DIR), or in the test's own folder."""
    folder = os.environ.get("SCREENSHOT_DIR") or tmp_path
    page.screenshot(path=f"{folder}/{name}-{page.viewport_size['width']}.png", full_page=True)


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desk", "phone"])
def test_the_gate_offers_to_sign_the_person_up(
    browser, live_server, cast, basic_course, self_study, make_account, make_session, viewport, tmp_path
):
    account = make_account()
    for item in CHECKLIST_KEYS:
        registry.account_check(account=account, actor=cast["adviser"], item=item, checked=True)
    train(cast["member"], basic_course)
    session = make_session()
    page = browser.new_context(viewport=viewport).new_page()
    log_in(page, live_server.url, cast["adviser"].email, PASSWORD)
    page.goto(live_server.url + reverse("registry:detail", args=[account.pk]))
    assert_accessible(page)
    training = page.locator("#training")
    assert "Jonas Berg" in training.inner_text()
    shot(page, tmp_path, "gate-remedies")
    fits(page)
    with page.expect_navigation():
        training.locator(f"form[action$='/okt/{session.pk}/meld-pa/'] button").click()
    assert page.url.endswith("#training")
    assert_accessible(page)
    assert Enrollment.objects.get(user=cast["deputy"], session=session).signed_up_by == cast["adviser"]
    assert page.locator(".ds-alert[data-color=success]").count() == 1
    fits(page)
    # Their record, and the course page that names the self-study version.
    page.goto(live_server.url + reverse("courses:person_record", args=[cast["deputy"].pk]))
    assert_accessible(page)
    shot(page, tmp_path, "person-record")
    fits(page)
    page.goto(live_server.url + reverse("courses:detail", args=[basic_course.slug]))
    assert_accessible(page)
    assert page.locator("#self-study").is_visible()
    shot(page, tmp_path, "course-self-study")
    fits(page)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desk", "phone"])
def test_cancelling_a_session_asks_in_a_dialog(browser, live_server, cast, make_session, viewport, tmp_path):
    session = make_session()
    services.enroll(actor=cast["member"], session=session)
    page = browser.new_context(viewport=viewport).new_page()
    log_in(page, live_server.url, cast["adviser"].email, PASSWORD)
    page.goto(live_server.url + reverse("courses:session", args=[session.pk]))
    assert_accessible(page)
    shot(page, tmp_path, "session-adviser")
    fits(page)
    page.fill("#reason", "Kursleiaren er sjuk.")
    page.locator("#cancel > button[type=submit]").click()
    dialog = page.locator("#confirm-cancel")
    assert dialog_shown(page, "confirm-cancel")
    assert_accessible(page)
    shot(page, tmp_path, "session-cancel-dialog")
    assert Session.objects.get(pk=session.pk).status == SessionStatus.SCHEDULED  # not yet
    with page.expect_navigation():
        dialog.locator("button[name=confirmed]").click()
    assert Session.objects.get(pk=session.pk).status == SessionStatus.CANCELLED
    [mail] = OutboundEmail.objects.filter(template="courses/session_cancelled")
    assert "Kursleiaren er sjuk." in mail.body_text
    assert_accessible(page)
    fits(page)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desk", "phone"])
def test_a_newcomer_is_shown_where_to_start(browser, live_server, cast, viewport, tmp_path):
    make_user("nils@example.no", "Nils Ny")
    page = browser.new_context(viewport=viewport).new_page()
    log_in(page, live_server.url, "nils@example.no", PASSWORD)
    page.goto(live_server.url + "/")
    assert_accessible(page)
    assert page.locator("#first-steps li").count() == 3
    shot(page, tmp_path, "home-newcomer")
    fits(page)


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=["desk", "phone"])
def test_a_session_in_the_past_gets_a_clear_form_error(browser, live_server, cast, basic_course, viewport, tmp_path):
    page = browser.new_context(viewport=viewport).new_page()
    log_in(page, live_server.url, cast["adviser"].email, PASSWORD)
    page.goto(live_server.url + reverse("courses:session_create", args=[basic_course.slug]))
    page.fill("#id_day", "01.01.2020")
    page.fill("#id_start", "09.00")
    page.fill("#id_end", "12.00")
    page.fill("#id_place", "Auditorium 2")
    with page.expect_navigation():
        page.locator("main form.portal-form button[type=submit]").click()
    assert_accessible(page)
    assert "Økten ville startet i fortiden" in page.locator("main").inner_text()
    shot(page, tmp_path, "session-form-past")
    fits(page)
    assert not Session.objects.exists()
