"""Barrier reports: the public's (and the staff's) form, its guards against abuse, the
advisers' tasks and mailbox, the receipt, and closing a report."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accessibility import services
from accessibility.models import BarrierReport, BarrierStatus
from accounts.models import default_organisation
from core.models import AuditEntry, OutboundEmail
from core.worklist import worklist_for
from registry import reports

pytestmark = pytest.mark.django_db

FORM = reverse("accessibility:barrier_report")
THANKS = reverse("accessibility:barrier_thanks")
LIST = reverse("accessibility:barrier_list")
HARD = "Eg kom ikkje til «Send»-knappen med tastaturet."


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def barrier_data(**changes):
    data = {"what_was_hard": HARD, "page": "/kontoer/", "contact_email": "", "website": ""}
    data.update(changes)
    return data


def send(client, ip="192.0.2.10", HTTP_HOST="testserver", **changes):
    return client.post(FORM, barrier_data(**changes), REMOTE_ADDR=ip, HTTP_HOST=HTTP_HOST)


def make_barrier(**fields):
    fields.setdefault("what_was_hard", "Knappen manglar namn")
    fields.setdefault("client_key", "k" * 64)
    fields.setdefault("organisation", default_organisation())
    return BarrierReport.objects.create(**fields)


# The form


def test_the_form_is_filled_in_from_the_page_the_person_came_from(client):
    page = client.get(FORM, {"fra": "/kontoer/?q=blod"}).content.decode()
    assert "<title>Report a barrier – SoMe-portalen</title>" in page
    assert 'value="/kontoer/?q=blod"' in page
    # Without ?fra=, the browser's Referer from a page of the portal.
    page = client.get(FORM, HTTP_REFERER="http://testserver/handbok/").content.decode()
    assert 'value="/handbok/"' in page
    # Never another site, and never the statement itself.
    for referer in ("https://evil.example/kontoer/", "http://testserver/tilgjengelighet/"):
        page = client.get(FORM, HTTP_REFERER=referer).content.decode()
        assert not re.search(r'name="page" value="', page), referer
    page = client.get(FORM, {"fra": "//evil.example/x"}).content.decode()
    assert not re.search(r'name="page" value="', page)
    honeypot = re.search(r"<input[^>]*name=\"website\"[^>]*>", page).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot


def test_every_pages_footer_links_the_form_with_the_page_it_is_on(client):
    page = client.get(reverse("registry:public_list")).content.decode()
    assert f'href="{FORM}?fra=/kontoer/"' in page


def test_a_report_reaches_the_advisers_tasks_and_mailbox_and_the_sender_gets_a_receipt(client, cast):
    response = send(client, ip="198.51.100.7", contact_email="Kari@Example.no")
    assert response.status_code == 302 and response["Location"].startswith(THANKS + "?ref=")
    report = BarrierReport.objects.get()
    assert report.what_was_hard == HARD and report.page == "/kontoer/"
    assert report.contact_email == "kari@example.no" and report.language == "en"
    assert report.status == BarrierStatus.NEW and report.sender is None
    assert "198.51.100.7" not in report.client_key
    assert AuditEntry.objects.for_object(report).get().action == "barrier.received"
    mail = OutboundEmail.objects.get(template="barrier_report_received")
    assert mail.to == [settings.COMMS_MAILBOX]
    link = settings.SITE_URL + reverse("accessibility:barrier_detail", args=[report.pk])
    assert link in mail.body_text and link in mail.body_html and HARD in mail.body_text
    assert report.reference in mail.subject
    receipt = OutboundEmail.objects.get(template="barrier_report_receipt")
    assert receipt.to == ["kari@example.no"]
    assert report.reference in receipt.subject and "received your report" in receipt.body_text
    # The receipt repeats nothing the sender wrote: it cannot carry a message to someone else.
    assert HARD not in receipt.body_text + receipt.body_html + receipt.subject
    thanks = client.get(response["Location"]).content.decode()
    assert report.reference in thanks and "A receipt is on its way" in thanks
    # The advisers' tasks, and only theirs.
    [task] = [item for item in worklist_for(cast["adviser"]) if item.kind == "barrier.new"]
    assert task.url == reverse("accessibility:barrier_detail", args=[report.pk]) and task.detail == "/kontoer/"
    for role in ("member", "leader", "admin"):
        assert not [item for item in worklist_for(cast[role]) if item.kind == "barrier.new"], role


def test_the_receipt_is_in_the_language_the_person_wrote_in(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    assert send(client, contact_email="kari@example.no").status_code == 302
    receipt = OutboundEmail.objects.get(template="barrier_report_receipt")
    assert BarrierReport.objects.get().language == "nn"
    assert "Takk" in receipt.body_text and "Thank you" not in receipt.body_text
    # The department reads its mail in the portal's language.
    assert "barriere i SoMe-portalen" in OutboundEmail.objects.get(template="barrier_report_received").subject


def test_no_address_no_receipt(client):
    assert send(client).status_code == 302
    assert not OutboundEmail.objects.filter(template="barrier_report_receipt").exists()
    assert "A receipt is on its way" not in client.get(THANKS).content.decode()


def test_a_logged_in_person_reports_too_and_is_named(client, cast):
    client.force_login(cast["member"])
    page = client.get(FORM, {"fra": "/planar/"}).content.decode()
    assert f'value="{cast["member"].email}"' in page  # their address, which they may remove
    assert send(client, contact_email="").status_code == 302
    report = BarrierReport.objects.get()
    assert report.sender == cast["member"] and report.contact_email == ""
    assert AuditEntry.objects.for_object(report).get().actor == cast["member"]


@pytest.mark.parametrize(
    "changes,field,message",
    [
        ({"what_was_hard": "   "}, "what_was_hard", "Tell us briefly what was hard"),
        ({"what_was_hard": "x" * 2001}, "what_was_hard", "at most 2000 characters"),
        ({"page": "https://evil.example/kontoer/"}, "page", "a page in this portal"),
        ({"page": "javascript:alert(1)"}, "page", "a page in this portal"),
        ({"page": "//evil.example/"}, "page", "a page in this portal"),
        ({"page": "/" + "a" * 600}, "page", "too long"),
        ({"contact_email": "ikkje-ei-adresse"}, "contact_email", "a whole e-mail address"),
    ],
)
def test_junk_is_refused_with_a_clear_message_and_nothing_is_kept(client, changes, field, message):
    response = send(client, **changes)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and message in page and f'href="#id_{field}"' in page
    assert 'aria-invalid="true"' in page
    assert not BarrierReport.objects.exists() and not OutboundEmail.objects.exists()


def test_an_address_of_the_portal_is_kept_as_a_path(client, settings):
    settings.SITE_URL = "https://some.helse-bergen.no"
    assert send(client, page="https://some.helse-bergen.no/handbok/kanalar/?x=1#topp").status_code == 302
    assert send(client, ip="192.0.2.11", page="some.helse-bergen.no/kontoer/").status_code == 302
    assert sorted(BarrierReport.objects.values_list("page", flat=True)) == ["/handbok/kanalar/?x=1", "/kontoer/"]


def test_the_honeypot_keeps_nothing(client):
    response = send(client, website="http://spam.example", contact_email="offer@example.no")
    assert response.status_code == 302 and response["Location"].startswith(THANKS + "?ref=")
    assert not BarrierReport.objects.exists() and not OutboundEmail.objects.exists()
    assert re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", client.get(response["Location"]).content.decode())


def test_one_client_may_send_as_many_as_for_fake_accounts_an_hour(client):
    for n in range(reports.CLIENT_LIMIT_PER_HOUR):
        assert send(client, what_was_hard=f"Hinder {n}").status_code == 302
    response = send(client, what_was_hard="Det sjette hinderet")
    page = response.content.decode()
    assert response.status_code == 429 and "in the last hour" in page and "Det sjette hinderet" in page
    assert BarrierReport.objects.count() == reports.CLIENT_LIMIT_PER_HOUR
    assert send(client, ip="203.0.113.9").status_code == 302  # someone else is not held back
    BarrierReport.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert send(client).status_code == 302


def test_one_network_is_limited_as_a_whole(client):
    sent = 0
    for host in range(1, 10):
        for _ in range(reports.CLIENT_LIMIT_PER_HOUR):
            sent += send(client, ip=f"198.51.100.{host}").status_code == 302
    assert sent == reports.NETWORK_LIMIT_PER_HOUR
    assert send(client, ip="198.51.100.200").status_code == 429
    assert send(client, ip="203.0.113.5").status_code == 302


def test_one_address_gets_few_receipts_a_day(client):
    for n in range(services.RECEIPTS_PER_DAY + 2):
        assert send(client, ip=f"198.51.{n}.7", contact_email="offer@example.no").status_code == 302
    assert OutboundEmail.objects.filter(template="barrier_report_receipt").count() == services.RECEIPTS_PER_DAY
    assert BarrierReport.objects.count() == services.RECEIPTS_PER_DAY + 2  # every report is still kept


def test_a_flood_from_many_places_goes_to_the_mailbox_as_one_summary(client, settings):
    for n in range(services.SUMMARY_AFTER + 5):
        assert send(client, ip=f"198.51.{n}.7", what_was_hard=f"Flaum {n}").status_code == 302
    mailed = OutboundEmail.objects.filter(template="barrier_report_received").count()
    assert mailed == services.SUMMARY_AFTER
    call_command("portal_periodic", verbosity=0)
    call_command("portal_periodic", verbosity=0)  # twice in a row sends nothing twice
    [summary] = OutboundEmail.objects.filter(template="barrier_report_summary")
    assert summary.to == [settings.COMMS_MAILBOX] and "5" in summary.subject
    assert not BarrierReport.objects.filter(notified_at__isnull=True).exists()


# The advisers


def test_an_adviser_reads_and_closes_a_report_and_it_leaves_the_tasks(client, cast):
    report = make_barrier(page="/kontoer/", contact_email="kari@example.no")
    client.force_login(cast["adviser"])
    page = client.get(LIST).content.decode()
    assert report.reference in page and "Knappen manglar namn" in page
    detail = reverse("accessibility:barrier_detail", args=[report.pk])
    page = client.get(detail).content.decode()
    assert 'href="/kontoer/"' in page and "kari@example.no" in page
    response = client.post(detail, {"note": ""})
    assert response.status_code == 400 and "Write a short note" in response.content.decode()
    assert client.post(detail, {"note": "Retta i versjonen 14. desember."}).status_code == 302
    report.refresh_from_db()
    assert report.status == BarrierStatus.CLOSED and report.closed_by == cast["adviser"]
    assert report.note == "Retta i versjonen 14. desember."
    entry = AuditEntry.objects.for_object(report).get(action="barrier.closed")
    assert entry.actor == cast["adviser"]
    assert not [item for item in worklist_for(cast["adviser"]) if item.kind == "barrier.new"]
    # Closing twice is refused and changes nothing.
    response = client.post(detail, {"note": "Igjen"})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.note == "Retta i versjonen 14. desember."


def test_only_an_adviser_may_close_through_the_service(cast):
    report = make_barrier()
    for role in ("member", "leader", "admin"):
        with pytest.raises(services.NotAllowed):
            services.barrier_report_close(report=report, actor=cast[role], note="Nei")
    report.refresh_from_db()
    assert report.status == BarrierStatus.NEW


def test_many_new_reports_are_a_few_tasks_and_one_for_the_rest(cast):
    for n in range(8):
        make_barrier(what_was_hard=f"Hinder {n}")
    tasks = [item for item in worklist_for(cast["adviser"]) if item.kind == "barrier.new"]
    assert len(tasks) == 6 and tasks[-1].count == 3 and tasks[-1].url == LIST


# Two organisations


@pytest.fixture
def stavanger(db):
    from accounts.models import Organisation, User
    from accounts.organisations import forget

    organisation = Organisation.objects.create(
        name="Helse Stavanger",
        slug="helse-stavanger",
        mailbox="kommunikasjon@helse-stavanger.no",
        sender="some@helse-stavanger.no",
        host_names="some.helse-stavanger.no",
    )
    forget()
    adviser = User.objects.create_user(
        "ingrid@helse-stavanger.no", "pw-Ingrid-1", full_name="Ingrid Hå", organisation=organisation, is_adviser=True
    )
    return {"organisation": organisation, "adviser": adviser}


STAVANGER_HOST = "some.helse-stavanger.no"


@pytest.fixture
def hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", STAVANGER_HOST]


def test_a_report_from_an_organisations_pages_goes_to_its_department_only(client, cast, stavanger, hosts):
    page = client.get(FORM, {"fra": "/kontoer/"}, HTTP_HOST=STAVANGER_HOST).content.decode()
    assert "Communications Department at Helse Stavanger" in page and "kommunikasjon@helse-stavanger.no" in page
    response = send(client, contact_email="kari@example.no", HTTP_HOST=STAVANGER_HOST)
    assert response.status_code == 302
    report = BarrierReport.objects.get()
    assert report.organisation == stavanger["organisation"]
    told = OutboundEmail.objects.get(template="barrier_report_received")
    assert told.to == ["kommunikasjon@helse-stavanger.no"] and "some@helse-stavanger.no" in told.from_email
    assert "Helse Stavanger" in told.body_text and "Helse Bergen" not in told.body_text
    receipt = OutboundEmail.objects.get(template="barrier_report_receipt")
    assert "kommunikasjon@helse-stavanger.no" in receipt.body_text and settings.COMMS_MAILBOX not in receipt.body_text
    assert "Communications Department at Helse Stavanger" in receipt.body_text
    thanks = client.get(response["Location"]).content.decode()
    assert "Communications Department at Helse Stavanger" in thanks and "kommunikasjon@helse-stavanger.no" in thanks

    # Its advisers' tasks and list, not the other organisation's; the other adviser gets 404.
    assert [i.kind for i in worklist_for(stavanger["adviser"]) if i.kind == "barrier.new"] == ["barrier.new"]
    assert not [i for i in worklist_for(cast["adviser"]) if i.kind == "barrier.new"]
    detail = reverse("accessibility:barrier_detail", args=[report.pk])
    client.force_login(cast["adviser"])
    assert report.reference not in client.get(LIST).content.decode()
    assert client.get(detail).status_code == 404
    assert client.post(detail, {"note": "Retta"}).status_code == 404
    with pytest.raises(services.NotAllowed):
        services.barrier_report_close(report=report, actor=cast["adviser"], note="Retta")
    client.force_login(stavanger["adviser"])
    assert report.reference in client.get(LIST).content.decode()
    assert client.post(detail, {"note": "Retta"}).status_code == 302
    report.refresh_from_db()
    assert report.status == BarrierStatus.CLOSED


def test_a_report_about_an_organisations_own_public_page_goes_to_that_organisation(client, stavanger):
    page = reverse("registry:organisation", args=["helse-stavanger"])
    form = client.get(FORM, {"fra": page}).content.decode()
    assert "Communications Department at Helse Stavanger" in form
    assert send(client, page=page).status_code == 302
    assert BarrierReport.objects.get().organisation == stavanger["organisation"]
    assert OutboundEmail.objects.get(template="barrier_report_received").to == ["kommunikasjon@helse-stavanger.no"]
    # Any other page is the default organisation's (here, with no host name of its own).
    assert send(client, ip="198.51.100.9", page="/kontoer/").status_code == 302
    assert BarrierReport.objects.order_by("-pk").first().organisation.slug == "helse-bergen"


def test_each_organisation_gets_its_own_summary_of_a_flood(client, stavanger, hosts):
    for n in range(services.SUMMARY_AFTER + 3):
        assert send(client, ip=f"198.51.{n}.7", what_was_hard=f"Flaum {n}", HTTP_HOST=STAVANGER_HOST).status_code == 302
    assert send(client, ip="203.0.113.1", what_was_hard="Berre ein").status_code == 302
    received = OutboundEmail.objects.filter(template="barrier_report_received")
    assert received.filter(to=["kommunikasjon@helse-stavanger.no"]).count() == services.SUMMARY_AFTER
    assert received.filter(to=[settings.COMMS_MAILBOX]).count() == 1  # Bergen's one report is not held back
    call_command("portal_periodic", verbosity=0)
    [summary] = OutboundEmail.objects.filter(template="barrier_report_summary")
    assert summary.to == ["kommunikasjon@helse-stavanger.no"] and "3" in summary.subject
