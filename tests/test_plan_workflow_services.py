"""Every allowed and every forbidden transition of the plan workflow."""

import pytest

from core.models import AuditEntry, OutboundEmail
from plans import services
from plans.models import PlanComment, PlanStatus, PlanVersion

S = PlanStatus

# Written out by hand from the issue, independent of plans/workflow.py.
ALLOWED = {
    (S.DRAFT, "send_to_leader"): {"member"},
    (S.DRAFT, "submit"): {"leader"},
    (S.AWAITING_LEADER, "submit"): {"leader"},
    (S.AWAITING_LEADER, "return_to_author"): {"leader"},
    (S.AWAITING_LEADER, "withdraw"): {"member", "leader"},
    (S.SUBMITTED, "take"): {"adviser"},
    (S.SUBMITTED, "withdraw"): {"member", "leader"},
    (S.IN_REVIEW, "request_changes"): {"adviser"},
    (S.IN_REVIEW, "approve"): {"adviser"},
    (S.IN_REVIEW, "reject"): {"adviser"},
    (S.IN_REVIEW, "withdraw"): {"member", "leader"},
    (S.CHANGES_REQUESTED, "resubmit"): {"member", "leader"},
    (S.CHANGES_REQUESTED, "withdraw"): {"member", "leader"},
    (S.WITHDRAWN, "reopen"): {"member", "leader"},
}
TARGET = {
    "send_to_leader": S.AWAITING_LEADER,
    "submit": S.SUBMITTED,
    "return_to_author": S.DRAFT,
    "withdraw": S.WITHDRAWN,
    "take": S.IN_REVIEW,
    "request_changes": S.CHANGES_REQUESTED,
    "approve": S.APPROVED,
    "reject": S.REJECTED,
    "resubmit": S.IN_REVIEW,
    "reopen": S.DRAFT,
}
ACTORS = ["member", "leader", "adviser", "other", "admin"]


def call(action, plan, actor):
    kwargs = {"plan": plan, "actor": actor}
    if action in ("request_changes", "reject", "return_to_author"):
        kwargs["comment"] = "Ein grunn."
    return services.ACTIONS[action](**kwargs)


def test_the_table_covers_every_action():
    assert set(services.ACTIONS) == set(TARGET)


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", sorted(TARGET))
def test_transition(status, action, make_plan, cast):
    plan = make_plan(status)
    allowed = ALLOWED.get((status, action), set())
    for role in ACTORS:
        audit_before = AuditEntry.objects.count()
        if role in allowed:
            continue
        with pytest.raises((services.NotAllowed, services.WrongState)):
            call(action, plan, cast[role])
        plan.refresh_from_db()
        assert plan.status == status, f"{role} changed the status with {action}"
        assert AuditEntry.objects.count() == audit_before
    for role in sorted(allowed):
        fresh = make_plan(status)
        call(action, fresh, cast[role])
        fresh.refresh_from_db()
        assert fresh.status == TARGET[action]
        entry = AuditEntry.objects.for_object(fresh).last()
        assert entry.action == f"plan.{action}"
        assert entry.actor == cast[role]
        assert entry.data["from"] == status and entry.data["to"] == TARGET[action]


def test_wrong_state_says_so_in_plain_words(make_plan, cast):
    plan = make_plan("approved")
    with pytest.raises(services.WrongState) as error:
        services.plan_approve(plan=plan, actor=cast["adviser"])
    assert "Approved" in str(error.value.message) or "Godkjent" in str(error.value.message)


def test_submit_freezes_a_numbered_version_and_queues_mail(make_plan, cast, settings):
    plan = make_plan("draft")
    version = services.plan_submit(plan=plan, actor=cast["leader"])
    assert version.number == 1
    assert version.snapshot["goals"][0]["indicator"] == "Nye givarar"
    assert version.confirmed_by == cast["leader"]
    to = [e.to for e in OutboundEmail.objects.all()]
    assert [settings.COMMS_MAILBOX] in to
    assert [cast["member"].email] in to and [cast["leader"].email] in to


def test_a_second_submit_of_the_same_plan_makes_no_second_version(make_plan, cast):
    plan = make_plan("draft")
    services.plan_submit(plan=plan, actor=cast["leader"])
    with pytest.raises(services.WrongState):
        services.plan_submit(plan=plan, actor=cast["leader"])
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_resubmit_after_changes_makes_version_two_back_with_the_same_adviser(make_plan, cast):
    plan = make_plan("changes_requested")
    version = services.plan_resubmit(plan=plan, actor=cast["member"])
    plan.refresh_from_db()
    assert version.number == 2
    assert plan.status == S.IN_REVIEW and plan.reviewer == cast["adviser"]
    assert OutboundEmail.objects.filter(template="plan_resubmitted", to=[cast["adviser"].email]).exists()


@pytest.mark.parametrize("action", ["request_changes", "reject", "return_to_author"])
def test_a_comment_is_required(action, make_plan, cast):
    status = S.AWAITING_LEADER if action == "return_to_author" else S.IN_REVIEW
    actor = cast["leader"] if action == "return_to_author" else cast["adviser"]
    plan = make_plan(status)
    with pytest.raises(services.CommentRequired):
        services.ACTIONS[action](plan=plan, actor=actor, comment="   ")
    plan.refresh_from_db()
    assert plan.status == status


def test_sending_an_incomplete_plan_lists_what_to_fix(make_plan, cast):
    plan = make_plan("draft", main_target_group="", hours_per_week=None)
    with pytest.raises(services.NotReady) as error:
        services.plan_send_to_leader(plan=plan, actor=cast["member"])
    fields = {p.field for p in error.value.problems}
    assert {"target_groups", "resources"} <= fields
    plan.refresh_from_db()
    assert plan.status == S.DRAFT


def test_decisions_are_written_to_the_thread_and_mailed_to_the_unit(make_plan, cast):
    plan = make_plan("in_review")
    services.plan_reject(plan=plan, actor=cast["adviser"], comment="Manglar ressursar.")
    comment = PlanComment.objects.get(plan=plan)
    assert comment.kind == PlanComment.Kind.REJECTED and comment.body == "Manglar ressursar."
    decision_mail = OutboundEmail.objects.filter(template="plan_decision")
    assert {tuple(m.to) for m in decision_mail} == {(cast["member"].email,), (cast["leader"].email,)}
    assert all("Manglar ressursar." in m.body_text for m in decision_mail)


def test_the_leader_is_found_above_a_unit_without_one(cast, make_plan):
    cast["unit"].leader = None
    cast["unit"].save()
    cast["clinic"].leader = cast["other_leader"]
    cast["clinic"].save()
    plan = make_plan("draft")
    services.plan_submit(plan=plan, actor=cast["other_leader"])
    plan.refresh_from_db()
    assert plan.status == S.SUBMITTED


def test_a_member_cannot_create_a_plan_for_another_unit(cast):
    with pytest.raises(services.NotAllowed):
        services.plan_create(unit=cast["other_unit"], author=cast["member"], title="Ikkje vår")


# Conflict of interest: an adviser in the plan's own unit leaves the review to another.


@pytest.fixture
def adviser_in_unit(cast):
    from accounts.models import Membership

    from .conftest import make_user

    colleague = make_user("kristian@example.no", "Kristian Eide", is_adviser=True)
    Membership.objects.create(user=colleague, unit=cast["unit"])
    return colleague


@pytest.mark.parametrize(
    "status,action",
    [("submitted", "take"), ("in_review", "approve"), ("in_review", "reject"), ("in_review", "request_changes")],
)
def test_an_adviser_in_the_plans_unit_cannot_review_it(status, action, adviser_in_unit, make_plan):
    plan = make_plan(status)
    kwargs = {"comment": "Fordi."} if action in ("reject", "request_changes") else {}
    with pytest.raises(services.NotAllowed):
        services.ACTIONS[action](plan=plan, actor=adviser_in_unit, **kwargs)
    plan.refresh_from_db()
    assert plan.status == status


def test_an_adviser_who_leads_the_unit_cannot_review_it(cast, make_plan):
    cast["leader"].is_adviser = True
    cast["leader"].save()
    plan = make_plan("submitted")
    with pytest.raises(services.NotAllowed):
        services.plan_take(plan=plan, actor=cast["leader"])


def test_another_adviser_must_and_can(adviser_in_unit, cast, make_plan, client):
    from django.urls import reverse

    plan = make_plan("submitted")
    client.force_login(adviser_in_unit)
    client.cookies["some_language"] = "en"
    page = client.get(reverse("plans:review", args=[plan.pk])).content.decode()
    assert "another adviser takes and decides it" in page
    assert reverse("plans:action", args=[plan.pk, "take"]) not in page
    assert client.post(reverse("plans:action", args=[plan.pk, "take"])).status_code == 403
    services.plan_take(plan=plan, actor=cast["adviser"])
    services.plan_approve(plan=plan, actor=cast["adviser"])
    plan.refresh_from_db()
    assert plan.status == S.APPROVED


# What the decision e-mails tell the unit.


def _in_nynorsk(cast):
    for person in ("member", "leader"):
        cast[person].language = "nn"
        cast[person].save(update_fields=["language"])


def test_the_approval_e_mail_lists_the_next_steps(make_plan, cast, settings):
    settings.EVALUATION_FIRST_MONTHS = 4
    _in_nynorsk(cast)
    services.plan_approve(plan=make_plan("in_review"), actor=cast["adviser"])
    mail = OutboundEmail.objects.get(template="plan_decision", to=[cast["member"].email])
    text = " ".join(mail.body_text.split())
    assert mail.subject.startswith("Godkjend: «")
    assert "har godkjent versjon 1 av planen, som leiaren, Håkon Vik, stadfesta." in text
    assert "Neste steg:" in text
    assert "1. Kurset: alle som skal drive kontoen" in text and f"{settings.SITE_URL}/kurs/" in text
    assert "2. Registrering av kontoen: rådgjevaren dykkar registrerer kontoen saman med dykk" in text
    assert "3. Innhald for dei første vekene" in text
    assert "4. Den første evalueringa skal gjerast 4 månader etter at kontoen blir aktiv." in text
    assert f'href="{settings.SITE_URL}/kurs/"' in mail.body_html
    assert mail.body_html.count("<li>") == 4


def test_the_approval_e_mail_names_the_course_without_a_link_where_there_is_no_courses_page(make_plan, cast, settings):
    settings.ROOT_URLCONF = "tests.urls_without_courses"
    services.plan_approve(plan=make_plan("in_review"), actor=cast["adviser"])
    mail = OutboundEmail.objects.get(template="plan_decision", to=[cast["member"].email])
    assert "1. Kurset: alle som skal drive kontoen" in mail.body_text
    assert "/kurs/" not in mail.body_text and "/kurs/" not in mail.body_html
    assert "Den første evalueringen skal gjøres 3 måneder etter at kontoen blir aktiv." in mail.body_text


def test_a_plan_not_approved_is_told_so_with_the_reason_and_what_a_new_plan_needs(make_plan, cast):
    _in_nynorsk(cast)
    services.plan_reject(plan=make_plan("in_review"), actor=cast["adviser"], comment="Ingen har tid til kontoen.")
    mail = OutboundEmail.objects.get(template="plan_decision", to=[cast["member"].email])
    text = " ".join(mail.body_text.split())
    assert mail.subject.startswith("Ikkje godkjend: «")
    assert (
        "i Kommunikasjonsavdelinga har ikkje godkjent planen, med denne grunngjevinga: Ingen har tid til kontoen."
        in text
    )
    assert "Ein ny plan må svare på grunngjevinga over" in text
    assert "Neste steg" not in text
    assert "avsl" not in (mail.subject + text + mail.body_html).casefold()
