"""Reviewing and deciding: the queue's filters, one decision form, the next plan after a
decision, what the unit says it changed, and who confirmed which version."""

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import Decision, Plan, PlanStatus

from .conftest import make_user

QUEUE = reverse("plans:queue")


def titles(response) -> list[str]:
    return [plan.title for plan in response.context["page"]]


@pytest.fixture
def queue(cast, make_plan, catalogue):
    """Five plans waiting, sent one day apart: the oldest first."""
    other_adviser = make_user("kristian@example.no", "Kristian Eide", is_adviser=True)
    plans = {
        "a": make_plan("submitted", title="Alfa på Instagram"),
        "b": make_plan("in_review", title="Bravo på Instagram"),
        "c": make_plan("submitted", unit=cast["other_unit"], author=cast["other"], title="Charlie i hjarta"),
        "d": make_plan("in_review", title="Delta"),
        "e": make_plan("changes_requested", title="Echo"),
    }
    services.plan_take(plan=make_plan("submitted", title="Foxtrot"), actor=other_adviser)
    plans["f"] = Plan.objects.get(title="Foxtrot")
    for days, key in enumerate(["f", "d", "c", "b", "a", "e"]):
        Plan.objects.filter(pk=plans[key].pk).update(submitted_at=timezone.now() - timezone.timedelta(days=30 - days))
    return plans


def test_the_queue_waits_longest_first(client, cast, queue):
    client.force_login(cast["adviser"])
    assert titles(client.get(QUEUE)) == [
        "Foxtrot",
        "Delta",
        "Charlie i hjarta",
        "Bravo på Instagram",
        "Alfa på Instagram",
    ]


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"who": "mine"}, ["Delta", "Bravo på Instagram"]),
        ({"who": "untaken"}, ["Charlie i hjarta", "Alfa på Instagram"]),
        ({"status": "changes_requested"}, ["Echo"]),
        ({"status": "in_review", "who": "all"}, ["Foxtrot", "Delta", "Bravo på Instagram"]),
        ({"q": "instagram"}, ["Bravo på Instagram", "Alfa på Instagram"]),
        ({"q": "hjarteavdelinga"}, ["Charlie i hjarta"]),  # the unit's name
        ({"q": "alfa instagram"}, ["Alfa på Instagram"]),  # every word
        ({"sort": "title"}, ["Alfa på Instagram", "Bravo på Instagram", "Charlie i hjarta", "Delta", "Foxtrot"]),
        ({"sort": "newest"}, ["Alfa på Instagram", "Bravo på Instagram", "Charlie i hjarta", "Delta", "Foxtrot"]),
    ],
)
def test_the_queue_filters(params, expected, client, cast, queue):
    client.force_login(cast["adviser"])
    assert titles(client.get(QUEUE, params)) == expected


def test_filter_by_unit_and_platform(client, cast, queue, catalogue):
    client.force_login(cast["adviser"])
    assert titles(client.get(QUEUE, {"unit": cast["other_unit"].pk})) == ["Charlie i hjarta"]
    assert len(titles(client.get(QUEUE, {"platform": "instagram"}))) == 5
    assert titles(client.get(QUEUE, {"platform": "tiktok"})) == []


def test_bad_filters_are_left_out_not_a_crash(client, cast, queue):
    client.force_login(cast["adviser"])
    response = client.get(QUEUE, {"who": "everyone", "unit": "999999", "sort": "drop table", "status": "x"})
    assert response.status_code == 200
    assert len(titles(response)) == 5


def test_the_queue_remembers_nothing_between_visits(client, cast, queue):
    client.force_login(cast["adviser"])
    client.get(QUEUE, {"who": "mine", "q": "Delta"})
    assert len(titles(client.get(QUEUE))) == 5  # a plain visit shows everything again
    assert not any(key.startswith("queue") for key in client.session.keys())  # noqa: SIM118 (a session is not iterable)
    # The filters travel in links: to the review page, and to the next page of the list.
    page = client.get(QUEUE, {"who": "mine"}).content.decode()
    assert f'href="{reverse("plans:review", args=[queue["d"].pk])}?who=mine"' in page


def _decide(client, plan, queue_params="", **data):
    return client.post(reverse("plans:decide", args=[plan.pk]), {"queue": queue_params, **data})


def test_one_decision_then_on_to_the_next_plan_in_the_queue(client, cast, queue, smtp):
    client.force_login(cast["adviser"])
    response = _decide(client, queue["d"], "who=mine", decision="approve", comment="")
    assert Plan.objects.get(pk=queue["d"].pk).status == PlanStatus.APPROVED
    assert response["Location"] == reverse("plans:review", args=[queue["b"].pk]) + "?who=mine"
    response = _decide(client, queue["b"], "who=mine", decision="request_changes", comment="Meir om ressursane.")
    assert Plan.objects.get(pk=queue["b"].pk).status == PlanStatus.CHANGES_REQUESTED
    assert response["Location"] == QUEUE + "?who=mine"  # none of mine left: back to the queue


@pytest.mark.parametrize("decision", ["request_changes", "reject"])
def test_a_missing_comment_keeps_the_adviser_and_the_text_on_the_review_page(decision, client, cast, queue):
    client.force_login(cast["adviser"])
    response = _decide(client, queue["d"], decision=decision, comment="   ")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="error-summary"' in page
    short = decision.replace("_", "")
    assert f'value="{decision}" id="decision-{short}" aria-describedby="decision-{short}-hint" checked' in page
    assert Plan.objects.get(pk=queue["d"].pk).status == PlanStatus.IN_REVIEW


def test_no_choice_is_a_clear_error(client, cast, queue):
    client.force_login(cast["adviser"])
    response = _decide(client, queue["d"], comment="Eit forsøk")
    assert response.status_code == 400
    assert "Eit forsøk" in response.content.decode()  # the text is kept
    assert Plan.objects.get(pk=queue["d"].pk).status == PlanStatus.IN_REVIEW


def test_rejecting_is_confirmed_and_going_back_keeps_the_reason(client, cast, queue):
    client.force_login(cast["adviser"])
    page = _decide(client, queue["d"], decision="reject", comment="Passar ikkje strategien.")
    assert page.status_code == 200 and 'name="confirmed" value="1"' in page.content.decode()
    assert Plan.objects.get(pk=queue["d"].pk).status == PlanStatus.IN_REVIEW
    back = client.post(
        reverse("plans:decide", args=[queue["d"].pk]),
        {"decision": "reject", "comment": "Passar ikkje strategien.", "back": "1"},
    )
    assert back.status_code == 200 and "Passar ikkje strategien." in back.content.decode()
    assert Plan.objects.get(pk=queue["d"].pk).status == PlanStatus.IN_REVIEW
    _decide(client, queue["d"], decision="reject", comment="Passar ikkje strategien.", confirmed="1")
    assert Plan.objects.get(pk=queue["d"].pk).status == PlanStatus.REJECTED


def test_a_plan_not_in_review_cannot_be_decided(client, cast, queue):
    client.force_login(cast["adviser"])
    response = _decide(client, queue["a"], decision="approve")
    assert response.status_code == 400
    assert Plan.objects.get(pk=queue["a"].pk).status == PlanStatus.SUBMITTED


def test_the_review_page_has_one_decision_form(client, cast, queue):
    client.force_login(cast["adviser"])
    page = client.get(reverse("plans:review", args=[queue["d"].pk])).content.decode()
    assert page.count('name="decision"') == 3 and page.count('type="radio"') == 3
    assert page.count("<textarea") == 2  # the decision's comment, and the general comment
    assert page.count(reverse("plans:decide", args=[queue["d"].pk])) == 1


def test_the_change_request_is_at_the_top_of_the_plan_page_and_the_form(client, cast, make_plan):
    plan = make_plan("changes_requested")
    client.force_login(cast["member"])
    for url in [reverse("plans:detail", args=[plan.pk]), reverse("plans:edit", args=[plan.pk])]:
        page = client.get(url).content.decode()
        request = page.index("Skriv meir om ressursane.")
        assert request < page.index("Definerte kommunikasjonsmål")
        assert "portal-change-request" in page


def test_what_the_unit_changed_is_shown_beside_the_diff(client, cast, make_plan):
    plan = make_plan("changes_requested")
    client.force_login(cast["member"])
    response = client.post(
        reverse("plans:action", args=[plan.pk, "resubmit"]), {"change_note": "Fleire timar til video."}
    )
    assert response["Location"] == reverse("plans:sent", args=[plan.pk])
    version = Plan.objects.get(pk=plan.pk).versions.get(number=2)
    assert version.change_note == "Fleire timar til video."
    client.force_login(cast["adviser"])
    page = client.get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert page.index("Fleire timar til video.") < page.index("data-section=")


def test_the_change_note_is_kept_with_the_draft_until_it_is_sent(cast, make_plan, instagram):
    from .conftest import complete_content

    plan = make_plan("changes_requested")
    content = complete_content(cast, instagram, change_note="Skreiv om måla.")
    services.plan_update(plan=plan, actor=cast["member"], revision=plan.revision, content=content)
    services.plan_resubmit(plan=plan, actor=cast["member"])
    plan.refresh_from_db()
    assert plan.versions.get(number=2).change_note == "Skreiv om måla." and plan.change_note == ""


def test_a_version_the_leader_did_not_see_is_not_confirmed_by_them(cast, make_plan):
    plan = make_plan("changes_requested")
    services.plan_resubmit(plan=plan, actor=cast["member"])
    first, second = Plan.objects.get(pk=plan.pk).versions.order_by("number")
    assert first.confirmed_by == cast["leader"] and second.confirmed_by is None
    # The leader sending the revision themselves confirms it.
    services.plan_request_changes(plan=plan, actor=cast["adviser"], comment="Ein ting til.")
    services.plan_resubmit(plan=plan, actor=cast["leader"])
    assert Plan.objects.get(pk=plan.pk).versions.get(number=3).confirmed_by == cast["leader"]


def test_the_leader_confirms_exactly_what_they_read(client, cast, make_plan, instagram):
    from .conftest import complete_content

    plan = make_plan("awaiting_leader")
    client.force_login(cast["leader"])
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert (
        "Stadfestar planen og sender han til Kommunikasjonsavdelinga, og set av ressursar." in page
    )  # the handbook's words
    assert "versjon 1" in page
    seen = Plan.objects.get(pk=plan.pk).revision
    # The plan goes back to the author and is saved again before the leader confirms.
    services.plan_return_to_author(plan=plan, actor=cast["leader"], comment="Sjekk timane.")
    services.plan_update(
        plan=plan, actor=cast["member"], revision=seen, content=complete_content(cast, instagram, hours_per_week=2)
    )
    services.plan_send_to_leader(plan=plan, actor=cast["member"])
    response = client.post(reverse("plans:action", args=[plan.pk, "submit"]), {"revision": seen})
    assert response.status_code == 302
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.AWAITING_LEADER  # not sent
    response = client.post(reverse("plans:action", args=[plan.pk, "submit"]), {"revision": seen + 1})
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_each_version_keeps_its_decision(cast, make_plan):
    plan = make_plan("changes_requested")
    services.plan_resubmit(plan=plan, actor=cast["member"])
    services.plan_approve(plan=plan, actor=cast["adviser"], comment="")
    first, second = Plan.objects.get(pk=plan.pk).versions.order_by("number")
    assert (first.decision, first.decided_by) == (Decision.CHANGES_REQUESTED, cast["adviser"])
    assert (second.decision, second.decided_by) == (Decision.APPROVED, cast["adviser"])
    assert second.decided_at is not None


def test_the_review_and_the_approval_say_who_confirmed_which_version(client, cast, make_plan):
    from core.models import OutboundEmail

    plan = make_plan("changes_requested")
    services.plan_resubmit(plan=plan, actor=cast["member"])  # straight to the adviser
    client.force_login(cast["adviser"])
    page = client.get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert (
        "Versjon 2 sendt av Silje Dale uten at lederen har bekreftet den; lederen, Håkon Vik, bekreftet versjon 1"
        in page
    )
    services.plan_approve(plan=plan, actor=cast["adviser"], comment="")
    approval = OutboundEmail.objects.filter(template="plan_decision", to=[cast["member"].email]).latest("pk")
    for body in (approval.body_text, approval.body_html):
        assert "har godkjent versjon 2 av planen" in body
        assert "Silje Dale sendte denne versjonen uten at lederen hadde bekreftet den" in body
        assert "Håkon Vik, bekreftet versjon 1" in body
        assert "Lederen bekreftet den" not in body


def test_a_version_the_leader_sent_says_they_confirmed_it(client, cast, make_plan):
    from core.models import OutboundEmail

    plan = make_plan("changes_requested")
    services.plan_resubmit(plan=plan, actor=cast["leader"])
    client.force_login(cast["adviser"])
    page = client.get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert "Versjon 2 bekreftet av lederen, Håkon Vik" in page
    services.plan_approve(plan=plan, actor=cast["adviser"], comment="")
    approval = OutboundEmail.objects.filter(template="plan_decision", to=[cast["member"].email]).latest("pk")
    assert "har godkjent versjon 2 av planen, som lederen, Håkon Vik, bekreftet." in approval.body_text


def test_a_plan_has_one_sent_date_in_the_queue_the_tasks_and_the_review(client, cast, make_plan):
    from django.utils.formats import date_format

    plan = make_plan("submitted")
    sent = timezone.now() - timezone.timedelta(days=9)
    Plan.objects.filter(pk=plan.pk).update(submitted_at=sent)
    shown = date_format(timezone.localtime(sent), "DATE_FORMAT")
    client.force_login(cast["adviser"])
    review = client.get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert f"Sendt {shown}" in review
    assert shown in client.get(QUEUE).content.decode()
    assert f"siden {shown}" in client.get(reverse("core:home")).content.decode()
