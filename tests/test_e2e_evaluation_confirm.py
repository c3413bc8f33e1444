"""End to end in headless Chromium: the leader answers for the evaluation. A member writes it
and sends it to the leader at a desk; the leader finds it in their tasks on a phone, reads the
decision and what it means, and returns it with a comment; the member sees the return in their
tasks and on the form, changes it and sends it again; the leader confirms it at a desk, and the
department finds it waiting for feedback. Every page is scanned with axe."""

import pytest

from evaluations.models import Evaluation, EvaluationStatus

from .browser import assert_accessible, log_in
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DESK = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)


def click(page, selector):
    page.click(selector)
    page.wait_for_load_state()
    assert_accessible(page)


def fits(page, viewport):
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_member_sends_leader_returns_then_confirms(browser, live_server, cast, settings, make_plan, make_account):
    base = live_server.url
    settings.SITE_URL = base
    account = make_account(status="active", plan=make_plan("approved"))

    # The member writes the evaluation at a desk and sends it to the leader, proposing to close.
    member = browser.new_context(viewport=DESK).new_page()
    log_in(member, base, cast["member"].email, PASSWORD)
    visit(member, f"{base}/evaluering/konto/{account.pk}/")
    click(member, "main form button[type=submit]")
    evaluation = Evaluation.objects.get()
    goal = evaluation.goals.get()
    member.check(f"#id_goal-{goal.pk}-attainment_2")
    member.fill("#id_result", "Kontoen nådde ikkje målet.")
    member.check("#id_decision_2")
    assert member.is_visible("text=Lagre og send til lederen")
    click(member, "button[value=submit]")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.AWAITING_LEADER
    assert "Bekreft og send" not in member.content()

    # The leader, on a phone, finds it in their tasks, reads the decision, and returns it.
    leader = browser.new_context(viewport=PHONE).new_page()
    log_in(leader, base, cast["leader"].email, PASSWORD)
    visit(leader, f"{base}/")
    assert "Bekreft evalueringen av" in leader.content()
    click(leader, f'a[href^="/evaluering/{evaluation.pk}/"]')
    assert "Legg ned kontoen" in leader.inner_text("#confirm")
    assert "legger den ned i registeret" in leader.inner_text("#confirm")
    fits(leader, PHONE)
    leader.fill("#id_comment", "Skriv kvifor målet ikkje vart nådd.")
    click(leader, "text=Send tilbake til den som skrev den")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and evaluation.returned_by == cast["leader"]

    # The member sees the return, with the comment, in their tasks and on the form, on a phone.
    phone = browser.new_context(viewport=PHONE).new_page()
    log_in(phone, base, cast["member"].email, PASSWORD)
    visit(phone, f"{base}/")
    assert "lederen sendte den tilbake til deg" in phone.content()
    assert "Skriv kvifor målet ikkje vart nådd." in phone.content()
    click(phone, f'a[href="/evaluering/{evaluation.pk}/skriv/"]')
    assert "Sendt tilbake av lederen" in phone.content()
    fits(phone, PHONE)
    phone.fill("#id_result", "Kontoen nådde ikkje målet: for få innlegg og ingen fast redaktør.")
    phone.check("#id_decision_2")
    click(phone, "button[value=submit]")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.AWAITING_LEADER

    # The leader confirms it at a desk; it goes to the department with the confirmation on record.
    desk = browser.new_context(viewport=DESK).new_page()
    log_in(desk, base, cast["leader"].email, PASSWORD)
    visit(desk, f"{base}/evaluering/")
    assert "Evalueringer du skal bekrefte" in desk.content()
    click(desk, f'#confirm-heading + ul a[href^="/evaluering/{evaluation.pk}/"]')
    click(desk, "#confirm button[type=submit] >> text=Bekreft og send")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert (evaluation.confirmed_by, evaluation.confirmed_revision) == (cast["leader"], evaluation.revision)
    assert "Bekreftet av Håkon Vik" in desk.content()

    # The department sees it waiting for feedback.
    adviser = browser.new_context(viewport=DESK).new_page()
    log_in(adviser, base, cast["adviser"].email, PASSWORD)
    visit(adviser, f"{base}/evaluering/")
    assert adviser.is_visible(f'a[href="/evaluering/{evaluation.pk}/"]')
