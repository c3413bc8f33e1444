"""HTML and script typed into any text field are shown as text: in the page, the
e-mail and the PDF. Never run."""

import subprocess

import pytest
from django.urls import reverse

from core.models import OutboundEmail
from plans import services

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"
PLAN_FIELDS = [
    "main_target_group",
    "secondary_target_groups",
    "content_types",
    "content_themes",
    "content_frequency",
    "other_resources",
]
GOAL_FIELDS = ["goal", "effect", "indicator", "target_value", "time_frame", "evaluation"]


@pytest.fixture
def hostile_plan(make_plan, cast, instagram):
    goal = {field: f"{field} {PAYLOAD}" for field in GOAL_FIELDS}
    plan = make_plan(
        "draft",
        goals=[goal],
        channels=[{"platform": instagram, "justification": f"justification {PAYLOAD}"}],
        **{field: f"{field} {PAYLOAD}" for field in PLAN_FIELDS},
    )
    services.plan_submit(plan=plan, actor=cast["leader"])
    services.plan_comment_add(plan=plan, actor=cast["member"], body=f"comment {PAYLOAD}")
    return plan


def fields():
    return PLAN_FIELDS + GOAL_FIELDS + ["justification", "comment"]


@pytest.mark.parametrize(
    "url_name,role",
    [("plans:detail", "member"), ("plans:review", "adviser"), ("plans:version", "adviser"), ("plans:edit", None)],
)
def test_pages_show_it_as_text(url_name, role, hostile_plan, client, cast):
    if url_name == "plans:edit":
        services.plan_withdraw(plan=hostile_plan, actor=cast["member"])
        services.plan_reopen(plan=hostile_plan, actor=cast["member"])
        role = "member"
    client.force_login(cast[role])
    args = [hostile_plan.pk, 1] if url_name == "plans:version" else [hostile_plan.pk]
    page = client.get(reverse(url_name, args=args)).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    expected = fields() if url_name in ("plans:detail", "plans:review") else PLAN_FIELDS + GOAL_FIELDS
    for field in expected:
        assert f"{field} {ESCAPED}" in page or f"{field} {ESCAPED}".replace("&quot;", "&#x27;") in page, field


def test_the_mail_shows_it_as_text(hostile_plan):
    email = OutboundEmail.objects.get(template="plan_submitted")
    for field in PLAN_FIELDS + GOAL_FIELDS + ["justification"]:
        assert f"{field} {PAYLOAD}" in email.body_text
        assert f"{field} {ESCAPED}" in email.body_html
    assert "<script>alert" not in email.body_html


def test_the_pdf_shows_it_as_text(hostile_plan, client, cast):
    client.force_login(cast["member"])
    pdf = client.get(reverse("plans:version_pdf", args=[hostile_plan.pk, 1])).content
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    for field in PLAN_FIELDS + ["justification"]:
        assert f"{field} {PAYLOAD}" in flat, field
