"""Who may use the administration (/admin/): every page of it, for every role.

Django's admin makes its pages itself, several for every model registered (list, add,
change, history, delete), plus its login, logout, password change, index, app lists,
autocomplete and the like. This module walks every named URL the admin has, whatever
models are registered when the test runs, and checks each role:

- anonymous visitors and people who are not staff (members, leaders, advisers) are sent
  to the administration's login, and see nothing;
- staff without permissions get no further than the index (403 elsewhere);
- the administrator gets an answer that is not a server error (200, 302, 403 for the
  records the administration shows read-only, and the like).

The admin's few unnamed patterns (its redirect from an object's bare address and its
catch-all) are checked the same way. The admin's login is throttled like the portal's:
tests/test_throttle.py and tests/test_security.py.

COVERED_URLS is every admin URL name, because the test below requests every one of them.
"""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accessibility.models import StatementLink
from accounts.models import default_organisation
from organisation.models import SyncRun

from .conftest import make_user

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "member", "leader", "adviser", "staff", "admin"]


def admin_url_names() -> list[tuple[str, list[str]]]:
    """(name, the names of its arguments) for every named URL of the admin."""
    [resolver] = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "admin"]

    def walk(patterns, arguments):
        for p in patterns:
            here = arguments + list(p.pattern.regex.groupindex)
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, here)
            elif p.name:
                yield f"admin:{p.name}", here

    return list(walk(resolver.url_patterns, []))


COVERED_URLS = {name for name, _args in admin_url_names()}


@pytest.fixture
def objects(cast, make_plan):
    """One object of every registered model, for the pages about one object."""
    make_plan("submitted")  # audit entries and outbox messages
    Group.objects.create(name="Redaktørar")
    SyncRun.objects.create(filename="organisasjon.csv", content=b"enhet_id;navn", sha256="0" * 64)
    StatementLink.objects.create(
        organisation=default_organisation(), url="https://uustatus.no/nb/erklaringer/publisert/eksempel"
    )
    DBTaskResult.objects.create(
        args_kwargs={"args": [0], "kwargs": {}},
        task_path="core.tasks.send_email",
        backend_name="default",
        run_after=timezone.now(),
    )
    found = {}
    for model in admin.site._registry:
        instance = model._default_manager.order_by("pk").first()
        assert instance is not None, f"no {model.__name__} to open in the administration"
        found[f"{model._meta.app_label}_{model._meta.model_name}"] = instance
    return found


def url_for(name: str, arguments: list[str], objects: dict, cast) -> str:
    short = name.removeprefix("admin:")
    if short == "app_list":
        return reverse(name, kwargs={"app_label": "accounts"})
    if short == "view_on_site":
        user = cast["member"]
        return reverse(
            name, kwargs={"content_type_id": ContentType.objects.get_for_model(user).pk, "object_id": user.pk}
        )
    if short == "auth_user_password_change":
        return reverse(name, kwargs={"id": cast["member"].pk})
    if not arguments:
        return reverse(name)
    model = next(key for key in objects if short.startswith(key + "_"))
    return reverse(name, kwargs={"object_id": objects[model].pk})


def _sent_to_login(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_administration(role, client, cast, objects):
    if role == "staff":
        client.force_login(make_user("staff@example.no", "Stine Staff", is_staff=True))
    elif role != "anonymous":
        client.force_login(cast[role])
    checked = []
    for name, arguments in admin_url_names():
        url = url_for(name, arguments, objects, cast)
        if name == "admin:logout":
            response = client.post(url)
            assert response.status_code in (200, 302), name  # logged out (or was not logged in)
            client.logout()
            if role == "staff":
                client.force_login(make_user("staff2@example.no", "Stig Staff", is_staff=True))
            elif role != "anonymous":
                client.force_login(cast[role])
            checked.append(name)
            continue
        response = client.get(url)
        if role in ("anonymous", "member", "leader", "adviser"):
            if name == "admin:login":
                assert response.status_code == 200, name
            elif name in ("admin:jsi18n", "admin:view_on_site"):
                assert response.status_code in (200, 302, 404) and b"Tor Lunde" not in response.content, name
            else:
                assert _sent_to_login(response), (name, response.status_code)
        elif role == "staff":
            if name in ("admin:index", "admin:login", "admin:jsi18n", "admin:view_on_site"):
                assert response.status_code in (200, 302, 404), name
            elif name.startswith("admin:password_change"):
                assert response.status_code == 200, name  # their own password
            else:
                assert response.status_code in (403, 404), (name, response.status_code)
        else:
            assert response.status_code < 500 and not _sent_to_login(response), (name, response.status_code)
        checked.append(name)
    assert set(checked) == COVERED_URLS


@pytest.mark.parametrize("role", ["anonymous", "member", "adviser", "admin"])
def test_the_admins_unnamed_addresses(role, client, cast, objects):
    if role != "anonymous":
        client.force_login(cast[role])
    bare = f"/admin/accounts/user/{cast['member'].pk}/"
    for url in [bare, "/admin/ingen/slik/side/"]:
        response = client.get(url)
        if role == "admin":
            assert response.status_code in (301, 302, 404), url
            if response.status_code == 302:
                assert re.search(r"/admin/accounts/user/\d+/change/", response["Location"])
        else:
            assert response.status_code in (302, 404) and "/admin/" in response.get("Location", "/admin/"), url
            assert b"Silje Dale" not in response.content
