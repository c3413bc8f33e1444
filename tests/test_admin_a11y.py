"""The administration, scanned with axe (WCAG 2.1 A and AA) as the administrator on the demo's
data, at desk and phone width: every list, add form and change form of every model it has (with
the history and the delete confirmation of one object), its index and app pages, the password
pages, and a form and a list sent with errors.

Django's admin draws some controls without a name; static/admin-portal/a11y.js (loaded by
templates/admin/base_site.html) names them. The tests below check each kind by name too, so a
change in Django that breaks one is seen here, not only as a count of violations."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from accounts.models import User

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
ADMIN = ("admin@eksempel.no", "demo")
_axe = Axe()


@pytest.fixture
def demo(catalogue, settings, tmp_path):
    settings.MAIL_CATCHER_DIR = tmp_path
    call_command("demo_load", verbosity=0)
    group = Group.objects.create(name="Redaktørar")  # a group's form has the filter boxes and their help
    group.permissions.set(Permission.objects.filter(codename__startswith="view_")[:3])


def admin_paths() -> list[str]:
    """Every page of the administration worth a scan, from what is registered when the test runs."""
    paths = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        opts = model._meta
        paths.append(reverse("admin:app_list", kwargs={"app_label": opts.app_label}))
        paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        if admin.site._registry[model].has_add_permission(_request_as_admin()):
            paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is None:
            continue
        for action in ("change", "history", "delete"):
            try:
                paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_{action}", args=[first.pk]))
            except NoReverseMatch:
                continue
        if model is User:
            paths.append(reverse("admin:auth_user_password_change", args=[first.pk]))
    return list(dict.fromkeys(paths))


def _request_as_admin():
    class Request:
        user = User.objects.get(email=ADMIN[0])

    return Request()


def log_in(page, base):
    page.goto(f"{base}{reverse('admin:login')}")
    page.fill("#id_username", ADMIN[0])
    page.fill("#id_password", ADMIN[1])
    page.click("input[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith(reverse("admin:index")), page.url


def violations(page) -> list[str]:
    # The admin's scripts (select2, the filter boxes) draw their parts on load; a11y.js names them.
    page.wait_for_load_state("load")
    page.wait_for_timeout(50)
    found = _axe.run(page, options=WCAG_21_AA).response["violations"]
    return [f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in found]


# One test per width, so that the two run side by side when the suite runs in parallel.
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_of_the_administration_passes_axe(width, browser, live_server, demo):
    failed = {}
    context = browser.new_context(viewport={"width": width, "height": 900})
    scanned = scan_at(context.new_page(), live_server.url, failed, width)
    context.close()
    assert scanned >= 25
    assert not failed, failed
    if width == WIDTHS[0]:
        check_names(browser, live_server.url)


def scan_at(page, base, failed, width) -> int:
    log_in(page, base)
    scanned = 0
    for path in admin_paths():
        response = page.goto(base + path)
        assert response.status < 500, path
        if response.status >= 400:  # a read-only record's add form, say
            continue
        scanned += 1
        found = violations(page)
        if found:
            failed[f"{width} {path}"] = found
    # A form and a list sent with errors.
    page.goto(base + reverse("admin:accounts_unit_add"))
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".errornote").is_visible()
    if found := violations(page):
        failed[f"{width} unit add, with errors"] = found
    page.goto(base + reverse("admin:platforms_platform_changelist"))
    page.fill("#id_form-0-position", "-5")
    page.click("input[name=_save]")
    page.wait_for_load_state()
    assert page.locator(".errornote, .errorlist").first.is_visible()
    if found := violations(page):
        failed[f"{width} platform list, with errors"] = found
    return scanned


def accessible_name(page, selector) -> str:
    """The control's accessible name, as Chromium computes it for assistive technology."""
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("Accessibility.enable")
    document = session.send("DOM.getDocument")
    node = session.send("DOM.querySelector", {"nodeId": document["root"]["nodeId"], "selector": selector})
    tree = session.send("Accessibility.getPartialAXTree", {"nodeId": node["nodeId"], "fetchRelatives": False})
    return tree["nodes"][0].get("name", {}).get("value", "")


def check_names(browser, base):
    """Each kind of control the admin leaves unnamed has its name, as Chromium reads it."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, base)
    # The list's editable columns: the column and the row's object.
    page.goto(base + reverse("admin:platforms_platform_changelist"))
    page.wait_for_load_state("load")
    first = page.locator("#result_list tbody tr").first.locator("th").inner_text().strip()
    for field in ("is_active", "position"):
        name = accessible_name(page, f"#id_form-0-{field}")
        assert name == f"{_header(page, field)} {first}", name
    # A searchable drop-down on an add form, with nothing chosen: its label.
    page.goto(base + reverse("admin:accounts_unit_add"))
    page.wait_for_load_state("load")
    page.wait_for_timeout(50)
    label = page.locator("label[for=id_parent]").inner_text().strip().rstrip(":")
    assert label in accessible_name(page, "#id_parent + .select2 .select2-selection")
    # A tabular inline's controls: their column.
    assert accessible_name(page, "#id_memberships-0-user")
    # The help icon beside a filter box is an image with its text.
    page.goto(base + reverse("admin:auth_group_add"))
    page.wait_for_load_state("load")
    page.wait_for_timeout(50)
    icon = page.locator("label[for=id_permissions_input] .help-tooltip")
    assert icon.get_attribute("role") == "img" and icon.get_attribute("aria-label")
    context.close()


def _header(page, field) -> str:
    return page.locator(f"#result_list thead th.column-{field} .text").inner_text().strip()
