"""End to end in headless Chromium, at desk and phone width: a member finds the basic
course and signs up; the invitation arrives at a real SMTP server through the real
worker, with its calendar part; after the session an adviser marks attendance from the
keyboard; the member downloads the certificate. Every page is scanned with axe."""

from datetime import timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from courses.models import Completion, Enrollment, EnrollmentStatus, Session

from .browser import assert_accessible, log_in
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)


def follow(page, locator):
    """Click and wait for the next page (a click returns before its navigation starts)."""
    with page.expect_navigation():
        locator.click()
    assert_accessible(page)


@pytest.mark.parametrize("viewport", [None, {"width": 375, "height": 740}], ids=["desktop", "phone"])
def test_sign_up_invitation_attendance_and_certificate(
    browser, live_server, cast, basic_course, make_session, smtp, run_worker, settings, viewport
):
    base = live_server.url
    settings.SITE_URL = base
    session = make_session(place="Auditorium 3, Haukeland", instructors=[cast["adviser"]])

    options = {"viewport": viewport} if viewport else {}
    member = browser.new_context(**options).new_page()
    log_in(member, base, cast["member"].email, PASSWORD)
    visit(member, f"{base}/kurs/")
    follow(member, member.locator("main a", has_text=basic_course.title).first)
    follow(member, member.locator("main form[action$='/meld-pa/'] button").first)
    assert "/kurs/okt/" in member.url
    assert member.locator(".ds-alert[data-color=success]").is_visible()
    assert Enrollment.objects.get(user=cast["member"]).status == EnrollmentStatus.CONFIRMED
    if viewport:
        assert member.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

    # The worker sends the invitation to the SMTP server.
    run_worker()
    [mail] = smtp.to(cast["member"].email)
    [part] = [p for p in mail.walk() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "REQUEST"
    [event] = Calendar.from_ical(part.get_content().encode()).events
    assert event.start == session.starts_at and str(event["LOCATION"]) == "Auditorium 3, Haukeland"
    assert str(event.attendees[0]) == f"mailto:{cast['member'].email}"

    # The session has been held; the adviser marks attendance from the keyboard.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - timedelta(hours=4), ends_at=timezone.now() - timedelta(hours=1)
    )
    adviser = browser.new_context(**options).new_page()
    log_in(adviser, base, cast["adviser"].email, PASSWORD)
    visit(adviser, f"{base}/kurs/okt/{session.pk}/")
    follow(adviser, adviser.locator("main a", has_text="Registrer oppmøte"))
    # Into the participant's choices, an arrow key to "attended", Tab on to the save button.
    adviser.locator("input[type=radio][value=absent]").first.focus()
    adviser.keyboard.press("ArrowLeft")
    assert adviser.locator("input[type=radio][value=attended]").first.is_checked()
    adviser.keyboard.press("Tab")
    assert adviser.evaluate("document.activeElement.type") == "submit"
    with adviser.expect_navigation():
        adviser.keyboard.press("Enter")
    assert_accessible(adviser)
    completion = Completion.objects.get(user=cast["member"])
    assert completion.course == basic_course

    # The member finds the certificate on their record and downloads it.
    visit(member, f"{base}/kurs/mine/")
    with member.expect_download() as download:
        member.locator(f"a[href$='/kurs/bevis/{completion.pk}.pdf']").click()
    path = download.value.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert download.value.suggested_filename.startswith("kursbevis-")

    # The demo mail page shows the invitation, readable and accessible.
    visit(member, f"{base}/demo/e-post/")


@pytest.mark.parametrize("viewport", [None, {"width": 375, "height": 740}], ids=["desktop", "phone"])
def test_a_leader_cancels_the_place_of_one_of_their_people(browser, live_server, cast, make_session, viewport):
    from courses import services

    base = live_server.url
    session = make_session()
    services.enroll(actor=cast["leader"], session=session, person=cast["member"])
    options = {"viewport": viewport} if viewport else {}
    leader = browser.new_context(**options).new_page()
    log_in(leader, base, cast["leader"].email, PASSWORD)
    visit(leader, f"{base}/kurs/okt/{session.pk}/")
    if viewport:
        assert leader.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    follow(leader, leader.locator("main button", has_text=f"Meld av {cast['member'].full_name}"))
    assert leader.locator(".ds-alert[data-color=success]").is_visible()
    assert Enrollment.objects.get(user=cast["member"]).status == EnrollmentStatus.CANCELLED
    assert leader.locator("main button", has_text="Meld av").count() == 0
