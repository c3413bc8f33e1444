"""The portal on a phone (390 px) and on a desk (1280 px), in headless Chromium: the public's
journeys and every role's pages. On each page: nothing wider than the screen, axe finds nothing,
and on the phone the menu is folded away until asked for (with JavaScript and without)."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from plans import services as plan_services
from plans.models import Plan
from registry import reports
from registry.models import Report

from .browser import assert_accessible, log_in
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"phone": 390, "desk": 1280}
LOOKALIKE = "https://www.instagram.com/blodb\u0430nken_bergen/"  # a Cyrillic а


@pytest.fixture
def world(cast, make_plan, make_account, settings, tmp_path):
    settings.MAIL_CATCHER_DIR = tmp_path
    plans = {status: make_plan(status) for status in ["draft", "awaiting_leader", "approved"]}
    revised = make_plan("changes_requested")
    plan_services.plan_resubmit(plan=revised, actor=cast["member"])
    plans["revised"] = revised
    accounts = {
        "active": make_account(status="active", plan=plans["approved"]),
        "setup": make_account("https://www.facebook.com/blodbankenbergen", display_name="Blodbanken på Facebook"),
        "closed": make_account(
            "https://www.tiktok.com/@blodbanken", display_name="Blodbanken på TikTok", status="closed"
        ),
    }
    reports.report_submit(url=LOOKALIKE, what_is_wrong="Kopierer namnet og biletet.", client_key="e2e")
    return {"plans": plans, "accounts": accounts}


def new_page(browser, width, *, javascript=True):
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 600 else 900}, java_script_enabled=javascript
    )
    return context.new_page()


def check(page, width, url=None):
    """The page as people get it: no sideways scrolling, axe clean, the menu folded on a phone."""
    if url is not None:
        response = page.goto(url)
        assert response.status < 500, url
        page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{page.url} is wider than {width}px"
    menu_button = page.locator("#portal-menu > summary")
    if width < 600:
        assert menu_button.is_visible(), page.url
        assert not page.locator(".portal-nav").is_visible(), f"{page.url}: the menu is open on a phone"
    else:
        assert not menu_button.is_visible(), page.url
        assert page.locator(".portal-nav").is_visible(), page.url
    assert_accessible(page)


def internal_links(page, base) -> list[str]:
    found = []
    for href in page.eval_on_selector_all("header a[href], main a[href]", "links => links.map(a => a.href)"):
        parts = urlsplit(href)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if href.startswith(base) and not re.search(
            r"logg-ut|/admin/|\.(pdf|docx|csv|xlsx)$|/pdf/$|format=|/eksport/|/vedlegg/", path
        ):
            found.append(path)
    return list(dict.fromkeys(found))


@pytest.mark.parametrize("size", WIDTHS)
def test_the_menu_folds_on_a_phone_and_opens_without_javascript_too(size, browser, live_server, cast):
    width = WIDTHS[size]
    for javascript in (True, False):
        page = new_page(browser, width, javascript=javascript)
        page.goto(live_server.url + "/")
        nav = page.locator(".portal-nav")
        if width >= 600:
            assert nav.is_visible() and not page.locator("#portal-menu > summary").is_visible()
            page.context.close()
            continue
        header_height = page.locator(".portal-header").bounding_box()["height"]
        assert header_height < 120, header_height  # the name and the button, not a wall of links
        assert not nav.is_visible()
        page.click("#portal-menu > summary")
        assert nav.is_visible() and page.locator(".portal-tools").is_visible()
        if javascript:  # (axe runs as a script itself)
            assert_accessible(page)
            page.keyboard.press("Escape")
            assert not nav.is_visible()
            assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
            page.click("#portal-menu > summary")
            page.click("main h1")  # a click outside closes it
            assert not nav.is_visible()
        page.context.close()


@pytest.mark.parametrize("size", WIDTHS)
def test_the_public_checks_reports_and_gets_a_reference(size, browser, live_server, world):
    width, base = WIDTHS[size], live_server.url
    page = new_page(browser, width)
    active = world["accounts"]["active"]
    for path in [
        "/",
        reverse("handbook:index"),
        reverse("handbook:strategy"),
        reverse("handbook:chapter", args=["bildebruk"]),
        reverse("handbook:chapter", args=["ressursbruk"]),
        reverse("handbook:search") + "?q=taushetsplikt",
        reverse("registry:public_list"),
        reverse("registry:public_account", args=[world["accounts"]["closed"].code]),
        reverse("api:docs"),
        reverse("accounts:login"),
    ]:
        check(page, width, base + path)

    # Check a look-alike: it is not in the register, and the look-alike letter is marked.
    page.goto(f"{base}/verifiser/")
    page.fill("#id_q", LOOKALIKE)
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_load_state()
    check(page, width)
    assert page.locator("#verdict mark.portal-lookalike").count() >= 1
    assert "%D0" not in page.inner_text("#verdict")
    # Report it: the form has the address as people read it; the thanks page gives a reference.
    page.click("#verdict >> a[href*='meld-fra']")
    page.wait_for_load_state()
    assert page.input_value("#id_url") == LOOKALIKE
    check(page, width)
    page.fill("#id_what_is_wrong", "Kopierer biletet og namnet til blodbanken.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    check(page, width)
    reference = page.inner_text("#reference")
    assert Report.objects.filter(reference=reference, url=LOOKALIKE).exists()

    # From an official account's page: report a copy of it.
    check(page, width, base + reverse("registry:public_account", args=[active.code]))
    page.click("main a[href*='kopi=']")
    page.wait_for_load_state()
    check(page, width)
    assert active.display_name in page.input_value("#id_what_is_wrong")
    # Sent empty: the portal's own words, not the browser's pop-up.
    page.fill("#id_what_is_wrong", "")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    check(page, width)
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.locator("input[name=copy_of]").count() == 1


@pytest.mark.parametrize("size", WIDTHS)
@pytest.mark.parametrize("role", ["member", "leader", "adviser"])
def test_every_page_of_each_role(role, size, browser, live_server, cast, world):
    width, base = WIDTHS[size], live_server.url
    page = new_page(browser, width)
    log_in(page, base, cast[role].email, PASSWORD)
    extra = [reverse("plans:detail", args=[world["plans"]["revised"].pk])]
    if role == "adviser":
        setup = world["accounts"]["setup"]
        report = Report.objects.get()
        extra += [
            reverse("registry:detail", args=[setup.pk]),
            reverse("registry:reports"),
            reverse("registry:reports") + "?status=all",
            reverse("registry:report_detail", args=[report.pk]),
            reverse("registry:import"),
            reverse("registry:create") + f"?unit={setup.unit_id}",
            reverse("handbook:versions", args=["bildebruk"]),
            reverse("handbook:edit", args=["bildebruk"]),
        ]
    page.goto(base + "/")
    paths = list(dict.fromkeys(["/", *extra, *internal_links(page, base)]))
    seen = set()
    for path in paths[:40]:
        if path in seen:
            continue
        seen.add(path)
        check(page, width, base + path)
    assert len(seen) >= 10

    if role == "adviser":
        # Activating too early: the message names what is missing, and the date field is dd.mm.åååå.
        setup = world["accounts"]["setup"]
        page.goto(base + reverse("registry:detail", args=[setup.pk]))
        assert page.get_attribute("#on-activate", "placeholder") == "dd.mm.åååå"
        page.click("form[action$='/handling/activate/'] button")
        page.wait_for_load_state()
        check(page, width)
        assert "Ikke krysset av ennå:" in page.inner_text(".portal-messages")


def logged_in_page(browser, base, width, user, *, javascript=True):
    """A page of someone logged in (the login page is scanned with axe, which needs
    JavaScript: the login is made with it, and the page that follows may go without)."""
    if user is None:
        return new_page(browser, width, javascript=javascript)
    page = new_page(browser, width)
    log_in(page, base, user.email, PASSWORD)
    if javascript:
        return page
    state = page.context.storage_state()
    page.context.close()
    context = browser.new_context(
        viewport={"width": width, "height": 844 if width < 600 else 900}, java_script_enabled=False, storage_state=state
    )
    return context.new_page()


def row_middles(page) -> list[float]:
    """The vertical middle of each entry of the menu."""
    return page.eval_on_selector_all(
        ".portal-nav > li",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return r.top + r.height / 2; })",
    )


@pytest.mark.parametrize("role", ["anonymous", "member", "leader", "adviser", "admin"])
def test_the_menu_is_one_row_on_a_desk_and_its_groups_open_by_keyboard_and_without_javascript(
    role, browser, live_server, cast, world
):
    base = live_server.url
    for javascript in (True, False):
        user = None if role == "anonymous" else cast[role]
        page = logged_in_page(browser, base, WIDTHS["desk"], user, javascript=javascript)
        page.goto(base + "/")
        middles = row_middles(page)
        assert max(middles) - min(middles) < 8, f"{role}: the menu is more than one row: {middles}"
        # The menu above the tools, beside the portal's name: no taller than the name and the
        # tools need (the adviser's twelve entries in two rows made it taller).
        assert page.locator(".portal-header").bounding_box()["height"] < 112, role
        groups = page.locator(".portal-nav details.portal-dropdown")
        if role == "anonymous":
            assert groups.count() == 0  # the public's four entries stand alone
            page.context.close()
            continue
        assert groups.count() == 3
        queue = page.locator(f".portal-nav a[href='{reverse('plans:queue')}']")
        work = groups.nth(0)
        assert not work.locator("a").first.is_visible()
        work.locator("summary").focus()
        page.keyboard.press("Enter")
        assert work.locator("a").first.is_visible()
        assert queue.is_visible() == (role == "adviser")
        if javascript:
            check(page, WIDTHS["desk"])  # axe, with the group open
            page.keyboard.press("Tab")  # into the group's first link
            assert page.evaluate("document.activeElement.closest('details') !== null")
            page.keyboard.press("Escape")
            assert not work.locator("a").first.is_visible()
            assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
        # One group open at a time: opening the next closes the first.
        groups.nth(1).locator("summary").click()
        assert groups.nth(1).locator("a").first.is_visible() and not work.locator("a").first.is_visible()
        groups.nth(1).locator(f"a[href='{reverse('registry:register')}']").click()
        page.wait_for_load_state()
        assert page.url == base + reverse("registry:register")
        page.context.close()


@pytest.mark.parametrize("role", ["member", "adviser", "admin"])
def test_the_phone_menu_folds_out_a_group_and_follows_its_link(role, browser, live_server, cast, world):
    base = live_server.url
    for javascript in (True, False):
        page = logged_in_page(browser, base, WIDTHS["phone"], cast[role], javascript=javascript)
        page.goto(base + "/")
        page.click("#portal-menu > summary")
        plans = page.locator(f".portal-nav a[href='{reverse('plans:list')}']")
        assert page.locator(f".portal-nav a[href='{reverse('courses:list')}']").is_visible()
        assert not plans.is_visible()
        page.locator(".portal-nav details.portal-dropdown summary").first.click()
        assert plans.is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]
        if javascript:  # (axe runs as a script itself)
            assert_accessible(page)
        plans.click()
        page.wait_for_load_state()
        assert page.url == base + reverse("plans:list")
        page.context.close()


def test_a_breadcrumbs_chevron_stays_beside_its_link_on_a_phone(browser, live_server, cast, make_plan):
    """A long title wraps within its own crumb; the chevron after it is never alone on a line."""
    base = live_server.url
    plan = make_plan("draft")
    page = logged_in_page(browser, base, WIDTHS["phone"], cast["member"])
    # Titles whose last line once left no room for the chevron at 390 px.
    for title in [
        "Instagram for unge blodgivarar i Bergen",
        "Instagram for unge blodgivarar i Bergen og omegn med korte videoar frå tappinga",
    ]:
        Plan.objects.filter(pk=plan.pk).update(title=title)
        check(page, WIDTHS["phone"], base + reverse("plans:edit", args=[plan.pk]))
        crumbs = page.eval_on_selector_all(
            ".ds-breadcrumbs li:not(:last-child)",
            "items => items.map(li => [li.getBoundingClientRect().height, li.querySelector('a').getBoundingClientRect().height])",
        )
        assert len(crumbs) == 2
        assert all(item - link < 8 for item, link in crumbs), (title, crumbs)
    page.context.close()
