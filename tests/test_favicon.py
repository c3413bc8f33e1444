"""The portal's icon: linked from every page, and at /favicon.ico, which browsers ask for
whatever a page says (it answered 404 on every page before)."""

from django.contrib.staticfiles import finders
from django.urls import reverse


def test_favicon_ico_answers_with_an_icon(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in {"image/x-icon", "image/vnd.microsoft.icon"}
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_every_page_links_the_icon(client, db):
    page = client.get(reverse("registry:verify")).content.decode()
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page
    svg = finders.find("favicon.svg")
    with open(svg, encoding="utf-8") as icon:
        assert icon.read().startswith("<svg")
