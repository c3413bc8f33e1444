"""The public's pages in headless Chromium, on a desktop and on a phone: the unit filter grouped
under clinics, verify naming the account a look-alike imitates, the report's thanks page, a
handbook chapter with a placeholder not filled in (for the public and for an adviser), a search
passage, the demo's e-mail with its HTML part, and the icon. Each page is scanned with axe and
photographed (the pictures are in the test's tmp_path)."""

from email.message import EmailMessage

import pytest
from django.apps import apps
from django.urls import reverse

from accounts.models import Membership, Unit
from facts import shipped
from facts.models import Placeholder, PlatformTerms

from .browser import assert_accessible, log_in
from .conftest import PASSWORD
from .test_shared_cache import shipped_handbook  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
MAIL = "20261126-100000-000000-abcdef12.eml"


@pytest.fixture
def world(make_account, cast, shipped_handbook, settings, tmp_path, live_server):  # noqa: F811
    shipped.load(PlatformTerms, Placeholder, apps.get_model("platforms", "Platform"))
    medicine = Unit.objects.create(name="Medisinsk klinikk", kind=Unit.Kind.CLINIC, parent=cast["trust"])
    lungs = Unit.objects.create(name="Lungeavdelinga", kind=Unit.Kind.DEPARTMENT, parent=medicine)
    for person in ("member", "deputy"):
        Membership.objects.create(user=cast[person], unit=lungs)
    make_account(status="active")
    make_account(
        "https://www.instagram.com/lungeavdelinga/", display_name="Lungeavdelinga", unit=lungs, status="active"
    )
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    settings.MAIL_CATCHER_DIR = mail_dir
    message = EmailMessage()
    message["Subject"] = "Planen er godkjent"
    message["From"] = "some@example.no"
    message["To"] = "silje@example.no"
    message.set_content(f"Hei Silje,\n\nPlanen er godkjent: {live_server.url}/planer/7/\n")
    message.add_alternative(
        '<html><body style="font-family:Arial"><h1>Planen er godkjent</h1><p>Hei Silje,</p>'
        f'<p>Planen er godkjent. <a href="{live_server.url}/planer/7/">Åpne planen</a></p>'
        "<table><tr><th>Mål</th><td>Flere blodgivere i alderen 18 til 25 år, målt som nye givere per måned</td></tr>"
        "</table></body></html>",
        subtype="html",
    )
    (mail_dir / MAIL).write_bytes(message.as_bytes())
    return {"medicine": medicine, "lungs": lungs}


def visit(page, url, picture):
    page.goto(url)
    page.wait_for_load_state()
    assert_accessible(page)
    page.screenshot(path=picture, full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), url  # no sideways scrolling


@pytest.mark.parametrize("size", list(VIEWPORTS))
def test_the_public_pages_at_both_widths(browser, live_server, world, cast, size, tmp_path):
    base = live_server.url
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    shots = tmp_path / "shots"
    shots.mkdir()
    print(f"screenshots: {shots}")

    visit(page, base + reverse("registry:public_list"), shots / f"list-{size}.png")
    groups = page.eval_on_selector_all("#id_unit optgroup", "gs => gs.map(g => g.label)")
    assert groups == ["Laboratorieklinikken", "Medisinsk klinikk"]
    page.select_option("#id_unit", str(world["lungs"].pk))
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_load_state()
    assert "Lungeavdelinga" in page.inner_text("main table") and "Blodbanken" not in page.inner_text("main table")

    visit(page, base + reverse("registry:verify") + "?q=@bl0dbanken_bergen", shots / f"verify-{size}.png")
    resembles = page.inner_text("#resembles")
    assert "Blodbanken i Bergen" in resembles and "@blodbanken_bergen" in resembles

    page.click("#verdict >> a[href*='meld-fra']")
    page.wait_for_load_state()
    page.fill("#id_what_is_wrong", "Brukar null i staden for o i namnet.")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Mens vi ser på kontoen" in page.inner_text("main")
    visit(page, page.url, shots / f"thanks-{size}.png")

    visit(page, base + reverse("handbook:chapter", args=["bildebruk"]), shots / f"chapter-public-{size}.png")
    assert "[Manglar" not in page.inner_text("main") and "samtykkeskjemaet til sjukehuset" in page.inner_text("main")

    visit(page, base + reverse("handbook:search") + "?q=samtykke", shots / f"search-{size}.png")

    visit(page, base + reverse("demo:mail_detail", args=[MAIL]), shots / f"mail-{size}.png")
    page.click(".portal-mail-html a")
    page.wait_for_load_state()
    assert "/planer/7/" in page.url

    page.goto(base + "/favicon.ico")
    assert page.evaluate("document.contentType") in {"image/x-icon", "image/vnd.microsoft.icon"}

    log_in(page, base, cast["adviser"].email, PASSWORD)
    visit(page, base + reverse("handbook:chapter", args=["bildebruk"]), shots / f"chapter-adviser-{size}.png")
    assert "[Manglar: lenkja til samtykkeskjemaet for bilde og video]" in page.inner_text("main")
    page.click("mark.portal-missing + a")
    page.wait_for_load_state()
    assert page.url.endswith(reverse("facts:placeholder_edit", args=["samtykkeskjema"]))
    context.close()
