"""Administrators manage users, units and platforms, and read the outbox and the log."""

import pytest
from django.urls import reverse

from accounts.models import Unit
from core.models import OutboundEmail

PAGES = [
    "admin:accounts_user_changelist",
    "admin:accounts_user_add",
    "admin:accounts_unit_changelist",
    "admin:accounts_unit_add",
    "admin:platforms_platform_changelist",
    "admin:platforms_platform_add",
    "admin:core_outboundemail_changelist",
    "admin:core_auditentry_changelist",
]


@pytest.mark.parametrize("page", PAGES)
def test_administration_pages_work_for_administrators_only(page, client, cast):
    client.force_login(cast["admin"])
    assert client.get(reverse(page)).status_code == 200
    for role in ["member", "leader", "adviser"]:
        client.force_login(cast[role])
        assert client.get(reverse(page)).status_code == 302  # to the admin login


def test_an_administrator_creates_a_unit_with_a_leader(client, cast):
    client.force_login(cast["admin"])
    response = client.post(
        reverse("admin:accounts_unit_add"),
        {
            "name": "Seksjon for blodgiving",
            "kind": "section",
            "parent": cast["unit"].pk,
            "leader": cast["leader"].pk,
            "is_active": "on",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "memberships-MIN_NUM_FORMS": "0",
            "memberships-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 302
    unit = Unit.objects.get(name="Seksjon for blodgiving")
    assert unit.parent == cast["unit"] and unit.leader == cast["leader"]


def test_a_given_up_message_can_be_queued_again_from_the_admin(client, cast, make_plan):
    plan = make_plan("draft")
    from plans import services

    services.plan_send_to_leader(plan=plan, actor=cast["member"])
    email = OutboundEmail.objects.get()
    OutboundEmail.objects.filter(pk=email.pk).update(status=OutboundEmail.Status.FAILED, attempts=40)
    client.force_login(cast["admin"])
    response = client.post(
        reverse("admin:core_outboundemail_changelist"), {"action": "resend", "_selected_action": [email.pk]}
    )
    assert response.status_code == 302
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.PENDING and email.attempts == 0


def test_the_outbox_cannot_be_edited_or_deleted(client, cast, make_plan):
    make_plan("awaiting_leader")
    email = OutboundEmail.objects.first()
    client.force_login(cast["admin"])
    client.post(reverse("admin:core_outboundemail_change", args=[email.pk]), {"subject": "endra"})
    assert client.post(reverse("admin:core_outboundemail_delete", args=[email.pk]), {"post": "yes"}).status_code == 403
    email.refresh_from_db()
    assert email.subject != "endra"
