"""The demo's e-mail page shows a message's HTML part as well as its text, with the links that
can be followed, and nothing in the HTML can run or reach outside the page."""

from email.message import EmailMessage

import pytest
from django.urls import reverse

NAME = "20261126-100000-000000-abcdef12.eml"
HTML = """<!doctype html><html lang="nb"><head><meta charset="utf-8"><title>Planen er godkjent</title>
<style>body { background: url(https://tracker.example/x.png) }</style></head>
<body style="font-family:Arial">
<h1 style="font-size:20px">Plan for sosiale medier for: Blodbanken i Bergen</h1>
<p>Hei Silje,</p>
<p onclick="alert(1)">Planen er godkjent. <a href="http://localhost:8000/planer/7/" target="_blank">Åpne planen</a></p>
<p><a href="javascript:alert(2)">Ikke en lenke</a><script>alert(3)</script><img src="https://tracker.example/y.png"></p>
<table style="border-collapse:collapse"><tr><th style="text-align:left">Mål</th><td>Flere blodgivere</td></tr></table>
</body></html>"""


@pytest.fixture
def caught(settings, tmp_path):
    settings.MAIL_CATCHER_DIR = tmp_path
    message = EmailMessage()
    message["Subject"] = "Planen er godkjent"
    message["From"] = "some@example.no"
    message["To"] = "silje@example.no"
    message.set_content("Hei Silje,\n\nPlanen er godkjent: http://localhost:8000/planer/7/\n")
    message.add_alternative(HTML, subtype="html")
    (tmp_path / NAME).write_bytes(message.as_bytes())
    return NAME


def test_the_html_part_is_shown_with_its_links(client, caught, db):  # the page names its organisation
    page = client.get(reverse("demo:mail_detail", args=[caught])).content.decode()
    html = page[page.index('class="ds-card portal-mail-html"') :]
    html = html[: html.index("</section>")]
    assert '<a href="http://localhost:8000/planer/7/" rel="noopener noreferrer">Åpne planen</a>' in html
    assert "<h3>Plan for sosiale medier for: Blodbanken i Bergen</h3>" in html  # under the page's headings
    assert "<th>Mål</th><td>Flere blodgivere</td>" in html
    # The text part is still there, as it was.
    assert "Planen er godkjent: http://localhost:8000/planer/7/" in page


def test_nothing_in_the_html_part_runs_or_reaches_outside(client, caught, db):
    page = client.get(reverse("demo:mail_detail", args=[caught])).content.decode()
    html = page[page.index('class="ds-card portal-mail-html"') :]
    html = html[: html.index("</section>")]
    for unwanted in (
        "<script",
        "alert(",
        "javascript:",
        "onclick",
        "style=",
        "<style",
        "tracker.example",
        "<img",
        "target=",
    ):
        assert unwanted not in html, unwanted
    assert "<title" not in html and "Planen er godkjent</title>" not in html


def test_a_message_without_an_html_part_shows_its_text_only(client, settings, tmp_path, db):
    settings.MAIL_CATCHER_DIR = tmp_path
    message = EmailMessage()
    message["Subject"] = "Kvittering"
    message["From"] = "some@example.no"
    message["To"] = "silje@example.no"
    message.set_content("Planen er motteken.")
    (tmp_path / NAME).write_bytes(message.as_bytes())
    page = client.get(reverse("demo:mail_detail", args=[NAME])).content.decode()
    assert "Planen er motteken." in page and "portal-mail-html" not in page
