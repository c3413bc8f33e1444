"""The services say what they did as domain events (core/events.py), in every path that changes
a plan, an account, a person, a unit, a platform, the handbook or the facts it fills in; and
what used to follow from model signals now follows from the events' subscribers."""

import sys

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import services as accounts_services
from accounts.models import Membership, User
from core.events import Event
from facts import services as facts_services
from handbook import services as handbook_services
from handbook.models import Document
from plans import services as plan_services
from plans.models import Decision, PlanStatus
from platforms.models import Platform
from registry import services
from registry.models import Account, AccountStatus

from .registry_helpers import details, make_account  # noqa: F401  (a fixture)


@pytest.fixture
def heard(monkeypatch):
    """Every announcement made while the test runs, as (event name, payload), in order. Only
    announcements: what is asked (the gate's questions, the tasks) is left alone."""
    log: list[tuple[str, dict]] = []
    announce = Event.announce

    def recorded(event, **payload):
        log.append((event.name, payload))
        announce(event, **payload)

    monkeypatch.setattr(Event, "announce", recorded)
    return log


def names(log) -> list[str]:
    return [name for name, _payload in log]


def test_the_listener_hears_an_announcement_and_nothing_else(db, heard):
    # The fixture itself: an event announced by hand is heard once, with its payload.
    from accounts.events import units_changed

    units_changed.announce(unit_ids=[7])
    assert heard == [("units.changed", {"unit_ids": [7]})]


# Plans


def test_a_decision_saves_the_plan_once_and_refreshes_the_schedules_once(make_plan, make_account, cast, monkeypatch):  # noqa: F811
    approved = make_plan("approved")
    account = make_account(plan=approved)
    draft = plan_services.plan_draft_from(plan=approved, actor=cast["member"])
    Account.objects.filter(pk=account.pk).update(plan=draft)  # the account now serves the draft
    plan = make_plan("in_review")
    Account.objects.filter(pk=account.pk).update(plan=plan)

    # Count the refreshes of the evaluation schedules wherever the function is bound, so the
    # count holds whether a signal or an event's subscriber calls it.
    from evaluations.services import schedules_refresh

    calls = []

    def counting(**kwargs):
        calls.append(kwargs)
        return schedules_refresh(**kwargs)

    bound = [m for name, m in list(sys.modules.items()) if name.startswith("evaluations") and m is not None]
    for module in bound:
        if getattr(module, "schedules_refresh", None) is schedules_refresh:
            monkeypatch.setattr(module, "schedules_refresh", counting)

    with CaptureQueriesContext(connection) as queries:
        plan_services.plan_approve(plan=plan, actor=cast["adviser"])
    plan_writes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "plans_plan"')]
    assert len(plan_writes) == 1
    assert len(calls) == 1 and account.pk in calls[0]["account_ids"]
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED and plan.decided_at and plan.reviewer == cast["adviser"]


@pytest.mark.parametrize(
    ("action", "decision"),
    [("approve", Decision.APPROVED), ("reject", Decision.REJECTED), ("request_changes", Decision.CHANGES_REQUESTED)],
)
def test_each_decision_is_announced_with_its_comment(make_plan, cast, heard, action, decision):
    plan = make_plan("in_review")
    heard.clear()
    plan_services.ACTIONS[action](plan=plan, actor=cast["adviser"], comment="  Fint arbeid.  ")
    decided = [payload for name, payload in heard if name == "plan.decided"]
    assert len(decided) == 1
    assert decided[0]["decision"] == decision and decided[0]["comment"] == "Fint arbeid."
    assert decided[0]["plan"].pk == plan.pk and decided[0]["actor"] == cast["adviser"]
    assert "plan.sent" not in names(heard)


def test_every_version_sent_is_announced_the_first_time_and_again(make_plan, cast, heard):
    plan = make_plan("awaiting_leader")
    heard.clear()
    version = plan_services.plan_submit(plan=plan, actor=cast["leader"])
    sent = [payload for name, payload in heard if name == "plan.sent"]
    assert [(p["version"].number, p["actor"]) for p in sent] == [(1, cast["leader"])]
    assert version.number == 1

    plan_services.plan_take(plan=plan, actor=cast["adviser"])
    plan_services.plan_request_changes(plan=plan, actor=cast["adviser"], comment="Meir om målgruppa.")
    heard.clear()
    plan_services.plan_resubmit(plan=plan, actor=cast["member"])
    sent = [payload for name, payload in heard if name == "plan.sent"]
    assert [(p["version"].number, p["actor"]) for p in sent] == [(2, cast["member"])]


def test_other_changes_are_announced_deletion_included(make_plan, cast, heard):
    plan = plan_services.plan_create(unit=cast["unit"], author=cast["member"], title="Ny plan")
    assert names(heard) == ["plan.changed"]
    heard.clear()
    plan_services.plan_delete(plan=plan, actor=cast["member"])
    assert names(heard) == ["plan.changed"]
    assert heard[0][1]["plan"].title == "Ny plan"

    submitted = make_plan("submitted")
    heard.clear()
    plan_services.plan_take(plan=submitted, actor=cast["adviser"])
    plan_services.plan_withdraw(plan=submitted, actor=cast["member"])
    plan_services.plan_reopen(plan=submitted, actor=cast["member"])
    assert names(heard) == ["plan.changed"] * 3


# The register


def test_registering_changing_and_moving_an_account_are_announced(make_account, cast, heard):  # noqa: F811
    # (The competence gate checks the account's people on the way, with events of its own.)
    account = make_account()
    changed = [payload for name, payload in heard if name == "account.changed"]
    assert [[a.pk for a in p["accounts"]] for p in changed] == [[account.pk]]
    heard.clear()
    from platforms.profiles import read_profile

    services.account_update(
        account=account, actor=cast["adviser"], profile=read_profile(account.url), details=details(cast)
    )
    changed = [payload for name, payload in heard if name == "account.changed"]
    assert [([a.pk for a in p["accounts"]], p["actor"]) for p in changed] == [([account.pk], cast["adviser"])]
    assert "account.status_changed" not in names(heard)
    heard.clear()
    services.account_transition(account=account, actor=cast["adviser"], action="close")
    moved = [payload for name, payload in heard if name == "account.status_changed"]
    assert [(p["account"].pk, p["old"], p["new"], p["actor"]) for p in moved] == [
        (account.pk, AccountStatus.SETUP, AccountStatus.CLOSED, cast["adviser"])
    ]


def test_the_training_mark_is_set_through_the_register_and_announced(make_account, heard):  # noqa: F811
    first, second = make_account(), make_account("https://www.tiktok.com/@blodbanken")
    Account.objects.filter(pk=second.pk).update(training_missing=True)
    heard.clear()
    services.accounts_mark_training(missing=[first.pk], trained=[second.pk])
    assert dict(Account.objects.values_list("pk", "training_missing")) == {first.pk: True, second.pk: False}
    changed = [payload for name, payload in heard if name == "account.changed"]
    assert len(changed) == 1 and {a.pk for a in changed[0]["accounts"]} == {first.pk, second.pk}
    heard.clear()
    services.accounts_mark_training()
    assert heard == []


# People and units


def test_a_person_deactivated_is_announced_once_and_their_accounts_need_a_new_editor(make_account, cast, heard):  # noqa: F811
    account = make_account()
    heard.clear()
    assert accounts_services.person_deactivate(user=cast["member"], reason="", actor=cast["admin"])
    left = [payload for name, payload in heard if name == "person.left"]
    assert left == [{"user": left[0]["user"], "unit": None, "actor": cast["admin"]}]
    assert left[0]["user"].pk == cast["member"].pk
    account.refresh_from_db()
    assert account.needs_new_editor
    assert "account.changed" in names(heard)  # the register said what it marked


def test_a_person_taken_out_of_a_unit_is_announced_with_the_unit(make_account, cast, heard):  # noqa: F811
    account = make_account()
    heard.clear()
    membership = Membership.objects.get(user=cast["deputy"], unit=cast["unit"])
    accounts_services.membership_remove(membership=membership, actor=cast["admin"])
    left = [payload for name, payload in heard if name == "person.left"]
    assert len(left) == 1 and left[0]["unit"] == cast["unit"] and left[0]["user"] == cast["deputy"]
    account.refresh_from_db()
    assert account.needs_new_editor


def test_the_units_leader_taken_off_its_members_still_runs_its_accounts(make_account, cast):  # noqa: F811
    account = make_account(editor=cast["leader"], deputies=[cast["deputy"]])
    Membership.objects.create(user=cast["leader"], unit=cast["unit"])
    membership = Membership.objects.get(user=cast["leader"], unit=cast["unit"])
    accounts_services.membership_remove(membership=membership, actor=cast["admin"])
    account.refresh_from_db()
    assert not account.needs_new_editor


def test_a_change_is_announced_once_by_its_service_and_never_by_the_model(make_account, cast, heard):  # noqa: F811
    # The services are the one write path and say what they did, once; no model signal
    # announces anything (tests/test_write_paths.py keeps it so).
    account = make_account()
    heard.clear()
    member = User.objects.get(pk=cast["member"].pk)
    accounts_services.person_deactivate(user=member, reason=User.InactiveReason.NONE, actor=cast["admin"])
    assert names(heard).count("person.left") == 1
    account.refresh_from_db()
    assert account.needs_new_editor
    heard.clear()
    unit = cast["unit"]
    unit.name = "Blodbanken i Bergen og Voss"
    accounts_services.unit_save(unit=unit, actor=cast["admin"], changed=["name"])
    assert heard == [("units.changed", {"unit_ids": [unit.pk]})]
    heard.clear()
    unit.save()  # a bare save is not a service: nobody is told
    assert heard == []


def test_a_platform_saved_is_announced_once(catalogue, cast, heard):
    platform = Platform.objects.get(slug="instagram")
    platform.name = "Instagram (Meta)"
    from platforms.services import platform_save

    platform_save(platform=platform, actor=cast["admin"], changed=["name"])
    assert heard == [("platform.changed", {"platform": platform, "actor": cast["admin"]})]


# The handbook and what fills it in


@pytest.fixture
def shipped_handbook(db):
    from django.apps import apps

    from handbook.content import load_shipped

    if not Document.objects.exists():  # transactional tests empty the tables
        load_shipped(apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"))


def test_publishing_and_filling_in_are_announced_and_drafts_are_not(cast, heard, shipped_handbook, catalogue):
    chapter = Document.objects.published().chapters().first()
    handbook_services.document_save_draft(
        document=chapter,
        actor=cast["adviser"],
        revision=chapter.draft_revision,
        title=chapter.draft_title,
        body="Ny tekst.",
    )
    assert heard == []
    version = handbook_services.document_publish(document=chapter, actor=cast["adviser"])
    assert names(heard) == ["handbook.published"] and heard[0][1]["version"] == version
    heard.clear()
    handbook_services.chapter_move(document=chapter, actor=cast["adviser"], up=chapter.position > 10)
    assert names(heard) == ["handbook.chapters_changed"]
    heard.clear()
    facts_services.placeholder_update(key="sentralbord", actor=cast["adviser"], value="55 97 50 00")
    assert sorted(names(heard)) == ["facts.placeholder_changed", "handbook.filled_in_changed"]
    heard.clear()
    facts_services.platform_terms_update(
        platform=catalogue["tiktok"], actor=cast["adviser"], policy="not_approved", reason="Vi brukar ikkje TikTok."
    )
    assert sorted(names(heard)) == ["facts.platform_terms_changed", "handbook.filled_in_changed"]
