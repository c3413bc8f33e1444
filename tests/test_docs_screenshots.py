"""The screenshots in the user guide are taken by a script (docs/screenshots.py) that still
runs: here against the test server with the demo data, into a temporary folder."""

import importlib.util
import re
import struct
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCS = Path(settings.BASE_DIR) / "docs"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def load_script():
    spec = importlib.util.spec_from_file_location("docs_screenshots", DOCS / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, f"{path.name} is not a PNG"
    assert data[12:16] == b"IHDR", f"{path.name} has no PNG header"
    return struct.unpack(">II", data[16:24])


def test_the_user_guide_shows_every_screenshot_the_script_takes():
    script = load_script()
    guide = (DOCS / "using.md").read_text()
    shown = re.findall(r"\]\(screenshots/([\w-]+\.png)\)", guide)
    assert sorted(shown) == sorted(script.NAMES)
    assert len(script.NAMES) <= 12
    for name in script.NAMES:
        assert png_size(DOCS / "screenshots" / name)[0] == script.WIDTH, name


def test_the_script_takes_every_screenshot_from_the_demo(browser, live_server, catalogue, tmp_path):
    call_command("demo_load", verbosity=0)
    script = load_script()

    written = script.take(browser, live_server.url, tmp_path)

    assert [path.name for path in written] == script.NAMES
    for name in script.NAMES:
        width, height = png_size(tmp_path / name)
        assert (width, height) == (script.WIDTH, script.HEIGHT), name
