"""Daily work end to end in headless Chromium, on a desk (1280 px) and on a phone (390 px).

A member writes a plan (adding and removing a goal in place, the readiness panel following
what is typed) and sends it from the form; the leader finds it among their tasks and
confirms it; an adviser takes it, asks for changes (a missing comment keeps them on the
page), the member revises it and says what changed, the adviser compares, starts to reject
(the dialog asks first) and approves, then registers the account, makes it active and
closes it (the dialog asks first). The member also withdraws a plan and deletes a draft,
each confirmed in a dialog. After each step the task lists are checked, every page is
scanned with axe, and no page is wider than the screen. E-mail goes to a real SMTP server."""

import pytest

from plans.models import Plan, PlanStatus
from registry.models import CHECKLIST_KEYS, Account, AccountStatus

from .browser import assert_accessible, dialog_shown, log_in
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Instagram for unge blodgivarar"


class Person:
    """One person's browser at one width."""

    def __init__(self, browser, base, width, user):
        height = 844 if width < 600 else 900
        self.page = browser.new_context(viewport={"width": width, "height": height}).new_page()
        self.base, self.width = base, width
        log_in(self.page, base, user.email, PASSWORD)

    def check(self, scan=True):
        """No wider than the screen, and (once per kind of page is enough) clean in axe."""
        page = self.page
        page.wait_for_load_state()
        assert page.evaluate("document.documentElement.scrollWidth") <= self.width, page.url
        if scan:
            assert_accessible(page)

    def visit(self, path, scan=True):
        self.page.goto(self.base + path)
        self.check(scan)

    def click(self, selector, scan=True):
        self.page.click(selector)
        self.check(scan)

    def tasks(self) -> list[tuple[str, str]]:
        """The front page's tasks, as (kind, text); the front page is scanned the first time."""
        self.visit("/", scan=not getattr(self, "_scanned_front", False))
        self._scanned_front = True
        items = self.page.locator(".portal-work")
        return [
            (items.nth(i).get_attribute("data-kind"), items.nth(i).locator("a").inner_text())
            for i in range(items.count())
        ]


def kinds(tasks, title=TITLE) -> list[str]:
    return [kind for kind, text in tasks if title in text]


@pytest.mark.parametrize("width", [1280, 390])
def test_a_plan_from_first_draft_to_a_closed_account(width, browser, live_server, cast, smtp, run_worker, settings):
    base = live_server.url
    settings.SITE_URL = base
    member = Person(browser, base, width, cast["member"])
    leader = Person(browser, base, width, cast["leader"])
    adviser = Person(browser, base, width, cast["adviser"])
    assert member.tasks() == [] and leader.tasks() == [] and adviser.tasks() == []

    # The member starts a plan: one unit, so only the title is asked for.
    member.visit("/planer/ny/")
    assert member.page.locator("select[name=unit]").count() == 0
    member.page.fill("#id_title", TITLE)
    member.click("main form button[type=submit]")
    assert "/rediger/" in member.page.url
    page = member.page
    page.fill("#id_goals-0-goal", "Fleire nye blodgivarar")
    page.fill("#id_goals-0-indicator", "Nye givarar som nemner Instagram")
    page.fill("#id_goals-0-target_value", "400")
    page.fill("#id_goals-0-time_frame", "Innan utgangen av 2027")
    # A second goal, added in place and removed again, without leaving the page.
    url = page.url
    page.click("button[data-add-row=goals]")
    assert page.url == url and page.input_value("#id_goals-TOTAL_FORMS") == "2"
    assert page.locator("#id_goals-1-goal").is_visible()
    page.locator("#id_goals-1-goal").locator("xpath=ancestor::fieldset[1]").locator("[data-remove-row]").click()
    assert not page.locator("#id_goals-1-goal").is_visible()
    assert page.locator("#id_goals-1-DELETE").is_checked()
    page.select_option("#id_channels-0-platform", label="Instagram")
    page.fill("#id_channels-0-justification", "Der er dei unge vaksne.")
    page.fill("#id_main_target_group", "Friske vaksne i Bergen, 18–35 år")
    page.fill("#id_content_types", "Korte videoar frå tappinga")
    page.select_option("#id_editor", label="Silje Dale")
    page.check(f'input[name=deputies][value="{cast["deputy"].pk}"]')
    assert page.locator("#readiness button[name=send]").count() == 0  # not ready yet: no hours
    page.fill("#id_hours_per_week", "4")
    # The panel follows what is typed, and offers to send once the plan is ready.
    page.wait_for_selector("#readiness button[name=send]", timeout=10_000)
    member.check()
    member.click("#readiness button[name=send]")
    assert "/sendt/" in page.url and "Håkon Vik" in page.inner_text("main")
    plan = Plan.objects.get(title=TITLE)
    assert plan.status == PlanStatus.AWAITING_LEADER and plan.goals.count() == 1
    assert member.tasks() == []
    assert kinds(leader.tasks()) == ["plan.confirm"]

    # The leader follows the task to the plan, reads what they answer for, and confirms.
    leader.click(f".portal-work a:has-text('{TITLE}')")
    assert "Stadfestar planen og sender han til Kommunikasjonsavdelinga" in leader.page.inner_text("#actions")
    leader.click('form[action$="/handling/submit/"] button[type=submit]')
    assert "/sendt/" in leader.page.url and "10 arbeidsdager" in leader.page.inner_text("main")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED
    assert leader.tasks() == []
    assert kinds(adviser.tasks()) == ["plan.untaken"]

    # The adviser takes it from their tasks and asks for changes; a missing comment keeps
    # them on the page with their choice.
    adviser.click(f".portal-work a:has-text('{TITLE}')")
    adviser.click('form[action$="/handling/take/"] button[type=submit]')
    assert kinds(adviser.tasks()) == ["plan.review"]
    adviser.visit(f"/behandling/{plan.pk}/")
    adviser.page.check("#decision-requestchanges")
    adviser.click("#decision button[type=submit]:not([name])")
    assert adviser.page.evaluate("document.activeElement.id") == "error-summary"
    assert adviser.page.locator("#decision-requestchanges").is_checked()
    adviser.page.fill("#decision textarea[name=comment]", "Set av fleire timar til video.")
    adviser.click("#decision button[type=submit]:not([name])")
    assert adviser.page.url.endswith("/behandling/")  # no plan left in the queue
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.CHANGES_REQUESTED
    assert kinds(adviser.tasks()) == []
    assert kinds(member.tasks()) == ["plan.revise"]

    # The member sees the request at the top, revises and says what changed.
    member.click(f".portal-work a:has-text('{TITLE}')")
    page = member.page
    assert page.locator(".portal-change-request").inner_text().count("Set av fleire timar til video.") == 1
    page.fill("#id_hours_per_week", "6,5")
    page.fill("#id_change_note", "Vi har sett av 6,5 timar i veka.")
    page.wait_for_selector("#readiness button[name=send][value=resubmit]", timeout=10_000)
    member.click("#readiness button[name=send]")
    assert "/sendt/" in page.url
    assert kinds(member.tasks()) == []
    assert kinds(adviser.tasks()) == ["plan.review"]

    # The adviser sees only the hours marked, beside what the unit says it changed.
    adviser.click(f".portal-work a:has-text('{TITLE}')")
    page = adviser.page
    assert "Vi har sett av 6,5 timar i veka." in page.inner_text(".portal-change-note")
    marked = page.locator("[data-state=changed]")
    assert marked.count() == 1 and marked.get_attribute("data-change") == "resources.hours_per_week"
    # Rejecting asks first; cancelling changes nothing.
    page.check("#decision-reject")
    page.fill("#decision textarea[name=comment]", "Passar ikkje.")
    page.click("#decision button[type=submit]:not([name])")
    assert dialog_shown(page, "confirm-reject")
    assert_accessible(page)
    page.click("#confirm-reject [data-command=close]")
    assert not page.locator("#confirm-reject").is_visible()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.IN_REVIEW
    page.check("#decision-approve")
    page.fill("#decision textarea[name=comment]", "Godkjent.")
    adviser.click("#decision button[type=submit]:not([name])")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED
    assert kinds(adviser.tasks()) == []

    # The adviser registers the account, ticks the checklist, makes it active, then closes it.
    adviser.visit(f"/planer/{plan.pk}/")
    adviser.click("a[href*='/register/ny/?plan=']")
    page = adviser.page
    page.fill("#id_address", "https://www.instagram.com/blodbanken_ung/")
    page.fill("#id_purpose", "Nye, unge blodgivarar.")
    page.fill("#id_login_email", "blodbanken.ung@helse-bergen.no")
    page.fill("#id_response_hours", "Kvardagar 08–15")
    page.fill("#id_response_time", "Innan ein arbeidsdag")
    adviser.click("form:has(#id_address) button[type=submit]")
    # Two name-like parts on the organisation's own domain look like a person's address: the adviser
    # is asked to check it, and ticks it as the functional mailbox it is. Nothing typed is lost.
    assert "ser ut som adressen til en person" in page.locator("#id_login_email-error").inner_text()
    assert page.input_value("#id_purpose") == "Nye, unge blodgivarar."
    assert not Account.objects.exists()
    page.check("#id_functional_mailbox")
    adviser.click("form:has(#id_address) button[type=submit]")
    account = Account.objects.get()
    assert kinds(adviser.tasks(), "@blodbanken_ung") == ["account.setup"]
    assert kinds(member.tasks(), "@blodbanken_ung") == ["account.setup"]
    adviser.visit(f"/register/{account.pk}/")
    for _ in CHECKLIST_KEYS:  # the course is worked out by the portal, never ticked
        adviser.click("#checklist button[type=submit]:has-text('Kryss av')", scan=False)
    adviser.click('form[action$="/handling/activate/"] button[type=submit]')
    assert Account.objects.get().status == AccountStatus.ACTIVE
    assert kinds(adviser.tasks(), "@blodbanken_ung") == [] and kinds(member.tasks(), "@blodbanken_ung") == []
    adviser.visit(f"/register/{account.pk}/")
    page.click('form[action$="/handling/close/"] button[type=submit]:not([name])')
    assert dialog_shown(page, "confirm-close")
    assert_accessible(page)
    adviser.click("#confirm-close button[name=confirmed]")
    assert Account.objects.get().status == AccountStatus.CLOSED

    # The unit's leader and editors were told the account's public address, twice.
    run_worker()
    told = [m for m in smtp.to(cast["leader"].email) if "@blodbanken_ung" in m["Subject"]]
    assert len(told) == 2 and all(f"/k/{account.code}/" in m.get_body(("plain",)).get_content() for m in told)


@pytest.mark.parametrize("width", [1280, 390])
def test_withdrawing_and_deleting_ask_first(width, browser, live_server, cast, make_plan):
    sent = make_plan("submitted", title="Sendt plan")
    draft = make_plan("draft", title="Berre ein tanke")
    member = Person(browser, live_server.url, width, cast["member"])

    # The confirmation page a browser without JavaScript gets (scanned here, where axe runs).
    member.visit(f"/planer/{sent.pk}/")
    member.page.evaluate("document.querySelectorAll('[data-confirm]').forEach(f => f.removeAttribute('data-confirm'))")
    member.click('form[action$="/handling/withdraw/"] button[type=submit]:not([name])')
    assert "/handling/withdraw/" in member.page.url
    assert Plan.objects.get(pk=sent.pk).status == PlanStatus.SUBMITTED

    member.visit(f"/planer/{sent.pk}/")
    member.page.click('form[action$="/handling/withdraw/"] button[type=submit]:not([name])')
    assert dialog_shown(member.page, "confirm-withdraw")
    assert_accessible(member.page)
    member.click("#confirm-withdraw button[name=confirmed]")
    assert Plan.objects.get(pk=sent.pk).status == PlanStatus.WITHDRAWN

    member.visit(f"/planer/{draft.pk}/")
    member.page.click('form[action$="/slett/"] button[type=submit]:not([name])')
    assert dialog_shown(member.page, "confirm-delete")
    member.page.click("#confirm-delete [data-command=close]")
    assert Plan.objects.filter(pk=draft.pk).exists()
    member.page.click('form[action$="/slett/"] button[type=submit]:not([name])')
    member.click("#confirm-delete button[name=confirmed]")
    assert not Plan.objects.filter(pk=draft.pk).exists()
    assert member.page.url.endswith("/planer/")


def test_without_javascript_a_confirmation_page_asks_instead(browser, live_server, cast, make_plan):
    sent = make_plan("submitted", title="Sendt plan")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    # Logged in by hand: axe (in log_in) needs JavaScript, which this browser does without.
    page.goto(f"{live_server.url}/logg-inn/")
    page.fill("#id_username", cast["member"].email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/planer/{sent.pk}/")
    page.click('form[action$="/handling/withdraw/"] button[type=submit]:not([name])')
    page.wait_for_load_state()
    assert "/handling/withdraw/" in page.url and Plan.objects.get(pk=sent.pk).status == PlanStatus.SUBMITTED
    assert "Trekke tilbake planen?" in page.inner_text("h1")
    page.click("main button[name=confirmed]")
    page.wait_for_load_state()
    assert Plan.objects.get(pk=sent.pk).status == PlanStatus.WITHDRAWN
