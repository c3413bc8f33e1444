"""The administration is one more path through the services: a person, a unit, a membership or
a platform changed in the admin is audited and heard like a change anywhere else (a person
deactivated there hands over their accounts)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from accounts.models import Membership, Unit, User
from core.models import AuditEntry, OutboundEmail
from platforms.models import Platform


class _Form(HTMLParser):
    """The values a browser would post from a page's form (the admin's change form)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in {"submit", "button", "file"}:
            if attrs.get("type") in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
            else:
                self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data.lstrip("\n") if not self.data[self._textarea][0] else data


def change_form(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    parser = _Form()
    parser.feed(response.content.decode())
    return {name: values if len(values) > 1 else (values[0] if values else "") for name, values in parser.data.items()}


def posted(response):
    # A change that the admin accepted redirects; one it refused shows the form with errors.
    errors = getattr(response, "context", None) and response.context.get("errors")
    assert response.status_code == 302, errors
    return response


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast["admin"])
    return client


def test_deactivating_a_person_in_the_admin_is_audited_and_hands_over_their_accounts(admin_client, cast, make_account):  # noqa: F811
    account = make_account()
    url = reverse("admin:accounts_user_change", args=[cast["member"].pk])
    data = change_form(admin_client, url)
    data.pop("is_active")
    posted(admin_client.post(url, data))
    member = User.objects.get(pk=cast["member"].pk)
    assert not member.is_active
    entry = AuditEntry.objects.get(action="person.deactivated", target_id=member.pk)
    assert entry.actor == cast["admin"] and "is_active" in entry.data["fields"]
    account.refresh_from_db()
    assert account.needs_new_editor
    assert OutboundEmail.objects.filter(template="account_needs_editor").exists()
    assert AuditEntry.objects.filter(
        action="account.needs_new_editor", target_id=account.pk, actor=cast["admin"]
    ).exists()


def test_a_person_changed_in_the_admin_is_audited_without_the_password(admin_client, cast):
    url = reverse("admin:accounts_user_change", args=[cast["other"].pk])
    data = change_form(admin_client, url)
    data["full_name"] = "Lene Aarskog Berg"
    posted(admin_client.post(url, data))
    entry = AuditEntry.objects.get(action="person.updated", target_id=cast["other"].pk)
    assert entry.actor == cast["admin"] and entry.data == {"fields": ["full_name"]}

    add = reverse("admin:accounts_user_add")
    data = change_form(admin_client, add)
    data.update(
        {
            "email": "ny@example.no",
            "full_name": "Ny Person",
            "password1": "Langt-og-trygt-42",
            "password2": "Langt-og-trygt-42",
        }
    )
    posted(admin_client.post(add, data))
    created = AuditEntry.objects.get(action="person.created", target_id=User.objects.get(email="ny@example.no").pk)
    assert {"email", "full_name"} <= set(created.data["fields"])
    assert not {"password", "password1", "password2"} & set(created.data["fields"])
    assert "Langt-og-trygt-42" not in str(created.data)


def test_taking_a_person_out_of_a_unit_in_the_admin_hands_over_their_accounts_there(admin_client, cast, make_account):  # noqa: F811
    account = make_account()
    deputy = cast["deputy"]
    url = reverse("admin:accounts_user_change", args=[deputy.pk])
    data = change_form(admin_client, url)
    membership = Membership.objects.get(user=deputy, unit=cast["unit"])
    row = next(
        key.rsplit("-", 1)[0] for key, value in data.items() if key.endswith("-id") and value == str(membership.pk)
    )
    data[f"{row}-DELETE"] = "on"
    posted(admin_client.post(url, data))
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEntry.objects.filter(action="person.unit_removed", target_id=deputy.pk, actor=cast["admin"]).exists()
    account.refresh_from_db()
    assert account.needs_new_editor


def test_adding_a_person_to_a_unit_in_the_admin_is_audited(admin_client, cast):
    url = reverse("admin:accounts_unit_change", args=[cast["other_unit"].pk])
    data = change_form(admin_client, url)
    prefix = "memberships"
    new = int(data[f"{prefix}-TOTAL_FORMS"]) - 1  # the empty extra row
    data[f"{prefix}-{new}-user"] = str(cast["deputy"].pk)
    data[f"{prefix}-{new}-unit"] = str(cast["other_unit"].pk)
    posted(admin_client.post(url, data))
    assert Membership.objects.filter(user=cast["deputy"], unit=cast["other_unit"]).exists()
    assert AuditEntry.objects.filter(
        action="person.unit_added", target_id=cast["deputy"].pk, actor=cast["admin"]
    ).exists()


def test_a_unit_renamed_in_the_admin_is_audited_and_renamed_in_the_registers_answers(
    admin_client, cast, make_account, client
):
    unit = cast["unit"]
    url = reverse("admin:accounts_unit_change", args=[unit.pk])
    data = change_form(admin_client, url)
    data["name"] = "Blodbanken i Bergen og Voss"
    posted(admin_client.post(url, data))
    assert Unit.objects.get(pk=unit.pk).name == "Blodbanken i Bergen og Voss"
    entry = AuditEntry.objects.get(action="unit.updated", target_id=unit.pk)
    assert entry.actor == cast["admin"] and entry.data == {"fields": ["name"]}


def test_a_unit_deleted_in_the_admin_is_audited(admin_client, cast):
    unit = Unit.objects.create(name="Seksjon som gjekk", kind=Unit.Kind.SECTION, parent=cast["unit"])
    posted(admin_client.post(reverse("admin:accounts_unit_delete", args=[unit.pk]), {"post": "yes"}))
    assert not Unit.objects.filter(pk=unit.pk).exists()
    assert AuditEntry.objects.filter(action="unit.deleted", target_id=unit.pk, actor=cast["admin"]).exists()


def test_a_platform_changed_in_the_admin_is_audited(admin_client, cast, catalogue):
    platform = catalogue["instagram"]
    url = reverse("admin:platforms_platform_change", args=[platform.pk])
    data = change_form(admin_client, url)
    data["name"] = "Instagram (Meta)"
    posted(admin_client.post(url, data))
    assert Platform.objects.get(pk=platform.pk).name == "Instagram (Meta)"
    entry = AuditEntry.objects.get(action="platform.updated", target_id=platform.pk)
    assert entry.actor == cast["admin"] and entry.data["fields"] == ["name"]


def test_letting_the_next_login_take_over_is_audited(admin_client, cast):
    posted(
        admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "allow_sso_link", "_selected_action": [cast["other"].pk]},
        )
    )
    assert User.objects.get(pk=cast["other"].pk).sso_may_link
    assert AuditEntry.objects.filter(action="person.sso_link_allowed", target_id=cast["other"].pk).exists()
