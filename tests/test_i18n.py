"""Bokmål by default; Nynorsk and English complete; the switch remembers the choice."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

BASE = Path(settings.BASE_DIR)
# The project's catalogue, and those of the apps that keep their own (<app>/locale/).
LOCALE_DIRS = [BASE / "locale", *sorted(p for p in BASE.glob("*/locale") if p.is_dir())]


def catalogues(language):
    return [d / language / "LC_MESSAGES" / "django.po" for d in LOCALE_DIRS]


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_every_message_is_translated(language):
    for po in catalogues(language):
        result = subprocess.run(
            ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)], capture_output=True, text=True
        )
        assert result.returncode == 0, result.stderr
        assert re.search(r"^\d+ translated messages\.$", result.stderr.strip().splitlines()[-1]), (po, result.stderr)


def test_the_catalogues_cover_the_source(tmp_path):
    """Every string marked in the code is in the catalogues (makemessages finds nothing new)."""
    po = "".join(path.read_text() for path in catalogues("nb"))
    # A long msgid continues on the lines below it: join them.
    known = {
        "".join(re.findall(r'"(.*)"', block)) for block in re.findall(r'^msgid (".*"\n(?:".*"\n)*)', po, flags=re.M)
    }
    sources = [p for p in Path(settings.BASE_DIR).glob("*/templates/**/*.html")]
    sources += list(Path(settings.BASE_DIR, "templates").glob("**/*.html"))
    missing = []
    for path in sources:
        for text in re.findall(r'{% translate "([^"]+)"', path.read_text()):
            if text not in known:
                missing.append((path.name, text))
    assert missing == []


def test_bokmal_is_the_default_whatever_the_browser_says(client, db):
    page = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="nb"' in page
    assert "Logg inn" in page


@pytest.mark.parametrize("language,words", [("nn", "Logg inn"), ("en", "Log in")])
def test_the_language_switch(language, words, client, db):
    response = client.post(reverse("core:set_language"), {"language": language, "next": "/"})
    assert response.status_code == 302
    page = client.get(reverse("core:home")).content.decode()
    assert f'<html lang="{language}"' in page and words in page


def test_nynorsk_pages_use_nynorsk(client, cast, make_plan):
    plan = make_plan("draft")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    client.force_login(cast["member"])
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Utkast" in page and "Kommentarar" in page
    assert "Comments" not in page


def test_an_unknown_language_falls_back_to_bokmal(client, db):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert '<html lang="nb"' in client.get(reverse("core:home")).content.decode()


def test_a_logged_in_persons_choice_also_sets_the_language_of_their_e_mail(client, cast):
    client.force_login(cast["member"])
    client.post(reverse("core:set_language"), {"language": "nn", "next": "/"})
    cast["member"].refresh_from_db()
    assert cast["member"].language == "nn"
    client.post(reverse("core:set_language"), {"language": "xx", "next": "/"})
    cast["member"].refresh_from_db()
    assert cast["member"].language == "nn"


def test_responses_vary_on_the_language_cookie(client, db):
    assert "Cookie" in client.get(reverse("handbook:index"))["Vary"]
