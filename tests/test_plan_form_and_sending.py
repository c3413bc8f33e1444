"""Writing and sending the plan: rows added in place (and without JavaScript), no empty goal
after a save, the readiness check while typing, sending from the form, the page after
sending, deleting a draft nobody has sent, and the template's closing line."""

import subprocess

import pytest
from django.urls import reverse

from core.models import AuditEntry
from plans import services
from plans import template_text as tt
from plans.models import Plan, PlanStatus

from .formdata import edit_form_data


def page_of(client, plan):
    return client.get(reverse("plans:edit", args=[plan.pk])).content.decode()


def test_no_empty_goal_after_a_save(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    html = page_of(client, plan)
    assert 'name="goals-TOTAL_FORMS" value="1"' in html  # the one goal, and no empty second
    assert 'name="channels-TOTAL_FORMS" value="1"' in html
    client.post(reverse("plans:edit", args=[plan.pk]), edit_form_data(html))
    assert 'name="goals-TOTAL_FORMS" value="1"' in page_of(client, plan)


def test_a_new_plan_starts_with_one_empty_goal_and_channel(client, cast):
    plan = services.plan_create(unit=cast["unit"], author=cast["member"], title="Ny")
    client.force_login(cast["member"])
    html = page_of(client, plan)
    assert 'name="goals-TOTAL_FORMS" value="1"' in html and 'name="channels-TOTAL_FORMS" value="1"' in html


def test_add_another_goal_without_javascript_saves_and_adds_a_row(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    data = edit_form_data(page_of(client, plan))
    data["add_goal"] = [""]
    data["main_target_group"] = ["Endra målgruppe"]
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response["Location"] == reverse("plans:edit", args=[plan.pk]) + "?ny=goal#goals"
    assert Plan.objects.get(pk=plan.pk).main_target_group == "Endra målgruppe"  # saved
    html = client.get(response["Location"]).content.decode()
    assert 'name="goals-TOTAL_FORMS" value="2"' in html


def test_the_form_carries_row_templates_for_adding_in_place(client, cast, make_plan):
    client.force_login(cast["member"])
    html = page_of(client, make_plan("draft"))
    assert '<template data-row-template="goals">' in html and "goals-__prefix__-goal" in html
    assert '<template data-row-template="channels">' in html and "channels-__prefix__-platform" in html
    assert 'data-add-row="goals"' in html and "data-remove-row" in html


def test_a_removed_row_is_gone_after_saving(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    data = edit_form_data(page_of(client, plan))
    data["goals-0-DELETE"] = ["on"]
    client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert not Plan.objects.get(pk=plan.pk).goals.exists()


def test_the_readiness_check_follows_the_unsaved_form(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    data = edit_form_data(page_of(client, plan))
    ready = client.post(reverse("plans:readiness", args=[plan.pk]), data).content.decode()
    assert 'id="readiness"' in ready and 'value="send_to_leader"' in ready
    data["main_target_group"] = [""]
    data["hours_per_week"] = ["0"]
    not_ready = client.post(reverse("plans:readiness", args=[plan.pk]), data).content.decode()
    assert "hovedmålgruppen" in not_ready and 'value="send_to_leader"' not in not_ready
    saved = Plan.objects.get(pk=plan.pk)
    assert saved.main_target_group and saved.hours_per_week == 4  # nothing was saved


def test_bad_input_to_the_readiness_check_is_answered_not_a_crash(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    response = client.post(
        reverse("plans:readiness", args=[plan.pk]),
        {"hours_per_week": "mange", "goals-TOTAL_FORMS": "x", "channels-TOTAL_FORMS": "1", "channels-0-platform": "99"},
    )
    assert response.status_code == 200 and 'id="readiness"' in response.content.decode()


@pytest.mark.parametrize(
    "role,status,send,after",
    [
        ("member", "draft", "send_to_leader", PlanStatus.AWAITING_LEADER),
        ("leader", "draft", "submit", PlanStatus.SUBMITTED),
        ("member", "changes_requested", "resubmit", PlanStatus.IN_REVIEW),
    ],
)
def test_the_plan_is_sent_from_the_form(role, status, send, after, client, cast, make_plan):
    plan = make_plan(status, author=cast[role])
    client.force_login(cast[role])
    html = page_of(client, plan)
    assert f'name="send" value="{send}"' in html and 'form="plan-form"' in html
    data = edit_form_data(html)
    data["send"] = [send]
    if send == "resubmit":
        data["change_note"] = ["La til timar."]
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response["Location"] == reverse("plans:sent", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == after
    if send == "resubmit":
        assert plan.versions.get(number=2).change_note == "La til timar."


def test_a_plan_that_is_not_ready_is_saved_but_not_sent(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    data = edit_form_data(page_of(client, plan))
    data["main_target_group"] = [""]
    data["send"] = ["send_to_leader"]
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response["Location"] == reverse("plans:edit", args=[plan.pk])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT and plan.main_target_group == ""


def test_the_page_after_sending_says_what_happens_and_when(client, cast, make_plan, settings):
    settings.PLAN_ANSWER_WORKING_DAYS = 10
    plan = make_plan("submitted")
    plan.submitted_at = plan.submitted_at.replace(year=2026, month=11, day=26, hour=10)  # a Thursday
    plan.save()
    client.force_login(cast["member"])
    page = client.get(reverse("plans:sent", args=[plan.pk])).content.decode()
    assert "10 arbeidsdager, senest 10. desember 2026" in page
    assert "kvittering" in page and settings.COMMS_MAILBOX in page
    awaiting = make_plan("awaiting_leader")
    page = client.get(reverse("plans:sent", args=[awaiting.pk])).content.decode()
    assert "Håkon Vik" in page


def test_the_answer_time_is_a_setting(client, cast, make_plan, settings):
    settings.PLAN_ANSWER_WORKING_DAYS = 3
    plan = make_plan("submitted")
    plan.submitted_at = plan.submitted_at.replace(year=2026, month=11, day=27, hour=10)  # a Friday
    plan.save()
    client.force_login(cast["member"])
    assert (
        "3 arbeidsdager, senest 2. desember 2026" in client.get(reverse("plans:sent", args=[plan.pk])).content.decode()
    )


def test_a_draft_nobody_has_sent_is_deleted_and_kept_in_the_audit_log(client, cast, make_plan):
    plan = make_plan("draft", title="Ein tanke")
    client.force_login(cast["deputy"])
    response = client.post(reverse("plans:delete", args=[plan.pk]), {"confirmed": "1"})
    assert response["Location"] == reverse("plans:list")
    assert not Plan.objects.filter(pk=plan.pk).exists()
    entry = AuditEntry.objects.get(action="plan.deleted", target_id=plan.pk)
    assert entry.actor == cast["deputy"] and entry.data["title"] == "Ein tanke"
    listed = client.get(reverse("plans:list")).content.decode()
    assert "Utkastet «Ein tanke» ble slettet." in listed  # the message says so
    assert reverse("plans:detail", args=[plan.pk]) not in listed  # and it is gone from the list


def test_a_draft_asks_before_it_is_deleted(client, cast, make_plan):
    plan = make_plan("draft", title="Ein tanke")
    client.force_login(cast["member"])
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert 'data-confirm="confirm-delete"' in page and '<dialog class="ds-dialog' in page
    response = client.post(reverse("plans:delete", args=[plan.pk]))
    assert response.status_code == 200 and "Ein tanke" in response.content.decode()
    assert Plan.objects.filter(pk=plan.pk).exists()


@pytest.mark.parametrize("status", ["awaiting_leader", "withdrawn", "approved"])
def test_a_plan_that_was_sent_cannot_be_deleted(status, client, cast, make_plan):
    plan = make_plan(status)
    if status == "withdrawn":
        services.plan_reopen(plan=plan, actor=cast["member"])  # a draft again, but it was sent
    client.force_login(cast["member"])
    client.post(reverse("plans:delete", args=[plan.pk]), {"confirmed": "1"})
    assert Plan.objects.filter(pk=plan.pk).exists()
    with pytest.raises(services.WrongState):
        services.plan_delete(plan=plan, actor=cast["member"])


def test_a_draft_an_account_is_tied_to_is_kept(client, cast, make_plan, make_account):
    plan = make_plan("draft")
    make_account(plan=plan)
    client.force_login(cast["member"])
    response = client.post(reverse("plans:delete", args=[plan.pk]), {"confirmed": "1"})
    assert response.status_code == 302 and Plan.objects.filter(pk=plan.pk).exists()


def test_the_closing_line_says_what_the_portal_does(client, cast, make_plan):
    assert "info@helse-bergen.no" in tt.closing_note() and "portal" in tt.closing_note()
    plan = make_plan("draft")
    client.force_login(cast["member"])
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Før oppstart sendes planen til Kommunikasjonsavdelingen her i portalen" in page
    assert "Før oppstart sendes planen til Kommunikasjonsavdelingen på" not in page


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def test_the_pdf_of_a_version_states_its_status_the_decision_who_and_when(client, cast, make_plan):
    plan = make_plan("approved")
    client.force_login(cast["member"])
    text = " ".join(pdf_text(client.get(reverse("plans:pdf", args=[plan.pk])).content).split())
    assert "Godkjent av Marte Solheim" in text
    assert "Dette er ikke en versjon" not in text and "ikke sendt" not in text
    assert "Bekreftet av lederen, Håkon Vik" in text
    rejected = make_plan("rejected")
    text = " ".join(pdf_text(client.get(reverse("plans:version_pdf", args=[rejected.pk, 1])).content).split())
    assert "Ikke godkjent av Marte Solheim" in text


def test_the_pdf_of_a_replaced_version_says_so(client, cast, make_plan):
    plan = make_plan("changes_requested")
    services.plan_resubmit(plan=plan, actor=cast["member"])
    client.force_login(cast["member"])
    text = " ".join(pdf_text(client.get(reverse("plans:version_pdf", args=[plan.pk, 1])).content).split())
    assert "Endringer etterspurt av Marte Solheim" in text
    text = " ".join(pdf_text(client.get(reverse("plans:version_pdf", args=[plan.pk, 2])).content).split())
    assert "Under behandling, ingen avgjørelse ennå" in text and "Ikke bekreftet av lederen" in text


def test_the_live_panel_keeps_its_address_and_the_leaders_duties(client, cast, make_plan):
    """The panel that replaces the first one must know where to ask next, or it freezes."""
    plan = make_plan("draft", author=cast["leader"])
    client.force_login(cast["leader"])
    data = edit_form_data(page_of(client, plan))
    fresh = client.post(reverse("plans:readiness", args=[plan.pk]), data).content.decode()
    assert f'data-readiness-url="{reverse("plans:readiness", args=[plan.pk])}"' in fresh
    assert 'value="submit"' in fresh
    assert "Stadfestar planen og sender han til Kommunikasjonsavdelinga" in fresh  # what the leader answers for


def test_a_revision_asks_what_changed_beside_the_send_button(client, cast, make_plan):
    plan = make_plan("changes_requested")
    services.plan_update(
        plan=plan,
        actor=cast["member"],
        revision=plan.revision,
        content=services.PlanContent(**{**_content_of(plan), "change_note": "Fleire timar."}),
    )
    client.force_login(cast["member"])
    html = page_of(client, plan)
    panel = html[html.index('id="readiness"') :]
    note, button = panel.index('name="change_note"'), panel.index('value="resubmit"')
    assert note < button and 'form="plan-form"' in panel[note - 300 : note + 300]
    assert "Fleire timar." in panel[note:button]
    assert html.count('name="change_note"') == 1  # no second one at the end of the form
    # The panel, as it follows the form, keeps what was written in the note.
    data = edit_form_data(html)
    data["change_note"] = ["Skreiv om målgruppa."]
    fresh = client.post(reverse("plans:readiness", args=[plan.pk]), data).content.decode()
    assert "Skreiv om målgruppa." in fresh and 'value="resubmit"' in fresh
    data["main_target_group"] = [""]
    not_ready = client.post(reverse("plans:readiness", args=[plan.pk]), data).content.decode()
    assert "Skreiv om målgruppa." in not_ready and 'value="resubmit"' not in not_ready


def _content_of(plan) -> dict:
    return {
        "title": plan.title,
        "main_target_group": plan.main_target_group,
        "content_types": plan.content_types,
        "editor": plan.editor,
        "deputies": list(plan.deputies.all()),
        "hours_per_week": plan.hours_per_week,
        "goals": [g.as_dict() for g in plan.goals.all()],
        "channels": [{"platform": c.platform, "justification": c.justification} for c in plan.channels.all()],
    }


def test_one_save_and_send_is_one_entry_in_the_timeline(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["member"])
    saved = AuditEntry.objects.filter(action="plan.saved", target_id=plan.pk)
    data = edit_form_data(page_of(client, plan))
    data["main_target_group"] = ["Friske vaksne i Bergen"]
    client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert saved.count() == 2  # the draft as made, and this save
    # Sent with the text as it was just saved: sent, and no second "saved".
    data = edit_form_data(page_of(client, plan))
    data["send"] = ["send_to_leader"]
    response = client.post(reverse("plans:edit", args=[plan.pk]), data)
    assert response["Location"] == reverse("plans:sent", args=[plan.pk])
    assert saved.count() == 2
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    timeline = page[page.index('id="timeline-heading"') :]
    assert timeline.count("Planen ble lagret") == 2 and "Sendt til lederen" in timeline
