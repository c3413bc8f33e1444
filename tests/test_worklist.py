"""'Mine oppgåver': what waits for each person, worked out by hand on a small dataset.

Each person's expected tasks are written out below as (kind, address) pairs, from the
dataset alone; the test compares them with what the front page's providers give, then
follows a few steps of the workflow and checks the lists again after each."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from core.worklist import Worklist, worklist_for
from plans import services as plans
from plans.models import Plan
from registry import reports
from registry.models import Account, ReportStatus

from .conftest import make_user


@pytest.fixture
def world(cast, make_plan, make_account):
    """Plans in every state that waits for someone, reports and accounts."""
    adviser2 = make_user("kristian@example.no", "Kristian Eide", is_adviser=True)
    w = {"adviser2": adviser2}
    w["draft"] = make_plan("draft", title="Berre eit utkast")
    w["awaiting"] = make_plan("awaiting_leader", title="TikTok for unge")
    returned = make_plan("awaiting_leader", title="YouTube for 17-åringar")
    plans.plan_return_to_author(plan=returned, actor=cast["leader"], comment="Skriv meir om målgruppa.")
    w["returned"] = returned
    w["changes"] = make_plan("changes_requested", title="Facebook for givarar")
    w["replied"] = make_plan("changes_requested", title="Snapchat for ungdom")
    plans.plan_comment_add(plan=w["replied"], actor=cast["member"], body="Kva meiner de med ressursar?")
    w["untaken"] = make_plan("submitted", title="Instagram for studentar")
    w["in_review"] = make_plan("in_review", title="LinkedIn for rekruttering")
    w["approved"] = make_plan("approved", title="Godkjend plan")
    w["other_awaiting"] = make_plan(
        "awaiting_leader", unit=cast["other_unit"], author=cast["other"], title="Hjarte på Instagram"
    )
    # Accounts: one being set up (member edits, deputy deputises), one that needs a new
    # editor, one without an approved plan (the deputy edits it).
    w["setup"] = make_account(plan=w["approved"])
    w["needs_editor"] = make_account("https://www.facebook.com/blodbankenbergen", status="active", plan=w["approved"])
    Account.objects.filter(pk=w["needs_editor"].pk).update(needs_new_editor=True)
    w["no_plan"] = make_account(
        "https://www.tiktok.com/@blodbanken", status="active", editor=cast["deputy"], deputies=[cast["member"]]
    )
    # Reports: two new, one already handled.
    w["report1"] = reports.report_submit(
        url="https://www.instagram.com/blodbank_falsk/", what_is_wrong="Falsk", client_key="a"
    )
    w["report2"] = reports.report_submit(
        url="https://www.instagram.com/blodbank_falsk2/", what_is_wrong="Falsk", client_key="b"
    )
    handled = reports.report_submit(url="https://www.instagram.com/ok/", what_is_wrong="?", client_key="c")
    reports.report_decide(report=handled, actor=cast["adviser"], status=ReportStatus.DISMISSED, note="Ikkje vår.")
    return w


def tasks(user) -> set[tuple[str, str]]:
    return {(item.kind, item.url) for item in worklist_for(user)}


def detail(plan, anchor="#actions"):
    return reverse("plans:detail", args=[plan.pk]) + anchor


def edit(plan):
    return reverse("plans:edit", args=[plan.pk])


def review(plan):
    return reverse("plans:review", args=[plan.pk])


def account(acc, anchor=""):
    return reverse("registry:detail", args=[acc.pk]) + anchor


def report(r):
    return reverse("registry:report_detail", args=[r.pk])


def write_plan_for(acc):
    return reverse("plans:create") + f"?unit={acc.unit_id}"


def expected(cast, w) -> dict:
    adviser_common = {
        ("plan.untaken", review(w["untaken"])),
        ("report.new", report(w["report1"])),
        ("report.new", report(w["report2"])),
        ("account.setup", account(w["setup"], "#checklist")),
        ("account.editor", account(w["needs_editor"])),
    }
    return {
        # The author: the plan the leader returned, and the two with changes requested;
        # the account being set up that they edit.
        "member": {
            ("plan.revise", edit(w["returned"])),
            ("plan.revise", edit(w["changes"])),
            ("plan.revise", edit(w["replied"])),
            ("account.setup", account(w["setup"], "#checklist")),
        },
        # The deputy: deputises for the account being set up, edits the one without a plan.
        "deputy": {
            ("account.setup", account(w["setup"], "#checklist")),
            ("account.plan", write_plan_for(w["no_plan"])),
        },
        # The leader: the plan waiting for confirmation, the account without an editor,
        # the account without a plan.
        "leader": {
            ("plan.confirm", detail(w["awaiting"])),
            ("account.editor", account(w["needs_editor"])),
            ("account.plan", write_plan_for(w["no_plan"])),
        },
        "other": set(),
        "other_leader": {("plan.confirm", detail(w["other_awaiting"]))},
        # The adviser who reviews three of the plans: the one in review, the one the unit
        # replied on (not the one with no reply), and what every adviser sees.
        "adviser": adviser_common
        | {("plan.review", review(w["in_review"])), ("plan.reply", detail(w["replied"], "#comments-heading"))},
        "adviser2": adviser_common,
        "admin": set(),
    }


def people(cast, w):
    return {**cast, "adviser2": w["adviser2"]}


def test_each_person_sees_what_waits_for_them(cast, world):
    who = people(cast, world)
    for role, wanted in expected(cast, world).items():
        assert tasks(who[role]) == wanted, role


def test_the_list_follows_each_step(cast, world, client):
    w, adviser, leader, member = world, cast["adviser"], cast["leader"], cast["member"]
    want = expected(cast, w)

    # The leader confirms: their task goes; the plan waits for an adviser instead.
    plans.plan_submit(plan=w["awaiting"], actor=leader)
    want["leader"].discard(("plan.confirm", detail(w["awaiting"])))
    for role in ("adviser", "adviser2"):
        want[role].add(("plan.untaken", review(w["awaiting"])))
    # The adviser takes it: it leaves every adviser's untaken list and is theirs to decide.
    plans.plan_take(plan=w["awaiting"], actor=adviser)
    for role in ("adviser", "adviser2"):
        want[role].discard(("plan.untaken", review(w["awaiting"])))
    want["adviser"].add(("plan.review", review(w["awaiting"])))
    # The adviser asks for changes: the author has it to revise.
    plans.plan_request_changes(plan=w["awaiting"], actor=adviser, comment="Meir om målgruppa.")
    want["adviser"].discard(("plan.review", review(w["awaiting"])))
    want["member"].add(("plan.revise", edit(w["awaiting"])))
    # The member sends the revised plan: back to the same adviser.
    plans.plan_resubmit(plan=w["awaiting"], actor=member, change_note="Skreiv om målgruppa.")
    want["member"].discard(("plan.revise", edit(w["awaiting"])))
    want["adviser"].add(("plan.review", review(w["awaiting"])))
    # The adviser handles a report and approves the revised plan.
    reports.report_decide(report=w["report1"], actor=adviser, status=ReportStatus.FAKE, note="Falsk.")
    for role in ("adviser", "adviser2"):
        want[role].discard(("report.new", report(w["report1"])))
    plans.plan_approve(plan=w["awaiting"], actor=adviser)
    want["adviser"].discard(("plan.review", review(w["awaiting"])))

    who = people(cast, w)
    for role, wanted in want.items():
        assert tasks(who[role]) == wanted, role


def test_the_menu_counts_the_tasks_and_the_new_reports(cast, world, client):
    client.force_login(cast["adviser"])
    page = client.get(reverse("core:home")).content.decode()
    total = Worklist(cast["adviser"]).total
    assert total == 7
    assert f'data-count="{total}"' in page  # My tasks
    assert 'data-count="2"' in page  # Reports: the two new ones
    client.force_login(cast["other"])
    page = client.get(reverse("core:home")).content.decode()
    assert "data-count" not in page and "portal-work-list" not in page


def test_urgent_first_then_the_oldest(cast, world):
    # The untaken plan has waited four weeks: past the answer time, so it is urgent, and it has
    # waited longer than the account that needs an editor.
    Plan.objects.filter(pk=world["untaken"].pk).update(submitted_at=timezone.now() - timezone.timedelta(days=28))
    items = worklist_for(cast["adviser"])
    urgent = [item for item in items if item.urgent]
    assert [i.kind for i in urgent] == ["plan.untaken", "account.editor"]
    assert items[: len(urgent)] == urgent
    rest = items[len(urgent) :]
    # Then by the day each is to be done: what began to wait today, the longest waiting first,
    # before the plan in review, whose answer is due in ten working days.
    assert rest[-1].kind == "plan.review" and rest[-1].due > timezone.localdate()
    times = [item.since for item in rest[:-1]]
    assert None not in times and times == sorted(times)


def test_a_plan_to_revise_whose_author_has_left_waits_for_the_rest_of_the_unit(cast, make_plan):
    plan = make_plan("changes_requested", title="Facebook for givarar")
    revise = ("plan.revise", reverse("plans:edit", args=[plan.pk]))
    assert revise in tasks(cast["member"]) and revise not in tasks(cast["deputy"])
    cast["member"].is_active = False
    cast["member"].save()
    deputy = type(cast["deputy"]).objects.get(pk=cast["deputy"].pk)
    assert revise in tasks(deputy)
    assert revise not in tasks(cast["other"])  # another unit's member


def test_many_of_a_kind_become_a_few_and_a_count(cast, make_plan):
    for n in range(8):
        make_plan("submitted", title=f"Plan {n}")
    items = [i for i in worklist_for(cast["adviser"]) if i.kind == "plan.untaken"]
    assert len(items) == 6
    assert [i.count for i in items] == [1, 1, 1, 1, 1, 3]  # the rest last, as one item
    assert items[-1].url == reverse("plans:queue") + "?who=untaken"
    assert Worklist(cast["adviser"]).total == 8


def test_kinds_read_alike_are_read_in_one_query_each_in_its_own_order(cast, make_plan):
    now = timezone.now()
    untaken = [make_plan("submitted") for _ in range(7)]
    for n, plan in enumerate(untaken):  # the last made was sent first; all but the first are overdue
        Plan.objects.filter(pk=plan.pk).update(submitted_at=now - timedelta(days=30 + n if n else 0))
    mine = [make_plan("in_review") for _ in range(2)]
    adviser = type(cast["adviser"]).objects.get(pk=cast["adviser"].pk)
    with CaptureQueriesContext(connection) as queries:
        items = worklist_for(adviser)
    shown = {i.url for i in items if i.kind == "plan.untaken" and i.count == 1}
    assert shown == {review(untaken[n]) for n in (6, 5, 4, 3, 2)}  # the five sent first
    rest = [i for i in items if i.kind == "plan.untaken" and i.count > 1]
    assert [(i.count, i.urgent) for i in rest] == [(2, True)]  # the next one in order is overdue
    assert {i.url for i in items if i.kind == "plan.review"} == {review(plan) for plan in mine}
    # The untaken, the ones in review, and the author's and the leader's kinds read plans alike:
    # one query for all of them (and one for the replies, which read the time of the last comment).
    plan_reads = [q["sql"] for q in queries if q["sql"].lstrip("(").startswith('SELECT "plans_plan"."id"')]
    assert len(plan_reads) == 2
    assert sum("UNION ALL" in sql for sql in plan_reads) == 1


def test_a_kind_that_cannot_have_rows_is_read_with_nothing(cast, make_plan):
    make_plan("submitted")
    adviser = type(cast["adviser"]).objects.get(pk=cast["adviser"].pk)
    adviser.led_unit_ids = lambda: {-1}  # a leader of a unit that is gone: awaiting_leader asks for none
    kinds = {i.kind for i in worklist_for(adviser)}
    assert "plan.untaken" in kinds and "plan.confirm" not in kinds


@pytest.mark.parametrize("role", ["member", "leader", "adviser"])
def test_the_front_page_answers_with_the_same_number_of_queries_however_many_tasks(role, cast, client, make_plan):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("core:home")).status_code == 200
        return len(queries)

    def more(each: int, start: int):
        for status in ["submitted", "in_review", "changes_requested", "awaiting_leader", "draft"]:
            for _ in range(each):
                make_plan(status)
        for n in range(start, start + 7):
            reports.report_submit(url=f"https://www.instagram.com/falsk{n}/", what_is_wrong="x", client_key=str(n))

    client.force_login(cast[role])
    more(6, 0)  # more of each kind than the page lists: the rests are counted, in one query
    count()
    before = count()
    more(4, 7)
    count()  # the first visit after a change keeps the new counts for the menu (a session write)
    assert count() == before
    assert before <= 15  # no page asks more (the benchmark's target)


def test_the_rests_of_every_kind_are_counted_in_one_query(cast, make_plan):
    def fresh(user):  # as a new request reads the person: nothing remembered about their units
        return type(user).objects.get(pk=user.pk)

    for _ in range(6):
        make_plan("submitted")
    adviser = fresh(cast["adviser"])
    with CaptureQueriesContext(connection) as one:
        worklist_for(adviser)
    for _ in range(6):
        make_plan("changes_requested")  # the member's plans to revise, and the adviser's
    for n in range(7):
        reports.report_submit(url=f"https://www.instagram.com/mange{n}/", what_is_wrong="x", client_key=str(n))
    adviser = fresh(cast["adviser"])
    with CaptureQueriesContext(connection) as three:
        items = worklist_for(adviser)
    assert len(three) == len(one)  # a second kind with more than it lists: counted in the same query
    totals = Counter()
    for item in items:
        totals[item.kind] += item.count
    assert totals["plan.untaken"] == 6 and totals["report.new"] == 7
    assert len([i for i in items if i.kind == "report.new"]) == 6  # five, and one for the rest


def test_the_front_page_writes_the_session_only_when_the_counts_change(cast, client, make_plan):
    def writes():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("core:home"))
        return [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "session" in q["sql"]]

    client.force_login(cast["adviser"])
    make_plan("submitted")
    client.get(reverse("core:home"))
    assert writes() == []  # the same counts, kept a moment ago
    make_plan("submitted")
    assert len(writes()) == 1  # a new task: the menu's counts are kept again
    session = client.session
    session["worklist_menu"]["at"] -= 31
    session.save()
    assert len(writes()) == 1  # the same counts, but half a minute old: kept afresh


def test_the_task_list_is_in_the_persons_language(cast, world, client):
    client.force_login(cast["leader"])
    client.post(reverse("core:set_language"), {"language": "nn", "next": "/"})
    page = client.get(reverse("core:home")).content.decode()
    assert "Mine oppgåver" in page and "TikTok for unge" in page


def test_in_english_a_title_in_a_task_keeps_its_own_language(cast, world, client, make_plan):
    """3.1.2: the sentence is the reader's language, the plan's title inside it is Norwegian and
    marked so; what people wrote is escaped."""
    make_plan("awaiting_leader", title="Planen <b>vår</b> & deira")
    client.force_login(cast["leader"])
    client.post(reverse("core:set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("core:home")).content.decode()
    assert 'Confirm the plan “<span lang="no">TikTok for unge</span>”' in page
    assert '<span lang="no">Planen &lt;b&gt;vår&lt;/b&gt; &amp; deira</span>' in page
    assert "<b>vår</b>" not in page
    with translation.override("nb"):
        [item] = [i for i in worklist_for(cast["leader"]) if i.url == detail(world["awaiting"])]
        assert str(item.text) == "Bekreft planen «TikTok for unge»"  # as plain text: the sentence with the title


def test_a_sentence_is_escaped_and_marks_only_what_people_wrote():
    from core.worklist import Sentence, Written

    sentence = Sentence("Decide on “%(title)s”, version %(number)s <now>", title=Written("A & B"), number=2)
    assert str(sentence) == "Decide on “A & B”, version 2 <now>"
    assert sentence.__html__() == 'Decide on “<span lang="no">A &amp; B</span>”, version 2 &lt;now&gt;'
    nested = Sentence("Take the course: %(course)s", course=Sentence("%(course)s (expired)", course=Written("Kurs")))
    assert nested.__html__() == 'Take the course: <span lang="no">Kurs</span> (expired)'


def test_the_menu_reuses_its_counts_for_a_minute_and_counts_again_after_ones_own_change(client, cast, make_plan):
    make_plan("submitted")
    client.force_login(cast["adviser"])
    assert 'data-count="1"' in client.get(reverse("plans:list")).content.decode()
    other = make_plan("submitted")  # someone else's change: shown within the minute
    assert 'data-count="1"' in client.get(reverse("plans:list")).content.decode()
    assert 'data-count="2"' in client.get(reverse("core:home")).content.decode()  # the front page counts afresh
    client.post(reverse("plans:action", args=[other.pk, "take"]))  # one's own change
    page = client.get(reverse("plans:list")).content.decode()
    assert 'data-count="2"' in page  # one untaken, and one now in review with this adviser
    session = client.session
    session["worklist_menu"]["at"] -= 61
    session.save()
    make_plan("submitted")
    assert 'data-count="3"' in client.get(reverse("plans:list")).content.decode()  # a minute later
