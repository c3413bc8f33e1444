"""Writing the plan: drafts, bad input, two editors at once, and an expired session."""

import pytest
from django.urls import reverse

from plans.models import Plan, PlanStatus

from .conftest import complete_content


def form_data(plan, instagram, **changes):
    data = {
        "revision": plan.revision,
        "title": plan.title,
        "main_target_group": "Unge vaksne",
        "secondary_target_groups": "",
        "content_types": "Video",
        "content_themes": "Blod",
        "content_frequency": "Kvar veke",
        "editor": "",
        "hours_per_week": "4",
        "other_resources": "",
        "goals-TOTAL_FORMS": "1",
        "goals-INITIAL_FORMS": "0",
        "goals-MIN_NUM_FORMS": "0",
        "goals-MAX_NUM_FORMS": "20",
        "goals-0-goal": "Fleire givarar",
        "goals-0-effect": "",
        "goals-0-indicator": "Nye givarar",
        "goals-0-target_value": "400",
        "goals-0-time_frame": "2027",
        "goals-0-evaluation": "",
        "channels-TOTAL_FORMS": "1",
        "channels-INITIAL_FORMS": "0",
        "channels-MIN_NUM_FORMS": "0",
        "channels-MAX_NUM_FORMS": "30",
        "channels-0-platform": str(instagram.pk),
        "channels-0-justification": "Der er dei",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def draft(cast):
    from plans import services

    return services.plan_create(unit=cast["unit"], author=cast["member"], title="Instagram for unge blodgivarar")


def test_an_incomplete_draft_can_be_saved(client, cast, draft, instagram):
    client.force_login(cast["member"])
    response = client.post(
        reverse("plans:edit", args=[draft.pk]),
        form_data(draft, instagram, main_target_group="", hours_per_week="", **{"channels-0-justification": ""}),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.revision == 2
    assert draft.goals.get().indicator == "Nye givarar"
    assert draft.channels.get().platform == instagram


def test_a_saved_plan_keeps_goals_and_channels_in_order(client, cast, draft, instagram):
    client.force_login(cast["member"])
    data = form_data(
        draft,
        instagram,
        **{
            "goals-TOTAL_FORMS": "2",
            "goals-1-goal": "Betre omdømme",
            "goals-1-indicator": "Omdømmemåling",
            "goals-1-target_value": "+5",
            "goals-1-time_frame": "2028",
            "editor": str(cast["member"].pk),
            "deputies": [str(cast["deputy"].pk)],
        },
    )
    assert client.post(reverse("plans:edit", args=[draft.pk]), data).status_code == 302
    assert [g.goal for g in draft.goals.all()] == ["Fleire givarar", "Betre omdømme"]
    draft.refresh_from_db()
    assert draft.editor == cast["member"] and list(draft.deputies.all()) == [cast["deputy"]]


def test_a_field_of_100000_characters_gets_a_clear_limit_and_keeps_every_value(client, cast, draft, instagram):
    client.force_login(cast["member"])
    huge = "x" * 100_000
    response = client.post(reverse("plans:edit", args=[draft.pk]), form_data(draft, instagram, content_themes=huge))
    assert response.status_code == 400
    page = response.content.decode()
    assert "5000" in page.replace("\xa0", "").replace(" ", "") and "100000" in page.replace("\xa0", "").replace(" ", "")
    assert huge in page  # the text is still in the form
    assert "Unge vaksne" in page
    draft.refresh_from_db()
    assert draft.revision == 1 and draft.content_themes == ""


@pytest.mark.parametrize("hours", ["-3", "1000", "abc", "2.55"])
def test_bad_hours_per_week_are_refused_with_a_message(hours, client, cast, draft, instagram):
    client.force_login(cast["member"])
    response = client.post(reverse("plans:edit", args=[draft.pk]), form_data(draft, instagram, hours_per_week=hours))
    assert response.status_code == 400
    assert response.context["form"].errors["hours_per_week"]
    draft.refresh_from_db()
    assert draft.hours_per_week is None and draft.revision == 1


def test_hours_accept_a_norwegian_decimal_comma(client, cast, draft, instagram):
    client.force_login(cast["member"])
    response = client.post(reverse("plans:edit", args=[draft.pk]), form_data(draft, instagram, hours_per_week="2,5"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert str(draft.hours_per_week) == "2.5"


def test_the_same_person_as_editor_and_deputy_is_refused(client, cast, draft, instagram):
    client.force_login(cast["member"])
    data = form_data(draft, instagram, editor=str(cast["member"].pk), deputies=[str(cast["member"].pk)])
    response = client.post(reverse("plans:edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Silje Dale" in response.context["form"].errors["deputies"][0]
    draft.refresh_from_db()
    assert draft.editor is None


def test_an_editor_from_outside_the_unit_cannot_be_chosen(client, cast, draft, instagram):
    client.force_login(cast["member"])
    response = client.post(
        reverse("plans:edit", args=[draft.pk]), form_data(draft, instagram, editor=str(cast["other"].pk))
    )
    assert response.status_code == 400 and response.context["form"].errors["editor"]


def test_the_same_platform_twice_is_refused(client, cast, draft, instagram):
    client.force_login(cast["member"])
    data = form_data(
        draft,
        instagram,
        **{"channels-TOTAL_FORMS": "2", "channels-1-platform": str(instagram.pk), "channels-1-justification": "x"},
    )
    response = client.post(reverse("plans:edit", args=[draft.pk]), data)
    assert response.status_code == 400
    assert "Instagram" in response.context["channels"].non_form_errors()[0]


def test_html_and_script_are_shown_as_text(client, cast, draft, instagram):
    client.force_login(cast["member"])
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    data = form_data(draft, instagram, main_target_group=script, **{"goals-0-goal": script})
    assert client.post(reverse("plans:edit", args=[draft.pk]), data).status_code == 302
    page = client.get(reverse("plans:detail", args=[draft.pk])).content.decode()
    assert script not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_two_editors_at_once_the_second_is_told_and_nothing_is_overwritten(client, cast, draft, instagram):
    stale = draft.revision
    client.force_login(cast["deputy"])
    assert (
        client.post(
            reverse("plans:edit", args=[draft.pk]), form_data(draft, instagram, main_target_group="Første")
        ).status_code
        == 302
    )
    client.force_login(cast["member"])
    response = client.post(
        reverse("plans:edit", args=[draft.pk]),
        form_data(draft, instagram, revision=stale, main_target_group="Andre"),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "Andre" in page and "Første" in page  # own text in the form, theirs beside it
    draft.refresh_from_db()
    assert draft.main_target_group == "Første"


def test_a_plan_that_is_sent_cannot_be_edited(client, cast, make_plan, instagram):
    plan = make_plan("submitted")
    client.force_login(cast["member"])
    response = client.post(reverse("plans:edit", args=[plan.pk]), form_data(plan, instagram, main_target_group="Nytt"))
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.main_target_group == "Unge vaksne i Bergen"


def test_text_written_when_the_session_expired_survives_the_login(client, cast, draft, instagram):
    token = _token(client, cast, draft)
    # Not logged in (the session ran out): the post is kept and the writer sent to log in.
    response = client.post(
        reverse("plans:edit", args=[draft.pk]),
        {**form_data(draft, instagram, main_target_group="Skrive i lang tid"), "stash_token": token},
    )
    assert response.status_code == 302 and "/logg-inn/" in response["Location"]
    response = client.post(
        response["Location"], {"username": cast["member"].email, "password": "correct horse battery staple"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("plans:edit", args=[draft.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Skrive i lang tid" in page
    draft.refresh_from_db()
    assert draft.main_target_group == ""  # given back to the writer to save, not saved behind their back
    # Only once: the next visit shows the saved plan.
    assert "Skrive i lang tid" not in client.get(reverse("plans:edit", args=[draft.pk])).content.decode()


def test_readiness_panel_lists_every_problem_in_plain_words(client, cast, draft):
    client.force_login(cast["member"])
    page = client.get(reverse("plans:detail", args=[draft.pk])).content.decode()
    for anchor in ["#goals", "#target_groups", "#channels", "#content", "#resources"]:
        assert anchor in page


def test_sending_an_incomplete_plan_keeps_it_as_a_draft(client, cast, draft):
    client.force_login(cast["member"])
    response = client.post(reverse("plans:action", args=[draft.pk, "send_to_leader"]), follow=True)
    assert response.status_code == 200
    assert Plan.objects.get(pk=draft.pk).status == PlanStatus.DRAFT
    assert response.context["problems"]


def test_a_double_clicked_submit_gives_one_version(client, cast, make_plan):
    plan = make_plan("draft")
    client.force_login(cast["leader"])
    url = reverse("plans:action", args=[plan.pk, "submit"])
    first, second = client.post(url), client.post(url, follow=True)
    assert first.status_code == 302
    assert plan.versions.count() == 1
    messages = [str(m) for m in second.context["messages"]]
    assert any("not possible now" in m or "ikke mulig" in m for m in messages)


def test_acting_in_the_wrong_state_changes_nothing(client, cast, make_plan):
    plan = make_plan("approved")
    client.force_login(cast["adviser"])
    response = client.post(reverse("plans:action", args=[plan.pk, "reject"]), {"comment": "Nei"}, follow=True)
    assert response.status_code == 200
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED


def test_saving_the_form_unchanged_keeps_everything(client, cast, make_plan):
    from plans.snapshot import plan_snapshot

    from .formdata import edit_form_data

    plan = make_plan("draft")
    before = plan_snapshot(Plan.objects.with_details().get(pk=plan.pk))
    client.force_login(cast["member"])
    data = edit_form_data(client.get(reverse("plans:edit", args=[plan.pk])).content.decode())
    assert data["channels-INITIAL_FORMS"] == ["1"]
    assert client.post(reverse("plans:edit", args=[plan.pk]), data).status_code == 302
    after = plan_snapshot(Plan.objects.with_details().get(pk=plan.pk))
    assert after == before


# Only the person writing may leave text behind when their session runs out.


def _sessions():
    from accounts.models import LoginSession as Session

    return Session.objects.count()


def _token(client, cast, plan):
    import re

    client.force_login(cast["member"])
    page = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    client.logout()
    return re.search(r'name="stash_token" value="([^"]+)"', page).group(1)


def test_an_anonymous_post_to_the_edit_page_keeps_nothing(client, db):
    big = "x" * 2_400_000
    for pk in (100000, 100001, 100002):
        response = client.post(reverse("plans:edit", args=[pk]), {"main_target_group": big})
        assert response.status_code == 302
    assert _sessions() == 0


def test_a_stash_needs_a_token_for_this_plan_from_someone_who_may_edit_it(client, cast, draft, make_plan, instagram):
    other_plan = make_plan("draft", unit=cast["other_unit"], author=cast["other"])
    token = _token(client, cast, draft)
    url = reverse("plans:edit", args=[other_plan.pk])
    client.post(url, {**form_data(other_plan, instagram), "stash_token": token})
    client.post(url, {**form_data(other_plan, instagram), "stash_token": token[:-2] + "xx"})
    assert _sessions() == 0
    # The token of someone who may no longer edit the plan (it was sent) keeps nothing either.
    from plans import services

    services.plan_update(
        plan=draft, actor=cast["member"], revision=draft.revision, content=complete_content(cast, instagram)
    )
    draft.refresh_from_db()
    services.plan_submit(plan=draft, actor=cast["leader"])
    client.post(reverse("plans:edit", args=[draft.pk]), {**form_data(draft, instagram), "stash_token": token})
    assert _sessions() == 0


def test_a_stash_has_a_size_cap(client, cast, draft, instagram):
    token = _token(client, cast, draft)
    data = {**form_data(draft, instagram, main_target_group="x" * 700_000), "stash_token": token}
    client.post(reverse("plans:edit", args=[draft.pk]), data)
    assert _sessions() == 0


def test_a_stash_is_given_back_only_to_the_person_who_wrote_it(client, cast, draft, instagram):
    token = _token(client, cast, draft)
    data = {**form_data(draft, instagram, main_target_group="Berre for Silje"), "stash_token": token}
    response = client.post(reverse("plans:edit", args=[draft.pk]), data)
    # Someone else logs in on the same browser: they do not get Silje's text.
    client.post(response["Location"], {"username": cast["deputy"].email, "password": "correct horse battery staple"})
    assert "Berre for Silje" not in client.get(reverse("plans:edit", args=[draft.pk])).content.decode()


def test_expired_sessions_are_cleared_by_the_periodic_job(client, cast, draft, instagram, settings):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from accounts.models import LoginSession as Session

    token = _token(client, cast, draft)
    client.post(reverse("plans:edit", args=[draft.pk]), {**form_data(draft, instagram), "stash_token": token})
    assert _sessions() == 1
    Session.objects.update(expire_date=timezone.now() - timedelta(minutes=1))
    call_command("portal_periodic", verbosity=0)
    call_command("portal_periodic", verbosity=0)
    assert _sessions() == 0


# Limits the form promises are kept by the server too.


@pytest.mark.parametrize("count", [21, 150])
def test_no_more_goals_than_the_form_allows_are_stored(count, client, cast, draft, instagram):
    client.force_login(cast["member"])
    goals = {"goals-TOTAL_FORMS": str(count)}
    for n in range(count):
        goals |= {f"goals-{n}-goal": f"Mål {n}", f"goals-{n}-indicator": "i", f"goals-{n}-target_value": "1"}
    response = client.post(reverse("plans:edit", args=[draft.pk]), form_data(draft, instagram, **goals))
    assert response.status_code == 400
    assert "at most 20 goals" in response.content.decode() or "20 mål" in response.content.decode()
    draft.refresh_from_db()
    assert draft.goals.count() == 0 and draft.revision == 1


def test_twenty_goals_are_fine(client, cast, draft, instagram):
    client.force_login(cast["member"])
    goals = {"goals-TOTAL_FORMS": "20"}
    for n in range(20):
        goals |= {f"goals-{n}-goal": f"Mål {n}", f"goals-{n}-indicator": "i", f"goals-{n}-target_value": "1"}
    assert client.post(reverse("plans:edit", args=[draft.pk]), form_data(draft, instagram, **goals)).status_code == 302
    assert draft.goals.count() == 20


def test_the_service_keeps_the_limit_on_goals(cast, draft, instagram):
    from plans import services

    content = complete_content(cast, instagram)
    content.goals = content.goals * 21
    with pytest.raises(services.PlanError):
        services.plan_update(plan=draft, actor=cast["member"], revision=draft.revision, content=content)
    assert draft.goals.count() == 0
