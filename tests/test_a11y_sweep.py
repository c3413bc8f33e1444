"""WCAG 2.1 AA across the whole portal: every page the URL configuration names, for every role
of the demo, at desk and phone width, on the demo's data (so wide tables are wide).

A page is looked at once per role and sample: axe (wcag2a, wcag2aa, wcag21a, wcag21aa) at 1280 and
390 px, and scripted checks for what axe cannot see: the focus ring on the focused control itself
and with 3:1 contrast, tables that scroll sideways can be reached and are named, nothing spills
sideways at 320 px, no text is clipped with the WCAG text-spacing values, Norwegian text in an
English page carries its own lang, and card tables do not read their labels twice. The phone
layout's scripted checks run at 320 px, which has the same layout as 390 px (see `check`). Forms with
errors, unique titles and the save confirmation have tests of their own below.

Each worker loads the demo once into a database of its own and serves it with a portal server of
its own (tests/a11y_demo.py), so the rest of the suite never sees the demo. SQLite only: the pages
are the same on PostgreSQL, and the whole suite runs twice in CI.

See docs/accessibility.md for what the sweep covers and what still needs a person."""

import json
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from urllib.request import urlopen

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import Error as PlaywrightError

from .processes import ROOT, portal_env, wait_for

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
        reason="the accessibility sweep runs in the SQLite suite only (the pages do not depend on the database)",
    ),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
ROLES = ["anonymous", "member", "leader", "adviser", "admin"]
DESK, PHONE, NARROW = 1280, 390, 320
CHECKS = (Path(__file__).parent / "a11y_checks.js").read_text()
AXE = Axe()


def new_context(browser, **options):
    """A browser context whose every page has axe and the scripted checks (as `__a11y`) from the
    start: sent to the browser once, not with each page (axe is half a megabyte of script)."""
    context = browser.new_context(viewport={"width": DESK, "height": 900}, **options)
    context.add_init_script(script=AXE.axe_script)
    context.add_init_script(script=f"window.__a11y = {CHECKS};")
    return context


def run(page, check: str) -> list:
    """One of the scripted checks (tests/a11y_checks.js) in the page."""
    return page.evaluate(f"__a11y.{check}()")


# Addresses that are not pages: files, feeds, JSON, actions that only take POST, and the
# sign-on round trip. Every other name in the URL configuration is swept.
NOT_PAGES = re.compile(
    r"^api:|pdf|docx|export|import_template|import_example|:feed$|certificate|mail_attachment|"
    r"^core:(health|ping|set_language)$|^accounts:(logout|sso_start|sso_callback)$|"
    r"^admin:(logout|jsi18n|autocomplete|view_on_site|None)$|^admin:.*_delete$|:action$|"
    r"^plans:comment$|^handbook:(restore|preview)$|^courses:(signup|withdraw)$|^evaluations:import_save$|"
    r"^archive:send_again$|^evaluations:(confirm|return)$"
)


def _walk(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            yield from _walk(entry.url_patterns, f"{namespace}:{inner}".strip(":") if inner else namespace)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}:{entry.name}" if namespace else str(entry.name)


PAGES = sorted({name for name in _walk(get_resolver().url_patterns) if not NOT_PAGES.search(name)})


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Site:
    """The demo served for this worker, with one browser context a role (logged in once)."""

    def __init__(self, browser, base, paths):
        self.browser, self.base, self.paths = browser, base, paths
        self.contexts = {}
        self.titles = defaultdict(set)  # title → URL names
        self.checked = 0  # page × role × width
        self.problems = {}  # URL name → what was found
        self.seen_once = set()  # (role, status) of error pages, (role, "header"): looked at once

    def page(self, role):
        if role not in self.contexts:
            from .a11y_demo import ROLES as DEMO_ROLES

            email, language = DEMO_ROLES[role]
            context = new_context(self.browser)
            context.set_default_timeout(20_000)
            page = context.new_page()
            if email:
                page.goto(f"{self.base}/logg-inn/")
                page.fill("#id_username", email)
                page.fill("#id_password", "demo")
                with page.expect_navigation():
                    page.click("main form button[type=submit]")
                assert "/logg-inn/" not in page.url, f"{role} could not log in"
            else:
                context.add_cookies([{"name": "some_language", "value": language, "url": self.base}])
            self.contexts[role] = page
        return self.contexts[role]

    def close(self):
        for page in self.contexts.values():
            page.context.close()


@pytest.fixture(scope="session")
def site(browser, django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection

    folder = tmp_path_factory.mktemp("a11y")
    database = folder / "demo.sqlite3"
    with django_db_blocker.unblock():
        # The test database already has every migration: a copy of it saves migrating again.
        connection.ensure_connection()
        copy = sqlite3.connect(database)
        connection.connection.backup(copy)
        copy.close()
    env = portal_env(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="tests.a11y_settings",
        VAR_DIR=folder,
        DEMO=1,
        PUBLIC_PAGE_CACHE=0,
    )
    prepare = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            f"from tests.a11y_demo import main; main({str(folder / 'mail')!r}, {json.dumps(json.dumps(PAGES))})",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert prepare.returncode == 0, prepare.stderr
    paths = json.loads(next(line for line in prepare.stdout.splitlines() if line.startswith("SWEEP-PATHS "))[12:])
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"

    def answers():
        try:
            return urlopen(f"{base}/helse/ping/", timeout=2).status == 200
        except OSError:
            return False

    try:
        wait_for(answers, timeout=60, what="the sweep's portal server")
        site = Site(browser, base, paths)
        yield site
        site.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


# Contrast axe leaves unmeasured, each explained in docs/accessibility.md: text over the wide
# table's scroll shadow (a gradient), an arrow glyph with no letters in it (the handbook's
# "next" link), and a search hit of a letter or two (too short for axe to tell it is text).
UNMEASURED_BUT_EXPLAINED = r"background image|gradient|only non-text characters|too short to determine"


def axe_problems(page, width) -> list[str]:
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.axe_script)
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations", "incomplete"]}
    result = page.evaluate(f"axe.run(document, {json.dumps(options)})")
    problems = []
    for violation in result["violations"]:
        targets = ", ".join(" ".join(n["target"]) for n in violation["nodes"][:3])
        problems.append(f"axe {violation['id']} at {width} px ({len(violation['nodes'])}×): {targets}")
    for item in result["incomplete"]:
        if item["id"] != "color-contrast":
            continue
        for node in item["nodes"]:
            # Text over a picture or a gradient axe cannot measure is looked at by a person
            # (docs/accessibility.md); any other unmeasured contrast is a failure here.
            reasons = " ".join(check.get("message", "") for check in node.get("any", []))
            if not re.search(UNMEASURED_BUT_EXPLAINED, reasons, re.I):
                problems.append(
                    f"axe color-contrast unmeasured at {width} px: {' '.join(node['target'])}: {reasons[:120]}"
                )
    return problems


def _luminance(colour: str) -> float | None:
    match = re.match(r"rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)", colour or "")
    if not match:
        return None
    channels = []
    for value in match.groups():
        c = float(value) / 255
        channels.append(c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def contrast(a: str, b: str) -> float:
    la, lb = _luminance(a), _luminance(b)
    if la is None or lb is None:
        return 21.0
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


def focus_problems(page, steps=14, header=False) -> list[str]:
    """Tab from the start of the main content (or of the page, for the header) a bounded number
    of steps: each control that takes focus draws the ring on itself, with 3:1 against what is
    around it."""
    problems = []
    if header:
        page.evaluate("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
    else:
        page.evaluate("document.getElementById('main') && document.getElementById('main').focus()")
    seen = set()
    for _ in range(steps):
        page.keyboard.press("Tab")
        info = run(page, "focused")
        if not info or info["what"] in seen or info["inMain"] != (not header):
            if header and info and info["inMain"]:
                break
            if not header:
                break
            continue
        seen.add(info["what"])
        if not info["ring"]:
            where = f" (the ring is drawn on {info['ringOnAncestor'][0]})" if info["ringOnAncestor"] else ""
            problems.append(f"no focus ring on the focused {info['what']}{where}")
            continue
        best = max(contrast(info["outline"], info["background"]), contrast(info["shadow"], info["background"]))
        if best < 3:
            problems.append(f"focus ring of {info['what']} has {best:.1f}:1 against {info['background']}")
    return problems


def card_table_problems(page) -> list[str]:
    """A table shown as cards on a phone: the label before each cell is for the eye only."""
    problems = []
    tables = page.locator("table.portal-table-cards:visible")
    for index in range(min(tables.count(), 2)):
        table = tables.nth(index)
        # Labels of cells whose own text does not begin with the label (a cell "Version 2" under
        # "Version" says it itself).
        labels = set(
            table.evaluate(
                "t => [...t.querySelectorAll('td[data-label],th[data-label]')]"
                ".filter(c => c.dataset.label && !c.textContent.trim().startsWith(c.dataset.label))"
                ".map(c => c.dataset.label)"
            )
        )
        snapshot = table.aria_snapshot()
        if any(re.search(rf'- (cell|rowheader|gridcell) "{re.escape(label)}\b', snapshot) for label in labels):
            # The accessibility tree follows a new layout a moment later: ask again once it has.
            page.wait_for_timeout(300)
            snapshot = table.aria_snapshot()
        for label in labels:
            if re.search(rf'- (cell|rowheader|gridcell) "{re.escape(label)}\b', snapshot):
                problems.append(f"a card table reads its label «{label}» as part of the cell")
                break
    return problems


def resize(page, width, height):
    """A new width, once the page has laid itself out again (charts redraw on the next frames)."""
    page.set_viewport_size({"width": width, "height": height})
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 50))))")


HEIGHTS = {DESK: 900, PHONE: 844, NARROW: 640}
# The layout a page has at the present width: which of its style sheets' media queries hold. Two
# widths with the same answer have the same rules; a container query could tell them apart, so
# with one the answer is the width itself.
LAYOUT = """() => {
  const conditions = new Set();
  let containers = false;
  const walk = (rules) => { for (const rule of rules) {
    if (rule instanceof CSSMediaRule) conditions.add(rule.conditionText);
    if (rule instanceof CSSImportRule && rule.media.mediaText) conditions.add(rule.media.mediaText);
    if (typeof CSSContainerRule !== "undefined" && rule instanceof CSSContainerRule) containers = true;
    if (rule.cssRules) walk(rule.cssRules);
  } };
  for (const sheet of document.styleSheets) {
    if (sheet.media.mediaText) conditions.add(sheet.media.mediaText);
    try { walk(sheet.cssRules); } catch (error) { containers = true; }  // a sheet it cannot read
  }
  if (containers) return [String(innerWidth)];
  return [...conditions].filter((c) => matchMedia(c).matches).sort();
}"""


def check(page, role, name, path, site) -> list[str]:
    """The checks of one page as one role, at each width. A page is loaded at the width the one
    before it was left at, and looked at from there: from the desk down to the narrowest, or
    back up (each change of width lays the page out again, and costs as much as a check)."""
    loaded_at = page.viewport_size["width"]
    # Django's administration is looked at with axe only, at desk and phone width.
    widths = [DESK, PHONE] if name.startswith("admin:") else [DESK, PHONE, NARROW]
    problems = []
    phone_layout = None
    for width in sorted(widths, reverse=loaded_at >= DESK):
        if page.viewport_size["width"] != width:
            resize(page, width, HEIGHTS[width])
        if width == DESK:
            problems += axe_problems(page, DESK)
            if name.startswith("admin:"):
                continue
            problems += run(page, "scrollRegions")
            problems += run(page, "foreignText")
            problems += run(page, "errors")
            problems += focus_problems(page)
            if (role, "header") not in site.seen_once:
                # The header is the same on every page: its controls are tried once per role.
                site.seen_once.add((role, "header"))
                problems += focus_problems(page, 30, True)
        elif width == PHONE:
            problems += axe_problems(page, PHONE)
            if name.startswith("admin:"):
                continue
            layout = page.evaluate(LAYOUT)
            if phone_layout is None:
                phone_layout = layout
            elif layout != phone_layout:
                problems += phone_problems(page)
        else:
            # 390 and 320 px are one layout (no media query of the page's style sheets tells them
            # apart: LAYOUT): its scripted checks are run at the narrower, where a box spills and
            # a text clips first. Should a media query come between them, they run at 390 too.
            layout = page.evaluate(LAYOUT)
            if phone_layout is None:
                phone_layout = layout
            elif layout != phone_layout:
                resize(page, PHONE, HEIGHTS[PHONE])
                problems += phone_problems(page)
                resize(page, NARROW, HEIGHTS[NARROW])
            problems += phone_problems(page)
            problems += run(page, "reflow")
    site.checked += len(widths)
    return [f"{role} {path}: {problem}" for problem in problems]


def phone_problems(page) -> list[str]:
    """What is looked at in the phone layout: tables that scroll sideways, card tables, clipped text."""
    return run(page, "scrollRegions") + card_table_problems(page) + run(page, "textSpacing")


# Pages that still fail for a reason outside their templates, each with the change it waits for
# (`reason`), and what the accessibility statement tells its readers about it: the WCAG success
# criterion, where in the portal, and what is wrong, in Bokmål, Nynorsk and English. The
# statement's known deviations are these entries, as a run of the sweep wrote them
# (`make accessibility-results`, tests/a11y_results.py); test_the_statement_lists_what_the_sweep_knows
# keeps the two the same.
KNOWN: dict[str, dict] = {}


def known_deviation(name: str) -> dict:
    """A KNOWN entry as the accessibility statement lists it (accessibility/results.py)."""
    entry = KNOWN[name]
    return {"criterion": entry["criterion"], "where": entry["where"], "description": entry["description"]}


def test_the_statement_lists_what_the_sweep_knows():
    """The statement's known deviations are the sweep's KNOWN entries, as a whole run of the sweep
    wrote them (`make accessibility-results`): a page fixed, or a new one found, without the
    results written again fails here."""
    from accessibility.results import parse, read_results

    results = read_results()
    assert results is not None, "no results file: run make accessibility-results"
    expected = parse({"checked_on": "2000-01-01", "deviations": [known_deviation(name) for name in KNOWN]})
    assert results.deviations == expected.deviations, "KNOWN changed: run make accessibility-results"
    # Written by the sweep, which counts what it checked.
    assert results.pages and results.roles and results.widths


def _params():
    for name in PAGES:
        marks = []
        if name in KNOWN:
            marks.append(pytest.mark.xfail(reason=KNOWN[name]["reason"], strict=False))
        yield pytest.param(name, id=name, marks=marks)


def visit(page, url):
    """The page's response, or None for an error without a page. The development server drops a
    connection now and then on a busy machine, and the browser starts the navigation again: then
    it is asked again, a few times."""
    for attempt in range(4):
        try:
            return page.goto(url)
        except PlaywrightError as error:
            if "ERR_HTTP_RESPONSE_CODE_FAILURE" in str(error):
                return None
            if "interrupted by another navigation" not in str(error) or attempt == 3:
                raise
            page.wait_for_timeout(200 * (attempt + 1))


@pytest.mark.parametrize("name", list(_params()))
def test_page_meets_wcag_21_aa_for_every_role(name, site, request):
    started = time.monotonic()
    if name not in site.paths:
        pytest.skip("the demo has nothing for this page to show (tests/a11y_demo.py: NOT_IN_DEMO)")
    paths = site.paths[name]
    assert paths, (
        f"{name}: no demo object to look at; add a sample to tests/a11y_demo.py "
        "(or, if it is not a page but a file or an action, its name to NOT_PAGES here)"
    )
    roles = ["admin"] if name.startswith("admin:") else ROLES
    problems, shown, seen_as = [], 0, set()
    for index, path in enumerate(paths):
        for role in roles:
            page = site.page(role)
            response = visit(page, site.base + path)
            if response is None:
                continue  # an error without a page (405: an action that takes POST only)
            page.wait_for_load_state()
            if page.url.split("?")[0] != (site.base + path).split("?")[0]:
                continue  # sent elsewhere (to log in, or onwards): that page is swept under its own name
            if response.status >= 400:
                # The error pages are the same everywhere: looked at once per role and status.
                if (role, response.status) in site.seen_once or response.status == 405:
                    continue
                site.seen_once.add((role, response.status))
            shown += 1
            seen_as.add(role)
            site.titles[page.title()].add(name)
            problems += check(page, role, name, path, site)
            if index > 0 and response.status < 400:
                break  # the first sample is seen by every role; the others, by the first role that may see them
    print(f"{name}: {shown} pages in {time.monotonic() - started:.1f} s")
    site.problems[name] = problems
    if shown:
        # What this page was checked as, for the results the statement shows (tests/a11y_results.py);
        # the report carries it to the controller when the run is spread over workers.
        widths = [DESK, PHONE] if name.startswith("admin:") else [DESK, PHONE, NARROW]
        request.node.user_properties.append(("a11y", json.dumps({"roles": sorted(seen_as), "widths": widths})))
    assert not problems, "\n".join(problems)


def test_a_wrong_password_is_announced_and_tied_to_both_fields(site, browser):
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{site.base}/logg-inn/")
    page.fill("#id_username", "medlem@eksempel.no")
    page.fill("#id_password", "not the password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.title().startswith("Feil: ")
    assert "passordet er feil" in page.locator("#error-summary").inner_text()
    for field in ("#id_username", "#id_password"):
        assert page.get_attribute(field, "aria-invalid") == "true"
        assert page.get_attribute(field, "aria-describedby") == "form-error"
        assert page.get_attribute(field, "autofocus") is None
    assert run(page, "errors") == []
    assert axe_problems(page, DESK) == []
    context.close()


def test_a_confirmation_after_a_full_page_load_is_put_in_its_live_region_after_loading(site, browser):
    context = new_context(browser)
    page = context.new_page()
    # Record what is added to a live region once the page has loaded: that is what is read out.
    page.add_init_script(
        "window.__announced = [];"
        "addEventListener('load', () => new MutationObserver(records => records.forEach(r => {"
        " const region = r.target.closest && r.target.closest('[role=status],[aria-live]');"
        " if (region) r.addedNodes.forEach(n => window.__announced.push(n.textContent.trim())); }))"
        ".observe(document.body, {childList: true, subtree: true}));"
    )
    page.goto(f"{site.base}/logg-inn/")
    page.fill("#id_username", "medlem@eksempel.no")
    page.fill("#id_password", "demo")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # Comparing the versions of a draft sends the reader to the plan, with a message that there
    # is nothing to compare yet.
    page.goto(site.base + site.paths["plans:compare"][1])
    page.wait_for_load_state()
    assert page.locator("[data-announce]").get_attribute("role") == "status"
    page.wait_for_function("() => window.__announced.length > 0")
    assert any(text for text in page.evaluate("window.__announced")), "nothing was put in the live region"
    context.close()


# Titles two pages still share, each with the change it waits for.
KNOWN_SHARED_TITLES: set[frozenset[str]] = set()


def test_different_pages_have_different_titles(site):
    """2.4.2: each page's title says which page it is. Pages of different URL names never share
    a title (the same page for different objects does not either, by the object's name)."""
    titles = defaultdict(set)
    for role in ("anonymous", "adviser", "admin"):
        request = site.page(role).context.request
        for name, paths in site.paths.items():
            if name.startswith("admin:") or not paths:
                continue
            response = request.get(site.base + paths[0], max_redirects=0)
            if response.status != 200 or "text/html" not in response.headers.get("content-type", ""):
                continue
            match = re.search(r"<title>(.*?)</title>", response.text(), re.S)
            assert match, f"{name} has no title"
            titles[" ".join(match.group(1).split())].add(name)
    shared = {
        title: sorted(names)
        for title, names in titles.items()
        if len(names) > 1 and frozenset(names) not in KNOWN_SHARED_TITLES
    }
    assert not shared, "\n".join(f"{title!r}: {', '.join(names)}" for title, names in shared.items())


EMPTY_FORMS = [
    ("anonymous", "accounts:login", "Error: "),
    ("anonymous", "registry:report", "Error: "),
    ("adviser", "registry:create", "Error: "),
    ("adviser", "courses:course_create", "Error: "),
    ("member", "plans:create", "Feil: "),
]


@pytest.mark.parametrize("role,name,prefix", EMPTY_FORMS, ids=[f"{n}-{r}" for r, n, _p in EMPTY_FORMS])
def test_a_form_sent_empty_announces_its_errors_and_ties_them_to_the_fields(role, name, prefix, site):
    """3.3.1, 4.1.3, 2.4.2: an empty form comes back with "Feil:"/"Error:" first in the title, an
    error summary that has focus, and every field in error marked and tied to its message."""
    page = site.page(role)
    page.goto(site.base + site.paths[name][0])
    form = page.locator("main form[method=post]").last
    form.evaluate(
        "f => f.querySelectorAll('input[type=text], input[type=url], input[type=email], textarea').forEach(i => i.value = '')"
    )
    with page.expect_navigation():
        form.locator("button[type=submit]").last.click()
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'error-summary'")
    assert page.title().startswith(prefix), page.title()
    assert page.locator("[aria-invalid=true]").count() > 0
    assert run(page, "errors") == []
    assert axe_problems(page, DESK) == []
