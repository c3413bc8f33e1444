import pytest
from django.urls import reverse

from accounts.models import LoginFailure

from .conftest import PASSWORD


def login(client, email, password):
    return client.post(reverse("accounts:login"), {"username": email, "password": password})


def test_login_with_e_mail_in_any_case(client, cast):
    response = login(client, "SILJE@Example.no", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("plans:list")).status_code == 200


def test_a_wrong_password_gets_a_clear_message(client, cast):
    response = login(client, cast["member"].email, "wrong")
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert LoginFailure.objects.count() == 1


def test_repeated_failures_are_throttled_even_with_the_right_password(client, cast, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        login(client, cast["member"].email, "wrong")
    response = login(client, cast["member"].email, PASSWORD)
    assert response.status_code == 200
    [error] = response.context["form"].non_field_errors().as_data()
    assert error.code == "throttled"
    assert "_auth_user_id" not in client.session
    # Another person is not locked out by it.
    assert login(client, cast["leader"].email, PASSWORD).status_code == 302


def test_a_successful_login_clears_earlier_failures(client, cast):
    login(client, cast["member"].email, "wrong")
    assert login(client, cast["member"].email, PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(email=cast["member"].email).exists()


def test_an_inactive_user_cannot_log_in(client, cast):
    cast["member"].is_active = False
    cast["member"].save()
    assert login(client, cast["member"].email, PASSWORD).status_code == 200


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/"])
def test_login_never_redirects_to_another_site(next_url, client, cast):
    response = client.post(
        reverse("accounts:login") + f"?next={next_url}", {"username": cast["member"].email, "password": PASSWORD}
    )
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_logout_is_post_only(client, cast):
    client.force_login(cast["member"])
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("language,words", [("nn", "Mine oppgåver"), ("en", "My tasks")])
def test_the_portal_speaks_the_persons_saved_language_after_login(client, cast, language, words):
    cast["member"].language = language
    cast["member"].save()
    client.cookies["some_language"] = "nb"  # this computer was last used in Bokmål
    response = login(client, cast["member"].email, PASSWORD)
    assert response.cookies["some_language"].value == language
    page = client.get(reverse("core:home")).content.decode()
    assert f'<html lang="{language}"' in page and words in page


def test_a_language_chosen_on_the_login_page_is_kept_and_saved(client, cast):
    """The switch on the login page, just before logging in, is the person's own choice: it
    wins over their saved language, becomes it, and nothing is stored before they log in."""
    from django.contrib.sessions.models import Session

    client.post(reverse("core:set_language"), {"language": "en", "next": reverse("accounts:login")})
    assert not Session.objects.exists()
    response = login(client, cast["member"].email, PASSWORD)
    assert response.cookies["some_language"].value == "en"
    assert response.cookies["some_language_chosen"]["max-age"] == 0  # used up
    cast["member"].refresh_from_db()
    assert cast["member"].language == "en"
    assert '<html lang="en"' in client.get(reverse("core:home")).content.decode()
    # The next login on this computer follows the saved language again.
    cast["member"].language = "nn"
    cast["member"].save()
    client.logout()
    assert login(client, cast["member"].email, PASSWORD).cookies["some_language"].value == "nn"


def test_a_failed_login_leaves_the_language_alone(client, cast):
    cast["member"].language = "en"
    cast["member"].save()
    response = login(client, cast["member"].email, "wrong")
    assert "some_language" not in response.cookies
