"""Every list a form takes has a bound the server keeps, not only the page: formsets
(the plan's goals and channels: tests/test_plan_edit.py) and multiple-choice fields."""

from django.urls import reverse

from registry.models import Account


def _account_form(cast, **changes):
    data = {
        "unit": cast["unit"].pk,
        "address": "https://www.instagram.com/blodbanken_bergen/",
        "platform": "",
        "display_name": "Blodbanken i Bergen",
        "purpose": "Rekruttering av blodgivarar",
        "languages": ["nn"],
        "editor": cast["member"].pk,
        "deputies": [cast["deputy"].pk],
        "login_email": "blodbanken.some@example.no",
        "response_hours": "Kvardagar 08–15",
        "response_time": "Innan éin arbeidsdag",
    }
    data.update(changes)
    return data


def test_a_language_sent_many_times_is_stored_once(client, cast):
    client.force_login(cast["adviser"])
    data = _account_form(cast, languages=["nn"] * 300 + ["nb"] * 300)
    response = client.post(reverse("registry:create") + f"?unit={cast['unit'].pk}", data)
    assert response.status_code == 302
    assert Account.objects.get().languages == ["nn", "nb"]


def test_a_deputy_sent_many_times_is_one_deputy(client, cast):
    client.force_login(cast["adviser"])
    data = _account_form(cast, deputies=[cast["deputy"].pk] * 300)
    client.post(reverse("registry:create") + f"?unit={cast['unit'].pk}", data)
    assert list(Account.objects.get().deputies.all()) == [cast["deputy"]]


def test_plan_deputies_are_bounded_by_the_units_people(client, cast, make_plan, instagram):
    from .test_plan_edit import form_data

    plan = make_plan("draft")
    client.force_login(cast["member"])
    data = form_data(plan, instagram, deputies=[str(cast["deputy"].pk)] * 300 + [str(cast["other"].pk)])
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response.status_code == 400  # someone from another unit is not a choice
    data = form_data(plan, instagram, deputies=[str(cast["deputy"].pk)] * 300)
    assert client.post(reverse("plans:edit", args=[plan.pk]), data).status_code == 302
    assert list(plan.deputies.all()) == [cast["deputy"]]
