"""Names lose what cannot be seen (U+FEFF, zero-width spaces, direction marks …),
whether typed into a form or imported from a file."""

import pytest
from django.urls import reverse

from accounts.models import Unit, User
from handbook.models import Document
from registry.models import Account

HIDDEN = "\ufeff\u200bBlod\u200dbanken\u00a0i\u2060 Bergen\u200e\u00ad"


@pytest.mark.parametrize(
    "typed,clean",
    [
        (HIDDEN, "Blodbanken i Bergen"),
        ("  Hjarte\u200b-\u200bavdelinga  ", "Hjarte-avdelinga"),
        ("Ku\u0308nstnar", "Künstnar"),  # composed
        ("\u202eesrever", "esrever"),  # no right-to-left override hiding what a name says
        ("Plain ASCII name", "Plain ASCII name"),
        ("Ærleg Øystein Åsen", "Ærleg Øystein Åsen"),
    ],
)
def test_clean_name(typed, clean):
    from core.text import clean_name

    assert clean_name(typed) == clean


def test_strip_invisible_keeps_line_breaks_and_letters():
    from core.text import strip_invisible

    assert strip_invisible("Line one\ufeff\nLine\u200b two") == "Line one\nLine two"


def test_a_typed_display_name(client, cast):
    from .test_limits import _account_form

    client.force_login(cast["adviser"])
    client.post(reverse("registry:create") + f"?unit={cast['unit'].pk}", _account_form(cast, display_name=HIDDEN))
    assert Account.objects.get().display_name == "Blodbanken i Bergen"


def test_an_imported_file_with_hidden_characters(client, cast, catalogue):
    from .test_registry_transfer import IMPORT_HEADER, row, upload

    text = (
        IMPORT_HEADER
        + "\n"
        + row(
            display_name=HIDDEN,
            unit="\u200bBlodbanken i Bergen\ufeff",
            editor_email=cast["member"].email + "\u200b",
            deputy_emails="\ufeff" + cast["deputy"].email,
        )
    )
    client.force_login(cast["adviser"])
    response = upload(client, text)
    assert response.status_code == 200, [r.errors for r in response.context["check"].rows]
    response = client.post(reverse("registry:import"), {"payload": response.context["payload"], "action": "import"})
    assert response.status_code == 302
    account = Account.objects.get()
    assert account.display_name == "Blodbanken i Bergen" and account.unit == cast["unit"]
    assert account.editor == cast["member"] and list(account.deputies.all()) == [cast["deputy"]]


def test_a_new_chapter_title(client, cast):
    client.force_login(cast["adviser"])
    client.post(reverse("handbook:chapter_new"), {"title": "\ufeffKrise\u200bkommunikasjon "})
    assert Document.objects.filter(draft_title="Krisekommunikasjon").exists()


def test_names_in_the_administration(client, cast):
    client.force_login(cast["admin"])
    unit = cast["unit"]
    data = {
        "name": "\u200bBlodbanken\ufeff i  Bergen",
        "kind": unit.kind,
        "parent": unit.parent_id,
        "leader": unit.leader_id,
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("admin:accounts_unit_change", args=[unit.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Unit.objects.get(pk=unit.pk).name == "Blodbanken i Bergen"
    user = User.objects.create_user("ny@example.no", "x", full_name="\ufeffNy\u200b Person")
    assert user.full_name == "Ny Person"
