"""End to end in headless Chromium: from the first draft to an approved plan.

A member saves a draft and completes it, the leader confirms and sends it, the
adviser asks for changes, the member revises and resends, the adviser compares the
versions and approves. The e-mails arrive at a real SMTP server; every page is
scanned with axe on the way."""

import pytest

from plans.models import Plan, PlanStatus

from .browser import assert_accessible, log_in
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, url):
    page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)


def act(page, action, comment=None):
    form = page.locator(f'form[action$="/handling/{action}/"]')
    if comment is not None:
        form.locator("textarea").fill(comment)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    assert_accessible(page)


def decide(page, decision, comment):
    """The review page's one decision form."""
    page.check(f"#decision-{decision.replace('_', '')}")
    page.fill("#decision textarea[name=comment]", comment)
    page.click("#decision button[type=submit]:not([name])")
    page.wait_for_load_state()
    assert_accessible(page)


def test_plan_from_draft_to_approval(browser, live_server, cast, smtp, run_worker, settings):
    base = live_server.url
    settings.SITE_URL = base

    # The member starts a draft and saves it half-written.
    member = browser.new_context().new_page()
    log_in(member, base, cast["member"].email, PASSWORD)
    assert_accessible(member)
    visit(member, f"{base}/planer/ny/")
    member.fill("#id_title", "Instagram for unge blodgivarar")
    member.click("main form button[type=submit]")
    member.wait_for_load_state()
    assert "/rediger/" in member.url
    assert_accessible(member)
    plan = Plan.objects.get()
    member.fill("#id_main_target_group", "Friske vaksne i Bergen, 18–35 år")
    member.click("button[name=save]")
    member.wait_for_load_state()
    assert_accessible(member)
    assert Plan.objects.get().main_target_group == "Friske vaksne i Bergen, 18–35 år"

    # Completes every field and saves.
    member.fill("#id_goals-0-goal", "Fleire nye blodgivarar")
    member.fill("#id_goals-0-indicator", "Nye givarar som nemner Instagram")
    member.fill("#id_goals-0-target_value", "400")
    member.fill("#id_goals-0-time_frame", "Innan utgangen av 2027")
    member.select_option("#id_channels-0-platform", label="Instagram")
    member.fill("#id_channels-0-justification", "Der er dei unge vaksne.")
    member.fill("#id_content_types", "Korte videoar frå tappinga")
    member.select_option("#id_editor", label="Silje Dale")
    member.check(f'input[name=deputies][value="{cast["deputy"].pk}"]')
    member.fill("#id_hours_per_week", "4")
    member.click("button[name=save_and_view]")
    member.wait_for_load_state()
    assert_accessible(member)
    act(member, "send_to_leader")
    assert Plan.objects.get().status == PlanStatus.AWAITING_LEADER

    # The leader confirms and sends it to the Communications Department.
    leader = browser.new_context().new_page()
    log_in(leader, base, cast["leader"].email, PASSWORD)
    visit(leader, f"{base}/planer/{plan.pk}/")
    act(leader, "submit")
    assert Plan.objects.get().status == PlanStatus.SUBMITTED

    run_worker()
    [to_department] = smtp.to(settings.COMMS_MAILBOX)
    assert [a.get_content_type() for a in to_department.iter_attachments()] == ["application/pdf"]
    assert "Nye givarar som nemner Instagram" in to_department.get_body(preferencelist=("plain",)).get_content()
    assert smtp.to(cast["member"].email) and smtp.to(cast["leader"].email)

    # The adviser takes the plan from the queue and asks for changes.
    adviser = browser.new_context().new_page()
    log_in(adviser, base, cast["adviser"].email, PASSWORD)
    visit(adviser, f"{base}/behandling/")
    adviser.click(f'a[href="/behandling/{plan.pk}/"]')
    adviser.wait_for_load_state()
    assert_accessible(adviser)
    act(adviser, "take")
    decide(adviser, "request_changes", "Set av fleire timar til video.")
    assert Plan.objects.get().status == PlanStatus.CHANGES_REQUESTED
    run_worker()
    decision = [
        m
        for m in smtp.to(cast["member"].email)
        if "Set av fleire timar" in m.get_body(preferencelist=("plain",)).get_content()
    ]
    assert len(decision) == 1

    # The member revises and resends.
    visit(member, f"{base}/planer/{plan.pk}/")
    assert "Set av fleire timar til video." in member.content()
    visit(member, f"{base}/planer/{plan.pk}/rediger/")
    member.fill("#id_hours_per_week", "6,5")
    member.click("button[name=save_and_view]")
    member.wait_for_load_state()
    act(member, "resubmit")
    assert Plan.objects.get().status == PlanStatus.IN_REVIEW

    # The adviser sees what changed, compares the versions and approves.
    visit(adviser, f"{base}/behandling/{plan.pk}/")
    assert adviser.locator(".portal-changed").count() == 1  # only Ressurser changed
    assert adviser.locator(".portal-changed ins").first.inner_text().startswith("6,5")
    visit(adviser, f"{base}/planer/{plan.pk}/sammenlign/?fra=1&til=2")
    visit(adviser, f"{base}/planer/{plan.pk}/versjoner/1/")
    visit(adviser, f"{base}/behandling/{plan.pk}/")
    decide(adviser, "approve", "Godkjent. Vi tek kontakt om kontoen.")
    assert Plan.objects.get().status == PlanStatus.APPROVED
    assert Plan.objects.get().versions.count() == 2

    run_worker()
    assert len(smtp.to(settings.COMMS_MAILBOX)) == 2  # one for each version sent
    approved = [
        m
        for m in smtp.to(cast["leader"].email)
        if "Godkjent. Vi tek kontakt" in m.get_body(preferencelist=("plain",)).get_content()
    ]
    assert len(approved) == 1
    visit(member, f"{base}/planer/{plan.pk}/")
    visit(member, f"{base}/")
    visit(member, f"{base}/planer/")
