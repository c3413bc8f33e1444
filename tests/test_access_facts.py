"""Who may see and change the hospital's platform terms and the handbook's placeholders:
communications advisers only. Others who are logged in get 403; visitors are sent to log in."""

import pytest
from django.urls import reverse

from facts.models import Placeholder

COVERED_URLS = {"facts:platforms", "facts:platform_edit", "facts:placeholders", "facts:placeholder_edit"}

ROLES = ["anonymous", "member", "leader", "other", "admin", "adviser"]
PAGES = [
    ("get", "facts:platforms", []),
    ("get", "facts:platform_edit", ["facebook"]),
    ("post", "facts:platform_edit", ["facebook"]),
    ("get", "facts:placeholders", []),
    ("get", "facts:placeholder_edit", ["sentralbord"]),
    ("post", "facts:placeholder_edit", ["sentralbord"]),
]
DATA = {
    "facts:platform_edit": {"policy": "approved", "reason": "Godkjend."},
    "facts:placeholder_edit": {"label": "telefonnummeret til sentralbordet", "kind": "text", "value": "1"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,url_name,args", PAGES, ids=[f"{p[0]} {p[1]}" for p in PAGES])
def test_only_advisers_see_and_change_the_facts(method, url_name, args, role, client, cast, catalogue):
    if role != "anonymous":
        client.force_login(cast[role])
    response = getattr(client, method)(reverse(url_name, args=args), DATA.get(url_name, {}))
    if role == "anonymous":
        assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    elif role == "adviser":
        assert response.status_code == (302 if method == "post" else 200)
    else:
        assert response.status_code == 403
    if role != "adviser":
        assert Placeholder.objects.get(key="sentralbord").value == ""


def test_a_platform_or_key_that_does_not_exist_is_404_for_advisers(client, cast, catalogue):
    client.force_login(cast["adviser"])
    assert client.get(reverse("facts:platform_edit", args=["myspace"])).status_code == 404
    assert client.get(reverse("facts:placeholder_edit", args=["ukjent"])).status_code == 404
