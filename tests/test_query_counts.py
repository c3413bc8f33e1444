"""No page's number of SQL queries grows with the number of plans."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

PAGES = [
    ("core:home", None, "member"),
    ("plans:list", None, "member"),
    ("plans:list", None, "adviser"),
    ("plans:queue", None, "adviser"),
    ("plans:detail", "plan", "member"),
    ("plans:detail", "plan", "adviser"),
    ("plans:edit", "draft", "member"),
    ("plans:review", "plan", "adviser"),
    ("plans:version", "plan", "adviser"),
    ("plans:compare", "plan", "adviser"),
]


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("url_name,which,role", PAGES, ids=[f"{p[0]}-{p[2]}" for p in PAGES])
def test_query_count_does_not_grow_with_plans(url_name, which, role, client, cast, make_plan):
    plan = make_plan("changes_requested")
    from plans import services

    services.plan_resubmit(plan=plan, actor=cast["member"])  # two versions to compare
    draft = make_plan("draft")
    objects = {"plan": plan, "draft": draft}
    args = [objects[which].pk] if which else []
    if url_name == "plans:version":
        args.append(2)
    url = reverse(url_name, args=args)
    client.force_login(cast[role])
    count_queries(client, url)  # warm caches (content types, sessions)
    before = count_queries(client, url)
    for status in ["in_review", "submitted", "draft", "approved", "changes_requested", "withdrawn"]:
        make_plan(status)
        make_plan(status, unit=cast["other_unit"], author=cast["other"])
    count_queries(client, url)  # the front page keeps the new counts of tasks for the menu (a session write)
    after = count_queries(client, url)
    assert after == before
