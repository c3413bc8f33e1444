"""Reports of fake or unofficial accounts: the public form, and the advisers' queue."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import default_organisation
from core.models import AuditEntry, OutboundEmail
from platforms.profiles import read_profile
from registry import reports
from registry.models import Account, AccountStatus, Report, ReportStatus

FORM = reverse("registry:report")
THANKS = reverse("registry:report_thanks")
QUEUE = reverse("registry:reports")
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'
FAKE = "https://www.instagram.com/haukeland_offisiell/"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def make_account(cast, address="https://www.instagram.com/blodbanken/", status=AccountStatus.ACTIVE):
    profile = read_profile(address)
    account = Account.objects.create(
        platform=profile.platform,
        handle=profile.handle,
        handle_key=profile.key,
        url=profile.url,
        display_name="Blodbanken i Bergen",
        purpose="Fleire blodgivarar",
        unit=cast["unit"],
        editor=cast["member"],
        login_email="blodbanken@example.no",
        response_hours="Kvardagar 8–15",
        response_time="Innan to dagar",
        status=status,
    )
    account.deputies.set([cast["deputy"]])
    return account


def report_data(**changes):
    data = {
        "url": FAKE,
        "platform": "",
        "what_is_wrong": "Den brukar logoen og spør etter personnummer.",
        "contact_email": "",
        "website": "",
    }
    data.update(changes)
    return data


def send(client, ip="192.0.2.10", HTTP_X_FORWARDED_FOR=None, **changes):
    extra = {"HTTP_X_FORWARDED_FOR": HTTP_X_FORWARDED_FOR} if HTTP_X_FORWARDED_FOR else {}
    return client.post(FORM, report_data(**changes), REMOTE_ADDR=ip, **extra)


def make_report(**fields):
    fields.setdefault("url", FAKE)
    fields.setdefault("what_is_wrong", "Falsk konto")
    fields.setdefault("client_key", "k" * 64)
    fields.setdefault("organisation", default_organisation())
    return Report.objects.create(**fields)


def without_csrf(content: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", content)


# The public form


def test_form_page_works_without_login_and_prefills_the_address(client, catalogue):
    response = client.get(FORM, {"url": "https://www.facebook.com/falsk", "platform": "facebook"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Report a fake or unofficial account – SoMe-portalen</title>" in page
    assert 'value="https://www.facebook.com/falsk"' in page
    assert f'<option value="{catalogue["facebook"].pk}" selected>' in page
    assert "health" in page  # the advice not to share health information
    honeypot = re.search(r"<input[^>]*name=\"website\"[^>]*>", page).group(0)
    assert 'tabindex="-1"' in honeypot and 'autocomplete="off"' in honeypot
    assert "style=" not in page


def test_submit_stores_the_report_and_mails_the_department(client, cast):
    account = make_account(cast, "https://www.instagram.com/blodbanken/")
    response = send(client, ip="198.51.100.7", url="instagram.com/Blodbanken", contact_email="Ola@Example.no")
    assert response.status_code == 302 and response["Location"].startswith(THANKS + "?ref=")
    report = Report.objects.get()
    assert report.url == "instagram.com/Blodbanken"
    assert report.profile_url == account.url
    assert report.platform == account.platform
    assert report.account == account
    assert report.contact_email == "ola@example.no"
    assert report.status == ReportStatus.NEW
    assert len(report.client_key) == 64 and "198.51.100.7" not in report.client_key
    assert AuditEntry.objects.for_object(report).get().action == "report.received"
    mail = OutboundEmail.objects.get(template="report_received")
    assert mail.to == [settings.COMMS_MAILBOX]
    link = settings.SITE_URL + reverse("registry:report_detail", args=[report.pk])
    assert link in mail.body_text and link in mail.body_html
    assert "Den brukar logoen" in mail.body_text
    assert "198.51.100.7" not in mail.body_text + mail.body_html + mail.subject


def test_an_unreadable_address_is_kept_as_typed(client, catalogue):
    assert send(client, url="javascript:alert(1)").status_code == 302
    report = Report.objects.get()
    assert report.url == "javascript:alert(1)"
    assert report.profile_url == "" and report.account is None and report.platform is None
    assert OutboundEmail.objects.filter(template="report_received").count() == 1


def test_a_bare_handle_is_read_with_the_platform_chosen(client, catalogue):
    send(client, url="@haukeland_offisiell", platform=catalogue["instagram"].pk)
    send(client, url="@haukeland_offisiell")
    with_platform, without = Report.objects.order_by("id")
    assert with_platform.profile_url == read_profile(FAKE).url
    assert with_platform.platform == catalogue["instagram"]
    assert without.profile_url == "" and without.platform is None
    assert without.url == "@haukeland_offisiell"


def test_the_thanks_page_says_the_same_for_every_report(client, cast):
    official = make_account(cast, "https://www.instagram.com/blodbanken/")
    pages = []
    for ip, address in [
        ("192.0.2.1", FAKE),  # first report of an unknown account
        ("192.0.2.2", FAKE),  # reported before
        ("192.0.2.3", official.url),  # an official account
        ("192.0.2.4", "not an address at all"),
    ]:
        response = send(client, ip=ip, url=address)
        assert response.status_code == 302 and response["Location"].startswith(THANKS + "?ref=")
        page = without_csrf(client.get(response["Location"]).content)
        # Only the reference differs (and the signed form of it the page's own address carries):
        # each person gets the one of their own report.
        reference = Report.objects.latest("pk").reference
        signed = response["Location"].split("?ref=")[1].encode()
        assert reference.encode() in page
        pages.append(page.replace(signed, b"SIGNED").replace(reference.encode(), b"REFERENCE"))
    assert Report.objects.count() == 4
    assert len(set(Report.objects.values_list("reference", flat=True))) == 4
    assert all(page == pages[0] for page in pages)


@pytest.mark.parametrize(
    ("language", "advice"),
    [
        ("nb", "Mens vi ser på kontoen, må du ikke dele helseopplysninger"),
        ("nn", "Medan vi ser på kontoen, må du ikkje dele helseopplysningar"),
        ("en", "While we look into the account, do not share health information"),
    ],
)
def test_the_thanks_page_says_what_to_do_while_the_account_is_looked_into(client, cast, language, advice):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = send(client, url=FAKE)
    page = " ".join(client.get(response["Location"]).content.decode().split())
    assert advice in page
    assert "Fram til da" not in page and "Fram til då" not in page and "Until then" not in page


def test_the_reference_is_in_the_queue_the_report_and_the_e_mail(client, cast, settings):
    send(client, url="https://www.instagram.com/blodb%D0%B0nken_ung/")
    report = Report.objects.get()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", report.reference)
    email = OutboundEmail.objects.get(template="report_received")
    assert report.reference in email.subject and report.reference in email.body_text
    client.force_login(cast["adviser"])
    for typed in (report.reference, report.reference.lower().replace("-", " ")):
        page = client.get(QUEUE, {"q": typed}).content.decode()
        assert reverse("registry:report_detail", args=[report.pk]) in page
    assert (
        reverse("registry:report_detail", args=[report.pk])
        not in client.get(QUEUE, {"q": "ZZZZ-ZZZZ"}).content.decode()
    )
    assert report.reference in client.get(reverse("registry:report_detail", args=[report.pk])).content.decode()


def test_the_honeypot_stores_nothing(client, catalogue):
    response = send(client, website="http://spam.example")
    assert response.status_code == 302 and response["Location"].startswith(THANKS + "?ref=")
    assert not Report.objects.exists()
    assert not OutboundEmail.objects.exists()
    # The robot is thanked like a person, with a reference that leads nowhere.
    assert re.search(r"[A-Z2-9]{4}-[A-Z2-9]{4}", client.get(response["Location"]).content.decode())


def test_one_client_may_send_five_reports_an_hour(client, catalogue):
    for n in range(reports.CLIENT_LIMIT_PER_HOUR):
        assert send(client, what_is_wrong=f"Melding {n}").status_code == 302
    response = send(client, what_is_wrong="Den sjette meldinga", contact_email="kari@example.no")
    page = response.content.decode()
    assert response.status_code == 429
    assert 'id="error-summary"' in page and "in the last hour" in page
    assert "Den sjette meldinga" in page and 'value="kari@example.no"' in page and FAKE in page
    assert Report.objects.count() == reports.CLIENT_LIMIT_PER_HOUR
    assert OutboundEmail.objects.count() == reports.CLIENT_LIMIT_PER_HOUR
    # Someone else is not held back, and an hour later the same client may send again.
    assert send(client, ip="203.0.113.9").status_code == 302
    Report.objects.update(created_at=timezone.now() - timedelta(minutes=61))
    assert send(client).status_code == 302


def test_a_flood_from_many_places_never_turns_an_honest_sender_away(client, catalogue, settings):
    # 41 senders on 41 networks, five reports each: more than the old cap of 200 an hour.
    for n in range(41):
        for m in range(reports.CLIENT_LIMIT_PER_HOUR):
            assert send(client, ip=f"198.51.{n}.7", what_is_wrong=f"Flaum {n}-{m}").status_code == 302
    honest = "https://www.instagram.com/heilt_anna_konto/"
    response = send(client, ip="203.0.113.77", url=honest, what_is_wrong="Ei ærleg melding")
    assert response.status_code == 302
    assert Report.objects.count() == 41 * reports.CLIENT_LIMIT_PER_HOUR + 1
    # One e-mail per report while they were few, then nothing until the digest.
    mailed = OutboundEmail.objects.filter(template="report_received").count()
    assert mailed == reports.DIGEST_AFTER
    call_command("portal_periodic", verbosity=0)
    call_command("portal_periodic", verbosity=0)  # twice in a row sends nothing twice
    [digest] = OutboundEmail.objects.filter(template="report_digest")
    assert digest.to == [settings.COMMS_MAILBOX]
    assert str(Report.objects.count() - mailed) in digest.subject
    assert "Ei ærleg melding" in digest.body_text and read_profile(honest).url in digest.body_html
    assert not Report.objects.filter(notified_at__isnull=True).exists()


def test_the_next_digest_waits_for_its_interval(client, catalogue):
    for n in range(reports.DIGEST_AFTER + 2):
        send(client, ip=f"198.51.{n}.8")
    now = timezone.now()
    assert reports.report_digest_send(now=now) == 2
    send(client, ip="198.51.200.8", what_is_wrong="Seinare")
    assert reports.report_digest_send(now=now + timedelta(minutes=1)) == 0
    assert reports.report_digest_send(now=now + reports.DIGEST_INTERVAL + timedelta(minutes=1)) == 1
    assert OutboundEmail.objects.filter(template="report_digest").count() == 2


@pytest.mark.parametrize(
    "neighbours,stranger",
    [
        ([f"192.0.2.{n}" for n in range(1, 9)], "192.0.3.1"),
        ([f"2001:db8:0:1::{n}" for n in range(1, 9)], "2001:db8:0:2::1"),
    ],
)
def test_one_network_is_limited_as_a_whole(neighbours, stranger, client, catalogue):
    sent = 0
    for address in neighbours:
        for _ in range(reports.CLIENT_LIMIT_PER_HOUR):
            if send(client, ip=address).status_code == 302:
                sent += 1
    assert sent == reports.NETWORK_LIMIT_PER_HOUR
    response = send(client, ip=neighbours[-1], what_is_wrong="Frå same nett")
    assert response.status_code == 429 and "Frå same nett" in response.content.decode()
    assert send(client, ip=stranger).status_code == 302


def test_behind_a_trusted_proxy_each_sender_counts_for_itself(client, catalogue, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(reports.CLIENT_LIMIT_PER_HOUR):
        send(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert send(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 429
    assert send(client, ip="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 302


def test_without_trusted_proxies_a_spoofed_header_changes_nothing(client, catalogue, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(reports.CLIENT_LIMIT_PER_HOUR):
        send(client, ip="192.0.2.80", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert send(client, ip="192.0.2.80", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_the_client_key_is_a_keyed_hash(rf, settings):
    request = rf.get("/", REMOTE_ADDR="192.0.2.55")
    key = reports.client_key(request)
    assert key == reports.client_key(rf.get("/", REMOTE_ADDR="192.0.2.55"))
    assert key != reports.client_key(rf.get("/", REMOTE_ADDR="192.0.2.56"))
    settings.SECRET_KEY = "another-secret-" + "y" * 40
    assert reports.client_key(request) != key


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"contact_email": "ikkje-ein-adresse"}, "contact_email"),
        ({"url": ""}, "url"),
        ({"what_is_wrong": "   "}, "what_is_wrong"),
        ({"what_is_wrong": "å" * 100_000}, "what_is_wrong"),
        ({"url": "https://example.no/" + "a" * 600}, "url"),
    ],
    ids=["bad-email", "no-address", "nothing-wrong", "huge-text", "long-address"],
)
def test_bad_input_keeps_what_was_typed(changes, field, client, catalogue):
    data = report_data(url="https://www.tiktok.com/@falsk", contact_email="per@example.no")
    data.update(changes)
    response = client.post(FORM, data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and f'href="#id_{field}"' in page
    assert f'id="id_{field}-error"' in page
    for name in ("url", "what_is_wrong", "contact_email"):
        if data[name].strip():
            assert data[name] in page, name
    assert not Report.objects.exists() and not OutboundEmail.objects.exists()


def test_the_huge_text_is_told_how_long_it_is(client, catalogue):
    page = send(client, what_is_wrong="x" * 100_000).content.decode()
    assert "at most 2000 characters" in page and "100000" in page


def test_public_pages_never_show_another_reporters_email(client, catalogue):
    send(client, ip="192.0.2.1", contact_email="hemmeleg@example.no")
    pages = [
        client.get(FORM).content,
        client.get(FORM, {"url": FAKE}).content,
        client.get(THANKS).content,
        send(client, ip="192.0.2.2", contact_email="bad").content,
        client.get(send(client, ip="192.0.2.3")["Location"]).content,
    ]
    for page in pages:
        assert b"hemmeleg" not in page


# The advisers' queue


def test_the_queue_shows_new_reports_newest_first(client, cast):
    account = make_account(cast, "https://www.instagram.com/blodbanken/")
    older = make_report(url="blodbanken", profile_url=account.url, account=account, platform=account.platform)
    newer = make_report(url=FAKE, profile_url=read_profile(FAKE).url)
    make_report(url=FAKE, profile_url=read_profile(FAKE).url, status=ReportStatus.FAKE)
    make_report(url="noko rart")
    Report.objects.filter(pk=older.pk).update(created_at=timezone.now() - timedelta(days=1))
    client.force_login(cast["adviser"])
    response = client.get(QUEUE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and "<title>Reports of fake accounts – SoMe-portalen</title>" in page
    assert [r.pk for r in response.context["page"]] == [r.pk for r in Report.objects.filter(status="new")]
    assert response.context["page"][0].pk != older.pk
    rows = {r.pk: r for r in response.context["page"]}
    assert rows[newer.pk].same_profile == 1  # the one closed as fake names the same profile
    assert rows[older.pk].same_profile == 0
    assert f'href="{account.url}" rel="noopener noreferrer nofollow"' in page
    assert reverse("registry:detail", args=[account.pk]) in page
    assert 'href="noko rart"' not in page and "<code>noko rart</code>" in page
    fake = client.get(QUEUE, {"status": "fake"})
    assert [r.status for r in fake.context["page"]] == ["fake"]
    assert len(client.get(QUEUE, {"status": "all"}).context["page"]) == 4
    assert len(client.get(QUEUE, {"status": "nonsense"}).context["page"]) == 3


def test_the_queue_has_pages_of_twenty(client, cast):
    for n in range(23):
        make_report(url=f"konto{n}")
    client.force_login(cast["adviser"])
    assert len(client.get(QUEUE).context["page"]) == 20
    assert len(client.get(QUEUE, {"page": 2}).context["page"]) == 3


def _queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE, {"status": "all"})
    assert response.status_code == 200
    return len(queries)


def test_the_queue_query_count_does_not_grow(client, cast, catalogue):
    account = make_account(cast, "https://www.instagram.com/blodbanken/")
    statuses = ReportStatus.values

    def add(n):
        for i in range(n):
            if i % 3 == 0:
                make_report(url=account.url, profile_url=account.url, account=account, platform=account.platform)
            elif i % 3 == 1:
                make_report(
                    url=f"https://x.com/falsk{i}", profile_url=f"https://x.com/falsk{i}", platform=catalogue["x"]
                )
            else:
                make_report(url=f"rart {i}", status=statuses[i % len(statuses)])

    add(5)
    client.force_login(cast["adviser"])
    _queue_queries(client)
    before = _queue_queries(client)
    add(35)
    assert _queue_queries(client) == before


def test_markup_is_shown_as_text_to_the_advisers(client, cast):
    report = make_report(url=f"javascript:{PAYLOAD}", what_is_wrong=f"tekst {PAYLOAD}", contact_email="a@example.no")
    reports.report_decide(report=report, actor=cast["adviser"], status="dismissed", note=f"notat {PAYLOAD}")
    client.force_login(cast["adviser"])
    for url in [QUEUE + "?status=all", reverse("registry:report_detail", args=[report.pk])]:
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page, url
        assert 'href="javascript:' not in page, url
        assert "&lt;script&gt;" in page, url
    detail = client.get(reverse("registry:report_detail", args=[report.pk])).content.decode()
    assert "notat &lt;script&gt;" in detail and "tekst &lt;script&gt;" in detail


def test_markup_in_the_mail_is_text(client, catalogue):
    send(client, url=PAYLOAD, what_is_wrong=PAYLOAD)
    mail = OutboundEmail.objects.get()
    assert "<script>" not in mail.body_html and "&lt;script&gt;" in mail.body_html
    assert PAYLOAD in mail.body_text


# The detail page and the decision


def test_the_detail_page_shows_everything_and_the_other_reports(client, cast):
    profile_url = read_profile(FAKE).url
    report = make_report(url=FAKE, profile_url=profile_url, contact_email="kari@example.no")
    other = make_report(url="@haukeland_offisiell", profile_url=profile_url, what_is_wrong="Same konto igjen")
    make_report(url="noko anna", what_is_wrong="Urelatert")
    client.force_login(cast["adviser"])
    response = client.get(reverse("registry:report_detail", args=[report.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and f"<title>Report {report.reference}" in page
    assert "kari@example.no" in page and "Same konto igjen" in page and "Urelatert" not in page
    assert reverse("registry:report_detail", args=[other.pk]) in page
    assert 'rel="noopener noreferrer nofollow"' in page


def test_an_adviser_decides_with_a_note(client, cast):
    report = make_report()
    client.force_login(cast["adviser"])
    url = reverse("registry:report_detail", args=[report.pk])
    response = client.post(url, {"status": "fake", "note": "Meldt til Instagram."})
    assert response.status_code == 302 and response["Location"] == url
    report.refresh_from_db()
    assert report.status == ReportStatus.FAKE and report.note == "Meldt til Instagram."
    assert report.handled_by == cast["adviser"] and report.handled_at is not None
    entry = AuditEntry.objects.for_object(report).get(action="report.decided")
    assert entry.actor == cast["adviser"] and entry.data == {
        "from": "new",
        "to": "fake",
        "note": "Meldt til Instagram.",
    }
    page = client.get(url).content.decode()
    assert "The report is now" in page and "Meldt til Instagram." in page


def test_a_report_can_be_opened_again_with_a_note(client, cast):
    report = make_report(status=ReportStatus.DISMISSED)
    client.force_login(cast["adviser"])
    url = reverse("registry:report_detail", args=[report.pk])
    assert client.post(url, {"status": "new", "note": "Ny informasjon kom inn."}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW


@pytest.mark.parametrize(
    "data,field",
    [
        ({"status": "fake", "note": "  "}, "note"),
        ({"status": "hacked", "note": "Sjekka"}, "status"),
        ({"note": "Sjekka"}, "status"),
        ({"status": "fake", "note": "n" * 5000}, "note"),
    ],
    ids=["no-note", "wrong-status", "no-status", "long-note"],
)
def test_a_decision_needs_a_known_status_and_a_note(data, field, client, cast):
    report = make_report()
    client.force_login(cast["adviser"])
    response = client.post(reverse("registry:report_detail", args=[report.pk]), data)
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="error-summary"' in page and f'id="id_{field}-error"' in page
    if data["note"].strip():
        assert data["note"] in page
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW and report.note == "" and report.handled_by is None
    assert not AuditEntry.objects.filter(action="report.decided").exists()


def test_the_service_checks_status_note_and_actor(cast):
    report = make_report()
    with pytest.raises(reports.ReportError):
        reports.report_decide(report=report, actor=cast["adviser"], status="hacked", note="x")
    with pytest.raises(reports.ReportError):
        reports.report_decide(report=report, actor=cast["adviser"], status="fake", note=" ")
    for role in ("member", "leader", "admin"):
        with pytest.raises(reports.NotAllowed):
            reports.report_decide(report=report, actor=cast[role], status="fake", note="x")
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW


def test_the_detail_of_a_missing_report_is_404(client, cast):
    client.force_login(cast["adviser"])
    assert client.get(reverse("registry:report_detail", args=[999])).status_code == 404


# In the browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_pages_are_accessible(browser, live_server, cast):
    from .browser import assert_accessible, log_in
    from .conftest import PASSWORD

    base = live_server.url
    public = browser.new_context().new_page()
    public.goto(f"{base}{FORM}?url=https://www.instagram.com/falsk/")
    assert_accessible(public)
    box = public.locator("#id_website").locator("xpath=..").bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1  # the honeypot is not seen by people
    public.fill("#id_contact_email", "ikkje-ein-adresse")
    public.click("main form button[type=submit]")
    public.wait_for_load_state()
    assert public.evaluate("document.activeElement.id") == "error-summary"
    assert public.input_value("#id_url") == "https://www.instagram.com/falsk/"
    assert_accessible(public)
    public.fill("#id_what_is_wrong", "Brukar logoen vår.")
    public.fill("#id_contact_email", "")
    public.click("main form button[type=submit]")
    public.wait_for_load_state()
    assert public.url.startswith(base + THANKS + "?ref=")
    assert_accessible(public)
    report = Report.objects.get()
    assert report.what_is_wrong == "Brukar logoen vår."

    adviser = browser.new_context().new_page()
    log_in(adviser, base, cast["adviser"].email, PASSWORD)
    for path in [QUEUE, reverse("registry:report_detail", args=[report.pk])]:
        adviser.goto(base + path)
        assert_accessible(adviser)
    adviser.click("main form[method=post] button[type=submit]")  # no note
    adviser.wait_for_load_state()
    assert adviser.evaluate("document.activeElement.id") == "error-summary"
    assert_accessible(adviser)


def test_a_reference_in_the_address_cannot_be_made_up(client, catalogue):
    """The thanks page shows a reference only when the portal signed it: nobody can put words in it."""
    page = client.get(THANKS, {"ref": "FAKE-TEXT"}).content.decode()
    assert "portal-reference" not in page  # no reference shown (the words are only in the page's own address)
    location = send(client)["Location"]
    assert Report.objects.get().reference in client.get(location).content.decode()
