"""The demo: a living organisation with plans in every state, and a page with every e-mail."""

from email.message import EmailMessage

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Organisation, Unit, User
from demo.mailbox import MaildirHandler
from demo.management.commands.demo_load import DEMO_LOGINS
from plans.models import Plan, PlanStatus
from registry.models import Account, AccountStatus, Report, ReportStatus


@pytest.fixture
def demo(catalogue):
    call_command("demo_load", verbosity=0)


def test_demo_data_has_every_state_and_a_real_organisation(demo):
    assert set(Plan.objects.values_list("status", flat=True)) == set(PlanStatus.values)
    assert Unit.objects.filter(kind=Unit.Kind.CLINIC).count() >= 3
    assert Unit.objects.filter(kind=Unit.Kind.DEPARTMENT).count() >= 10
    assert Plan.objects.filter(current_version=2).exists()  # a plan with versions to compare


def test_demo_register_shows_every_state_of_an_account(demo, client):
    assert set(Account.objects.values_list("status", flat=True)) == set(AccountStatus.values)
    assert Account.objects.filter(needs_new_editor=True).exists()  # an editor has left
    assert Account.objects.plan_missing().filter(status=AccountStatus.ACTIVE).exists()
    assert Report.objects.filter(status=ReportStatus.NEW).exists()
    assert Report.objects.exclude(status=ReportStatus.NEW).exists()
    official = Account.objects.public().first()
    response = client.get(reverse("registry:verify"), {"q": official.url})
    assert response.context["verdict"] == "official"


def test_demo_data_is_loaded_only_into_an_empty_database(demo):
    plans = Plan.objects.count()
    call_command("demo_load", verbosity=0)
    assert Plan.objects.count() == plans


@pytest.mark.parametrize("role,email,password", DEMO_LOGINS)
def test_every_demo_login_works(role, email, password, demo, client):
    response = client.post(reverse("accounts:login"), {"username": email, "password": password})
    assert response.status_code == 302, role
    user = User.objects.get(email=email)
    assert client.get(reverse("plans:list")).status_code == 200
    if "adviser" in role:
        assert user.is_adviser
    if role == "Administrator":
        assert user.is_superuser


def test_the_demo_has_two_trusts_of_one_region(demo):
    region = Organisation.objects.get(is_region=True)
    bergen, stavanger = Organisation.objects.get(slug="helse-bergen"), Organisation.objects.get(slug="helse-stavanger")
    assert region.name == "Helse Vest RHF" and bergen.region == region and stavanger.region == region
    assert len({region.mailbox, bergen.mailbox, stavanger.mailbox}) == 3  # a mailbox each
    for trust in (bergen, stavanger):
        people = User.objects.filter(organisation=trust)
        assert people.filter(is_adviser=True).exists(), trust
        assert Unit.objects.filter(organisation=trust, leader__isnull=False).exists(), trust
        assert Plan.objects.filter(unit__organisation=trust, status=PlanStatus.SUBMITTED).exists(), trust
        assert Account.objects.filter(unit__organisation=trust, status=AccountStatus.ACTIVE).exists(), trust
        # Every unit's people are the unit's organisation's.
        assert not User.objects.filter(memberships__unit__organisation=trust).exclude(organisation=trust).exists()
    regional = User.objects.get(email="radgivar.helsevest@eksempel.no")
    assert regional.is_regional_adviser and regional.read_organisation_ids() == {bergen.pk, stavanger.pk}
    assert regional.advised_organisation_ids() == set()


def test_a_newcomer_sees_the_separation(demo, client):
    """Each trust's adviser has their own queue; the regional adviser decides on none."""
    stavanger_plan = "Instagram for foreldre på nyfødtintensiv"
    bergen_plans = list(Plan.objects.filter(unit__organisation__slug="helse-bergen").values_list("title", flat=True))
    client.post(reverse("accounts:login"), {"username": "radgivar.stavanger@eksempel.no", "password": "demo"})
    queue = client.get(reverse("plans:queue")).content.decode()
    assert stavanger_plan in queue
    assert not [title for title in bergen_plans if title in queue]
    bergen_plan = Plan.objects.get(title="Facebook for gravide og partnarar")
    assert client.get(reverse("plans:review", args=[bergen_plan.pk])).status_code == 404
    assert client.get(reverse("plans:detail", args=[bergen_plan.pk])).status_code == 404

    client.logout()
    client.post(reverse("accounts:login"), {"username": "radgivar@eksempel.no", "password": "demo"})
    queue = client.get(reverse("plans:queue")).content.decode()
    assert "Facebook for gravide og partnarar" in queue and stavanger_plan not in queue

    client.logout()
    client.post(reverse("accounts:login"), {"username": "radgivar.helsevest@eksempel.no", "password": "demo"})
    assert client.get(reverse("core:home")).status_code == 200
    queue = client.get(reverse("plans:queue"))  # the region's adviser reads figures, and reviews no plan
    assert queue.status_code in (403, 404) or stavanger_plan not in queue.content.decode()


@pytest.fixture
def catcher_dir(settings, tmp_path):
    settings.MAIL_CATCHER_DIR = tmp_path
    return tmp_path


async def _deliver(directory, message):
    class Envelope:
        original_content = message.as_bytes()
        content = original_content

    return await MaildirHandler(directory).handle_DATA(None, None, Envelope())


def test_the_demo_mail_page_shows_caught_mail_with_its_attachment(catcher_dir, client, db):
    import asyncio

    message = EmailMessage()
    message["Subject"] = "Ny plan for sosiale medier: Blodbanken i Bergen"
    message["From"] = "some@example.no"
    message["To"] = "info@helse-bergen.no"
    message["Date"] = "Thu, 26 Nov 2026 10:00:00 +0100"
    message.set_content("Planen ligg ved.")
    message.add_attachment(b"%PDF-1.7 demo", maintype="application", subtype="pdf", filename="plan.pdf")
    assert asyncio.run(_deliver(catcher_dir, message)).startswith("250")
    page = client.get(reverse("demo:mail_list")).content.decode()
    assert "Ny plan for sosiale medier: Blodbanken i Bergen" in page
    [name] = [p.name for p in catcher_dir.iterdir()]
    detail = client.get(reverse("demo:mail_detail", args=[name])).content.decode()
    assert "Planen ligg ved." in detail and "plan.pdf" in detail
    attachment = client.get(reverse("demo:mail_attachment", args=[name, 0]))
    assert attachment["Content-Type"] == "application/pdf" and attachment.content == b"%PDF-1.7 demo"


@pytest.mark.parametrize(
    "path", ["..%2Fsecret.eml/", "..%2Fsettings.py/", "..%2F..%2Fmanage.py/", "nope.eml/", "x.txt/", "../x.eml/"]
)
def test_the_demo_mail_page_reads_only_its_own_files(path, catcher_dir, client, db):
    (catcher_dir.parent / "secret.eml").write_text("Subject: secret")
    assert client.get(f"/demo/e-post/{path}").status_code == 404
