"""The register in headless Chromium: the public's verify-and-report flow from start to
end, and every page of the register scanned with axe, on a desktop and on a phone."""

from urllib.parse import unquote

import pytest
from django.urls import reverse

from registry.models import Report

from .browser import assert_accessible, log_in
from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def accounts(make_account, cast):
    active = make_account(status="active")
    closed = make_account("https://www.tiktok.com/@blodbanken", display_name="Blodbanken på TikTok", status="closed")
    setup = make_account("https://www.facebook.com/blodbankenbergen", display_name="Blodbanken på Facebook")
    return {"active": active, "closed": closed, "setup": setup}


def scan(page, url):
    response = page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)
    return response


@pytest.mark.parametrize("viewport", [None, {"width": 375, "height": 740}], ids=["desktop", "phone"])
def test_the_public_checks_an_account_and_reports_a_fake(browser, live_server, accounts, viewport):
    base = live_server.url
    context = browser.new_context(viewport=viewport) if viewport else browser.new_context()
    page = context.new_page()

    # From the front page: an official account, by its handle.
    scan(page, f"{base}/")
    page.fill("#home-verify", "@blodbanken_bergen")
    page.click("#home-verify >> xpath=ancestor::form//button")
    page.wait_for_load_state()
    assert "/verifiser/" in page.url
    assert page.locator("#verdict .ds-alert[data-color=success]").is_visible()
    assert accounts["active"].url in page.inner_text("#verdict")
    assert_accessible(page)

    # A closed account.
    page.fill("#id_q", accounts["closed"].url)
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#verdict .ds-alert[data-color=warning]").is_visible()
    assert_accessible(page)

    # Not a profile: the error summary takes the focus, and the text stays.
    page.fill("#id_q", "javascript:alert(1)")
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.input_value("#id_q") == "javascript:alert(1)"
    assert_accessible(page)

    # A look-alike of the real account: not in the register, and said so.
    fake = "https://www.instagram.com/blodb\u0430nken_bergen/"
    page.fill("#id_q", fake)
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_load_state()
    verdict = page.inner_text("#verdict")
    assert "U+0430" in verdict
    assert page.locator("#verdict .ds-alert[data-color=danger]").is_visible()
    assert_accessible(page)

    # Report it: the form comes with the address filled in.
    page.click("#verdict >> a[href*='meld-fra']")
    page.wait_for_load_state()
    assert "blodb" in page.input_value("#id_url")
    assert_accessible(page)
    page.fill("#id_what_is_wrong", "Kopierer biletet og namnet til blodbanken.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.startswith(base + reverse("registry:report_thanks") + "?ref=")
    assert_accessible(page)
    report = Report.objects.get()
    assert report.account is None
    assert unquote(report.profile_url) == "https://www.instagram.com/blodb\u0430nken_bergen/"

    # The list and the account's own page.
    scan(page, base + reverse("registry:public_list"))
    page.click(f"a[href='{reverse('registry:public_account', args=[accounts['active'].code])}']")
    page.wait_for_load_state()
    assert accounts["active"].url in page.inner_text("main")
    assert_accessible(page)
    scan(page, base + reverse("registry:public_list") + "?q=ingen+slik+konto")
    scan(page, base + reverse("registry:public_account", args=[accounts["closed"].code]))
    scan(page, base + reverse("registry:public_account", args=[accounts["setup"].code]))


def test_the_department_pages(browser, live_server, accounts, cast):
    base = live_server.url
    page = browser.new_context().new_page()
    log_in(page, base, cast["adviser"].email, PASSWORD)
    setup = accounts["setup"]
    for path in [
        reverse("registry:register"),
        reverse("registry:register") + "?plan_missing=on&status=active",
        reverse("registry:detail", args=[setup.pk]),
        reverse("registry:detail", args=[accounts["closed"].pk]),
        reverse("registry:edit", args=[setup.pk]),
        reverse("registry:create"),
        reverse("registry:create") + f"?unit={cast['unit'].pk}",
    ]:
        scan(page, base + path)

    # Tick an item with the keyboard alone, then try to activate too early.
    page.goto(base + reverse("registry:detail", args=[setup.pk]))
    page.focus("#checklist form button")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert setup.checks.count() == 1
    page.click("form[action$='/handling/activate/'] button")
    page.wait_for_load_state()
    assert page.locator(".portal-messages").is_visible()
    assert_accessible(page)
    setup.refresh_from_db()
    assert setup.status == "setup"

    # The form with an error keeps what was typed.
    page.goto(base + reverse("registry:edit", args=[setup.pk]))
    page.fill("#id_address", "https://www.facebook.com/search/top?q=blod")
    page.fill("#id_display_name", "Nytt namn som ikkje skal gå tapt")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.input_value("#id_display_name") == "Nytt namn som ikkje skal gå tapt"
    assert_accessible(page)

    # The unit's own leader reads the account but cannot change it.
    leader = browser.new_context().new_page()
    log_in(leader, base, cast["leader"].email, PASSWORD)
    scan(leader, base + reverse("registry:register"))
    scan(leader, base + reverse("registry:detail", args=[setup.pk]))
    assert leader.locator("#checklist button").count() == 0
