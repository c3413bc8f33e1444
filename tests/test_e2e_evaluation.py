"""End to end in headless Chromium: a reminder arrives over SMTP, the editor follows it,
writes the evaluation with figures imported from Instagram's export, sends it to the leader, who
confirms it; an adviser
gives feedback on a phone; the editor reads it. Every page is scanned with axe, at desk
and at phone width, and the overview too."""

import re

import pytest
from django.utils import timezone

from evaluations import services
from evaluations.models import Evaluation, EvaluationStatus, PostFigure, Schedule

from . import evaluation_files as files
from .browser import assert_accessible, log_in
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)


def link_in(message, part: str) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(rf"(http\S*{part}\S*)", body).group(1)


def test_reminder_evaluation_with_import_feedback(
    browser, live_server, cast, smtp, run_worker, settings, tmp_path, make_plan, make_account
):
    base = live_server.url
    settings.SITE_URL = base
    today = timezone.localdate()
    account = make_account(status="active", plan=make_plan("approved"))
    Schedule.objects.filter(pk=account.pk).update(due_on=today)

    # The periodic job sends the reminder; it arrives over SMTP with a link to the account.
    services.reminders_send(now=timezone.now())
    run_worker()
    [reminder] = [m for m in smtp.to(cast["member"].email) if "Evaluering" in m["Subject"]]
    url = link_in(reminder, "/evaluering/konto/")

    # The editor follows the link at a desk, and starts the evaluation.
    member = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(member, base, cast["member"].email, PASSWORD)
    visit(member, url)
    member.click("main form button[type=submit]")
    member.wait_for_load_state()
    assert "/skriv/" in member.url
    assert_accessible(member)
    evaluation = Evaluation.objects.get()

    # Imports Instagram's export of the period's posts.
    export = tmp_path / "Instagram-innlegg.csv"
    stamp = today.strftime("%m/%d/%Y 12:00")
    rows = [
        [
            "9001",
            "1784",
            "blodbanken_bergen",
            "Blodbanken",
            "Gi blod",
            stamp,
            "https://i/p/1",
            "IG image",
            "2 000",
            "1 500",
            "120",
            "8",
            "5",
            "9",
            "4",
        ],
        [
            "9002",
            "1784",
            "blodbanken_bergen",
            "Blodbanken",
            "Reel",
            stamp,
            "https://i/p/2",
            "IG reel",
            "3 000",
            "2 500",
            "300",
            "20",
            "10",
            "30",
            "11",
        ],
    ]
    export.write_bytes(files.csv_bytes(files.INSTAGRAM_HEADER, rows))
    member.click("text=Hent tall fra en fil")
    member.wait_for_load_state()
    assert_accessible(member)
    member.set_input_files("#id_file", str(export))
    member.click("main form button[type=submit]")
    member.wait_for_load_state()
    assert "/import/" in member.url and "Meta Business Suite – Instagram" in member.content()
    assert_accessible(member)
    member.click("text=Lagre tallene")
    member.wait_for_load_state()
    assert_accessible(member)
    assert PostFigure.objects.count() == 2
    assert member.input_value("#id_views") == "5\xa0000"

    # Writes the rest and sends it with the decision to continue.
    goal = evaluation.goals.get()
    member.fill(f"#id_goal-{goal.pk}-reached_value", "412")
    member.check(f"#id_goal-{goal.pk}-attainment_0")
    member.fill("#id_hours_per_week", "4,5")
    member.fill("#id_result", "Vi nådde målet om nye givarar.")
    member.check("#id_decision_0")
    member.click("button[value=submit]")
    member.wait_for_load_state()
    assert_accessible(member)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.AWAITING_LEADER and evaluation.views == 5000

    # The unit's leader confirms it (the leader's own journey is in test_e2e_evaluation_confirm).
    leader = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(leader, base, cast["leader"].email, PASSWORD)
    visit(leader, f"{base}/evaluering/{evaluation.pk}/")
    leader.click("#confirm button[type=submit] >> text=Bekreft og send")
    leader.wait_for_load_state()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED and evaluation.confirmed_by == cast["leader"]
    assert evaluation.posts_photo == 1 and evaluation.posts_video == 1

    # An adviser on a phone sees it waiting and gives feedback.
    adviser = browser.new_context(viewport=PHONE).new_page()
    log_in(adviser, base, cast["adviser"].email, PASSWORD)
    visit(adviser, f"{base}/evaluering/")
    adviser.click(f'a[href="/evaluering/{evaluation.pk}/"]')
    adviser.wait_for_load_state()
    assert_accessible(adviser)
    adviser.fill("#id_feedback", "Godt arbeid! Fleire reels, takk.")
    adviser.click("text=Send tilbakemeldingen til enheten")
    adviser.wait_for_load_state()
    assert_accessible(adviser)
    assert Evaluation.objects.get().status == EvaluationStatus.REVIEWED
    assert adviser.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The editor gets the feedback by e-mail, and reads it on a phone.
    run_worker()
    [told] = [m for m in smtp.to(cast["member"].email) if "Tilbakemelding" in m["Subject"]]
    phone = browser.new_context(viewport=PHONE).new_page()
    log_in(phone, base, cast["member"].email, PASSWORD)
    visit(phone, link_in(told, "/evaluering/"))
    assert "Godt arbeid! Fleire reels, takk." in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # The overview, with its charts drawn, at both widths.
    visit(adviser, f"{base}/evaluering/oversikt/")
    adviser.wait_for_function("document.querySelectorAll('canvas[data-chart]').length > 0")
    assert adviser.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    log_in(desk, base, cast["adviser"].email, PASSWORD)
    visit(desk, f"{base}/evaluering/oversikt/")
    drawn = desk.evaluate("Array.from(document.querySelectorAll('canvas[data-chart]')).filter(c => c.width > 0).length")
    assert drawn >= 3
    visit(desk, f"{base}/evaluering/konto/{account.pk}/")
