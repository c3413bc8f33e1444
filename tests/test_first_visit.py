"""A person new to the portal, in no unit yet (often just arrived by single sign-on), is told
what the portal is for them instead of "nothing waits for you" and an empty plan list."""

import pytest
from django.urls import reverse

from .conftest import make_user

pytestmark = pytest.mark.django_db


def test_a_person_in_no_unit_is_shown_where_to_start(client, cast):
    newcomer = make_user("nils@example.no", "Nils Ny")
    client.cookies["some_language"] = "en"
    client.force_login(newcomer)
    page = client.get(reverse("core:home")).content.decode()
    assert "You are not in a unit in the portal yet" in page
    assert f'href="{reverse("handbook:index")}">Read the handbook' in page
    assert f'href="{reverse("courses:list")}">Take the basic course' in page
    assert "Ask your leader to add you to your unit" in page
    assert "Nothing waits for you right now." not in page
    assert "Your units&#x27; plans" not in page and "Your units' plans" not in page  # an empty list


@pytest.mark.parametrize("role", ["member", "leader", "adviser"])
def test_people_with_a_unit_or_the_department_are_not_shown_the_first_steps(client, cast, role):
    client.cookies["some_language"] = "en"
    client.force_login(cast[role])
    page = client.get(reverse("core:home")).content.decode()
    assert 'id="first-steps"' not in page
