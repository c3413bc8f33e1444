"""The screenshots in docs/using.md, taken from a portal that runs with the demo data.

    make run                      # in one terminal: the demo
    make docs-screenshots         # in another: writes docs/screenshots/*.png

or `python docs/screenshots.py --base-url http://127.0.0.1:8000 --out docs/screenshots`.
The pages are shown in English (the language switch's cookie), at 1280 × 800, one screen
each. tests/test_docs_screenshots.py runs the same code against the test server.
"""

import argparse
import os
import re
from collections.abc import Callable
from pathlib import Path

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"]
WIDTH, HEIGHT = 1280, 800
PASSWORD = "demo"

MEMBER = "medlem@eksempel.no"
LEADER = "leiar@eksempel.no"
ADVISER = "radgivar@eksempel.no"
ADMINISTRATOR = "admin@eksempel.no"

# Plans and an account of the demo data (demo/management/commands/demo_load.py, demo/register.py).
DRAFT = "YouTube for dei som snart fyller 18"
AWAITING_LEADER = "TikTok for unge i Vestland"
APPROVED_WITH_VERSIONS = "Instagram og Facebook for nye blodgivarar"
OFFICIAL_ACCOUNT = "https://www.instagram.com/blodbanken_bergen/"


def plan_path(page, base_url: str, title: str) -> str:
    """The plan page of the plan with this title, found in the plan list."""
    page.goto(f"{base_url}/planer/")
    href = page.get_by_role("link", name=title).first.get_attribute("href")
    return re.match(r".*?(/planer/\d+/)", href).group(1)


def plan_number(page, base_url: str, title: str) -> str:
    return re.search(r"/planer/(\d+)/", plan_path(page, base_url, title)).group(1)


# Each shot: a file name, who is logged in (None: the public) and how to get to the page.
Shot = tuple[str, str | None, Callable]
SHOTS: list[Shot] = [
    ("public-accounts.png", None, lambda page, base: page.goto(f"{base}/kontoer/")),
    ("public-verify.png", None, lambda page, base: page.goto(f"{base}/verifiser/?q={OFFICIAL_ACCOUNT}")),
    ("public-handbook.png", None, lambda page, base: page.goto(f"{base}/handbok/")),
    ("member-plans.png", MEMBER, lambda page, base: page.goto(f"{base}/planer/")),
    ("member-plan-form.png", MEMBER, lambda page, base: page.goto(base + plan_path(page, base, DRAFT) + "rediger/")),
    ("leader-confirm.png", LEADER, lambda page, base: page.goto(base + plan_path(page, base, AWAITING_LEADER))),
    ("leader-competence.png", LEADER, lambda page, base: page.goto(f"{base}/kurs/kompetanse/")),
    ("adviser-queue.png", ADVISER, lambda page, base: page.goto(f"{base}/behandling/")),
    (
        "adviser-review.png",
        ADVISER,
        lambda page, base: page.goto(f"{base}/behandling/{plan_number(page, base, APPROVED_WITH_VERSIONS)}/"),
    ),
    ("adviser-overview.png", ADVISER, lambda page, base: page.goto(f"{base}/evaluering/oversikt/")),
    ("admin-register.png", ADMINISTRATOR, lambda page, base: page.goto(f"{base}/register/")),
    ("admin-organisation.png", ADMINISTRATOR, lambda page, base: page.goto(f"{base}/organisasjon/")),
]
NAMES = [name for name, _who, _go in SHOTS]


def in_english(context, base_url: str) -> None:
    context.add_cookies([{"name": "some_language", "value": "en", "url": f"{base_url}/"}])


def log_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/logg-inn/")
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if "/logg-inn/" in page.url:
        raise RuntimeError(f"{email} could not log in at {base_url}: is the demo data loaded?")


def shrink(path: Path) -> None:
    """256 colours are plenty for a page of text: the file is a third of the size."""
    try:
        from PIL import Image
    except ImportError:  # Pillow comes with WeasyPrint; without it the picture stays as taken
        return
    with Image.open(path) as image:
        smaller = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    smaller.save(path, optimize=True)


def take(browser, base_url: str, out: Path, names: list[str] | None = None) -> list[Path]:
    """Take the screenshots (all, or those named) into `out`; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    contexts = {}
    try:
        for name, who, go in SHOTS:
            if names is not None and name not in names:
                continue
            if who not in contexts:
                context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, reduced_motion="reduce")
                in_english(context, base_url)
                page = context.new_page()
                if who:
                    log_in(page, base_url, who)
                    in_english(context, base_url)  # logging in chooses the person's own language
                contexts[who] = (context, page)
            page = contexts[who][1]
            response = go(page, base_url)
            if response is not None and response.status >= 400:
                raise RuntimeError(f"{name}: {page.url} answered {response.status}")
            if page.get_attribute("html", "lang") != "en":
                raise RuntimeError(f"{name}: {page.url} is not shown in English")
            page.wait_for_load_state("networkidle")
            path = out / name
            page.screenshot(path=str(path), full_page=False)
            shrink(path)
            written.append(path)
    finally:
        for context, _page in contexts.values():
            context.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default=f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "screenshots")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            for path in take(browser, args.base_url.rstrip("/"), args.out):
                print(f"{path.name}: {path.stat().st_size // 1024} kB")
        finally:
            browser.close()


if __name__ == "__main__":
    main()
