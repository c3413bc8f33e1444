"""Many people saving at once: no "database is locked", no lost update."""

import threading

import pytest
from django.db import connection

from plans import services
from plans.models import Plan

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_saves_and_submissions_do_not_fail(make_plan, cast, instagram):
    plans = [make_plan("draft") for _ in range(6)]
    errors = []

    def work(plan_id):
        try:
            for round in range(5):
                plan = Plan.objects.get(pk=plan_id)
                content = services.PlanContent(
                    main_target_group=f"Runde {round}",
                    content_types="Video",
                    editor=cast["member"],
                    deputies=[cast["deputy"]],
                    hours_per_week=4,
                    goals=[{"goal": "Mål", "indicator": "i", "target_value": "t", "time_frame": "f"}],
                    channels=[{"platform": instagram, "justification": "j"}],
                )
                services.plan_update(plan=plan, actor=cast["member"], revision=plan.revision, content=content)
            services.plan_submit(plan=Plan.objects.get(pk=plan_id), actor=cast["leader"])
        except Exception as error:  # collected and reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(p.pk,)) for p in plans]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for plan in Plan.objects.filter(pk__in=[p.pk for p in plans]):
        assert plan.status == "submitted" and plan.main_target_group == "Runde 4" and plan.revision == 7


def test_two_people_confirming_the_same_plan_at_once_make_one_version(make_plan, cast):
    plan = make_plan("awaiting_leader")
    outcomes = []

    def confirm():
        try:
            services.plan_submit(plan=Plan.objects.get(pk=plan.pk), actor=cast["leader"])
            outcomes.append("sent")
        except services.WrongState:
            outcomes.append("already sent")
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already sent"] * 3 + ["sent"]
    assert plan.versions.count() == 1


def test_six_new_chapters_with_one_title_at_once_make_one_draft(cast):
    from django.apps import apps
    from django.test import Client
    from django.urls import reverse

    from handbook.content import load_shipped
    from handbook.models import Document

    load_shipped(apps.get_model("handbook", "Document"), apps.get_model("handbook", "DocumentVersion"))
    before = Document.objects.count()
    clients = []
    for _ in range(6):
        c = Client()
        c.force_login(cast["adviser"])
        clients.append(c)
    start = threading.Barrier(len(clients))
    answers = []

    def create(c):
        try:
            start.wait()
            answers.append(c.post(reverse("handbook:chapter_new"), {"title": "Krisekommunikasjon"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=create, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [302] * 6
    assert Document.objects.count() == before + 1
    assert Document.objects.filter(draft_title="Krisekommunikasjon").count() == 1
