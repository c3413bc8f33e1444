"""Plans with two organisations: Helse Bergen (the cast) and Helse Stavanger. A plan goes to its
own organisation's department and mailbox, names its organisation in its e-mails and PDF, and
is a 404 for, and never listed to, the other organisation's advisers. A regional adviser
decides nothing."""

import io
import subprocess

import pikepdf
import pytest
from django.urls import reverse

from accounts.models import Membership, Organisation, Unit
from core.models import OutboundEmail
from plans import services
from plans.models import Plan, PlanStatus, PlanVersion
from plans.pdf import render_plan_pdf

from .conftest import PASSWORD, complete_content, make_user


@pytest.fixture
def stavanger(cast, instagram):
    return second_organisation(cast)


@pytest.fixture
def stavanger_plan(cast, instagram, stavanger):
    """Helse Stavanger's plan in a status, through the services and by its own people."""
    return lambda status="submitted", title="Instagram for Stavanger-MARKER": plan_of(
        cast, instagram, stavanger, status, title
    )


def second_organisation(cast) -> dict:
    """A second organisation in the same region as the cast's, with a unit, its member, deputy,
    leader and adviser; and the region with its adviser."""
    region = Organisation.objects.create(
        name="Helse Vest RHF", slug="helse-vest", is_region=True, mailbox="post@helse-vest.no"
    )
    Organisation.objects.filter(pk=cast["unit"].organisation_id).update(region=region)
    organisation = Organisation.objects.create(
        name="Helse Stavanger",
        slug="helse-stavanger",
        region=region,
        mailbox="kommunikasjon@helse-stavanger.no",
        sender="some@helse-stavanger.no",
    )
    trust = Unit.objects.create(name="Helse Stavanger HF", kind=Unit.Kind.TRUST, organisation=organisation)
    unit = Unit.objects.create(name="Barneklinikken i Stavanger", kind=Unit.Kind.CLINIC, parent=trust)
    people = {
        "member": make_user("kari@stavanger.example.no", "Kari Sola", organisation=organisation),
        "deputy": make_user("ola@stavanger.example.no", "Ola Tau", organisation=organisation),
        "leader": make_user("randi@stavanger.example.no", "Randi Hå", organisation=organisation),
        "adviser": make_user("per@stavanger.example.no", "Per Sand", organisation=organisation, is_adviser=True),
        "regional": make_user("rita@helse-vest.example.no", "Rita Vest", organisation=region, is_adviser=True),
    }
    Membership.objects.create(user=people["member"], unit=unit)
    Membership.objects.create(user=people["deputy"], unit=unit)
    unit.leader = people["leader"]
    unit.save()
    return {"organisation": organisation, "region": region, "trust": trust, "unit": unit, **people}


def plan_of(cast, instagram, stavanger, status: str, title: str) -> Plan:
    """Helse Stavanger's plan in `status`, through the services and by its own people."""
    member = stavanger["member"]
    plan = services.plan_create(unit=stavanger["unit"], author=member, title=title)
    content = complete_content(cast, instagram, title=title, editor=member, deputies=[stavanger["deputy"]])
    plan = services.plan_update(plan=plan, actor=member, revision=plan.revision, content=content)
    steps = {
        "draft": [],
        "submitted": [("submit", stavanger["leader"])],
        "in_review": [("submit", stavanger["leader"]), ("take", stavanger["adviser"])],
        "approved": [
            ("submit", stavanger["leader"]),
            ("take", stavanger["adviser"]),
            ("approve", stavanger["adviser"]),
        ],
    }[status]
    for action, actor in steps:
        services.ACTIONS[action](plan=plan, actor=actor)
    return Plan.objects.get(pk=plan.pk)


def pdf_text(data: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)
    return client


def test_a_sent_plan_goes_to_its_own_organisations_mailbox_in_its_name(stavanger, stavanger_plan):
    OutboundEmail.objects.all().delete()
    plan = stavanger_plan("submitted")
    to_department = OutboundEmail.objects.get(template="plan_submitted")
    assert to_department.to == ["kommunikasjon@helse-stavanger.no"]
    assert "Helse Stavanger" in to_department.from_email and "some@helse-stavanger.no" in to_department.from_email
    assert "Helse Stavanger" in to_department.body_html
    # The receipt to the unit is the organisation's too, and nothing went to another mailbox.
    receipts = OutboundEmail.objects.filter(template="plan_receipt")
    assert receipts and all("Helse Stavanger" in e.from_email and "Helse Stavanger" in e.body_html for e in receipts)
    every_address = {address for e in OutboundEmail.objects.all() for address in e.to}
    assert every_address == {
        "kommunikasjon@helse-stavanger.no",
        "kari@stavanger.example.no",
        "randi@stavanger.example.no",
    }
    assert plan.status == PlanStatus.SUBMITTED


def test_the_plan_pdf_is_written_by_its_organisation(client, stavanger, stavanger_plan):
    plan = stavanger_plan("submitted")
    version = PlanVersion.objects.get(plan=plan)
    data = render_plan_pdf(plan, version)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo.Author) == "Helse Stavanger"
    assert "Helse Stavanger" in pdf_text(data)
    # The same through the page, for the unit's own people.
    login(client, stavanger["member"])
    response = client.get(reverse("plans:version_pdf", args=[plan.pk, 1]))
    assert response.status_code == 200 and "Helse Stavanger" in pdf_text(response.content)


def test_another_organisations_adviser_gets_404_on_every_plan_page(client, cast, stavanger_plan):
    plan = stavanger_plan("submitted")
    login(client, cast["adviser"])
    for url in [
        reverse("plans:detail", args=[plan.pk]),
        reverse("plans:review", args=[plan.pk]),
        reverse("plans:pdf", args=[plan.pk]),
        reverse("plans:version_pdf", args=[plan.pk, 1]),
        reverse("plans:version", args=[plan.pk, 1]),
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("plans:decide", args=[plan.pk]), {"decision": "approve", "comment": ""})
    assert response.status_code == 404
    assert client.post(reverse("plans:action", args=[plan.pk, "take"])).status_code == 404
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUBMITTED


def test_the_queue_and_the_list_hold_only_the_advisers_own_organisation(
    client, cast, make_plan, stavanger, stavanger_plan
):
    ours = make_plan("submitted", title="Bergen-plan")
    theirs = stavanger_plan("submitted")
    login(client, cast["adviser"])
    queue = client.get(reverse("plans:queue")).content.decode()
    assert ours.title in queue and theirs.title not in queue
    searched = client.get(reverse("plans:queue"), {"q": "Stavanger-MARKER"}).content.decode()
    assert theirs.title not in searched
    listed = client.get(reverse("plans:list")).content.decode()
    assert ours.title in listed and theirs.title not in listed
    # The queue's unit filter offers the adviser's own units only.
    form = client.get(reverse("plans:queue")).context["form"]
    offered = {pk for pk, _name in form.fields["unit"].choices if pk}
    assert stavanger["unit"].pk not in {int(str(pk)) for pk in offered}
    assert cast["unit"].pk in {int(str(pk)) for pk in offered}
    # And the other way round: Stavanger's adviser sees only Stavanger's plan.
    client.logout()
    login(client, stavanger["adviser"])
    queue = client.get(reverse("plans:queue")).content.decode()
    assert theirs.title in queue and ours.title not in queue


def test_only_the_plans_own_organisation_takes_and_decides(cast, stavanger, stavanger_plan):
    plan = stavanger_plan("submitted")
    with pytest.raises(services.NotAllowed):
        services.plan_take(plan=plan, actor=cast["adviser"])
    with pytest.raises(services.NotAllowed):
        services.plan_take(plan=plan, actor=stavanger["regional"])
    services.plan_take(plan=plan, actor=stavanger["adviser"])
    plan.refresh_from_db()
    for actor in (cast["adviser"], stavanger["regional"]):
        with pytest.raises(services.NotAllowed):
            services.plan_approve(plan=plan, actor=actor)
        with pytest.raises(services.NotAllowed):
            services.plan_request_changes(plan=plan, actor=actor, comment="Meir om ressursane.")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.IN_REVIEW
    OutboundEmail.objects.all().delete()
    services.plan_approve(plan=plan, actor=stavanger["adviser"])
    decision = OutboundEmail.objects.filter(template="plan_decision")
    assert decision and all("Helse Stavanger" in e.from_email for e in decision)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED


def test_a_regional_adviser_has_no_queue_and_sees_no_plan(client, stavanger, stavanger_plan):
    plan = stavanger_plan("submitted")
    login(client, stavanger["regional"])
    assert client.get(reverse("plans:queue")).status_code == 403
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    assert plan.title not in client.get(reverse("plans:list")).content.decode()


def test_the_units_pages_name_its_own_mailbox(client, stavanger, stavanger_plan):
    plan = stavanger_plan("draft")
    login(client, stavanger["member"])
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "kommunikasjon@helse-stavanger.no" in page
    edit = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert "kommunikasjon@helse-stavanger.no" in edit


def test_the_advisers_tasks_hold_only_their_own_organisations_plans(cast, make_plan, stavanger, stavanger_plan):
    from core.worklist import worklist_of_one
    from plans.worklist import plan_tasks

    ours = make_plan("submitted", title="Bergen-plan")
    theirs = stavanger_plan("submitted")
    bergen = [item.url for item in worklist_of_one(plan_tasks, cast["adviser"]) if item.kind == "plan.untaken"]
    assert bergen == [reverse("plans:review", args=[ours.pk])]
    own = [item.url for item in worklist_of_one(plan_tasks, stavanger["adviser"]) if item.kind == "plan.untaken"]
    assert own == [reverse("plans:review", args=[theirs.pk])]
    assert not [item for item in worklist_of_one(plan_tasks, stavanger["regional"]) if item.kind == "plan.untaken"]
