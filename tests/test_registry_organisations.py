"""The register with two organisations: an adviser of one works only that organisation's accounts
and reports (another's is a 404, and never in a list, a count or an export); e-mails go to the
organisation of what they are about; a profile belongs to one organisation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Membership, Organisation, Unit
from core.models import OutboundEmail
from platforms.profiles import read_profile
from registry import reports, services
from registry.models import CHECKLIST_KEYS, Account, Report

from .conftest import make_user
from .registry_helpers import details

pytestmark = pytest.mark.django_db

BERGEN_URL = "https://www.instagram.com/blodbanken_bergen/"
STAVANGER_URL = "https://www.instagram.com/blodbanken_stavanger/"
STAVANGER_MAILBOX = "kommunikasjon@sus.example.no"


@pytest.fixture(autouse=True)
def _english(client):
    client.cookies["some_language"] = "en"


@pytest.fixture
def stavanger(cast, catalogue):
    return make_stavanger()


def make_stavanger() -> dict:
    """A second organisation beside the cast's (the default, Helse Bergen): a trust with a unit, its
    adviser, a member, a deputy and a leader."""
    organisation = Organisation.objects.create(
        name="Helse Stavanger",
        slug="helse-stavanger",
        mailbox=STAVANGER_MAILBOX,
        sender="some@sus.example.no",
        host_names="some.helse-stavanger.no",
    )
    trust = Unit.objects.create(name="Helse Stavanger HF", kind=Unit.Kind.TRUST, organisation=organisation)
    unit = Unit.objects.create(name="Blodbanken i Stavanger", kind=Unit.Kind.SECTION, parent=trust)
    people = {
        "adviser": make_user("ola@sus.example.no", "Ola Sande", is_adviser=True, organisation=organisation),
        "member": make_user("kari@sus.example.no", "Kari Lunde", organisation=organisation),
        "deputy": make_user("per@sus.example.no", "Per Helland", organisation=organisation),
        "leader": make_user("randi@sus.example.no", "Randi Vik", organisation=organisation),
    }
    for person in ("member", "deputy"):
        Membership.objects.create(user=people[person], unit=unit)
    unit.leader = people["leader"]
    unit.save()
    return {"organisation": organisation, "trust": trust, "unit": unit, **people}


def register(side, url=STAVANGER_URL, *, active=True, name="Blodbanken i Stavanger"):
    """An account of `side` (the cast, or the second organisation), as its adviser registers it."""
    adviser = side["adviser"]
    account = services.account_register(
        actor=adviser,
        profile=read_profile(url),
        details=details(side, unit=side["unit"], editor=side["member"], deputies=[side["deputy"]], display_name=name),
    )
    if active:
        for item in CHECKLIST_KEYS:
            services.account_check(account=account, actor=adviser, item=item, checked=True)
        services.account_transition(account=account, actor=adviser, action="activate")
    account.refresh_from_db()
    return account


@pytest.fixture
def both(cast, stavanger):
    return make_both(cast, stavanger)


def make_both(cast, stavanger) -> dict:
    """One active account in each organisation."""
    return {
        "bergen": register(cast, BERGEN_URL, name="Blodbanken i Bergen"),
        "stavanger": register(stavanger, STAVANGER_URL),
    }


# The register's pages


def test_the_register_lists_and_counts_only_the_advisers_own_organisation(client, cast, stavanger, both):
    for side, own, other in ((cast, "bergen", "stavanger"), (stavanger, "stavanger", "bergen")):
        client.force_login(side["adviser"])
        response = client.get(reverse("registry:register"))
        page = response.content.decode()
        assert response.status_code == 200
        assert both[own].display_name in page and both[other].display_name not in page
        assert response.context["page"].paginator.count == 1
        assert response.context["overview"]["by_status"]["active"] == 1


def test_another_organisations_account_is_a_404_on_every_page_and_action(client, cast, stavanger, both):
    theirs = both["stavanger"]
    client.force_login(cast["adviser"])
    assert client.get(reverse("registry:detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("registry:edit", args=[theirs.pk])).status_code == 404
    check = client.post(reverse("registry:check", args=[theirs.pk]), {"item": "naming", "checked": "0"})
    assert check.status_code == 404
    pause = client.post(reverse("registry:action", args=[theirs.pk, "pause"]))
    assert pause.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "active" and theirs.checks.filter(item="naming").exists()
    # Their own adviser may.
    client.force_login(stavanger["adviser"])
    assert client.get(reverse("registry:detail", args=[theirs.pk])).status_code == 200
    assert client.post(reverse("registry:action", args=[theirs.pk, "pause"])).status_code == 302
    theirs.refresh_from_db()
    assert theirs.status == "paused"


def test_the_services_refuse_an_adviser_of_another_organisation(cast, stavanger, both):
    with pytest.raises(services.NotAllowed):
        services.account_transition(account=both["stavanger"], actor=cast["adviser"], action="pause")
    with pytest.raises(services.NotAllowed):
        services.account_register(
            actor=cast["adviser"],
            profile=read_profile("https://www.instagram.com/ny_i_stavanger/"),
            details=details(
                stavanger, unit=stavanger["unit"], editor=stavanger["member"], deputies=[stavanger["deputy"]]
            ),
        )
    assert not Account.objects.filter(url__contains="ny_i_stavanger").exists()


def test_registering_is_offered_for_the_advisers_own_units_only(client, cast, stavanger):
    client.force_login(cast["adviser"])
    page = client.get(reverse("registry:create")).content.decode()
    assert cast["unit"].name in page and stavanger["unit"].name not in page
    assert client.get(reverse("registry:create"), {"unit": stavanger["unit"].pk}).status_code == 404
    assert client.get(reverse("registry:create"), {"unit": cast["unit"].pk}).status_code == 200


def test_the_export_holds_only_the_advisers_own_organisation(client, cast, stavanger, both):
    client.force_login(cast["adviser"])
    response = client.get(reverse("registry:export"), {"format": "csv"})
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert both["bergen"].url in content and both["stavanger"].url not in content


# A profile belongs to one organisation


def test_a_profile_held_by_another_organisation_is_refused_with_its_name_and_mailbox(client, cast, stavanger, both):
    client.force_login(cast["adviser"])
    form = {
        "address": STAVANGER_URL,
        "display_name": "Kopi",
        "purpose": "Prøver å ta ein annan sin profil.",
        "editor": cast["member"].pk,
        "deputies": [cast["deputy"].pk],
        "login_email": "blodbanken.some@example.no",
        "response_hours": "Kvardagar 08–15",
        "response_time": "Innan éin arbeidsdag",
    }
    response = client.post(reverse("registry:create") + f"?unit={cast['unit'].pk}", form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "This profile belongs to Helse Stavanger" in page and STAVANGER_MAILBOX in page
    # The asker is not shown the other organisation's account (it would be a 404 for them).
    assert reverse("registry:detail", args=[both["stavanger"].pk]) not in page
    assert Account.objects.filter(url=STAVANGER_URL).count() == 1


def test_the_same_organisation_is_told_it_is_registered_already(cast, both):
    with pytest.raises(services.AlreadyRegistered) as refused:
        services.account_register(
            actor=cast["adviser"], profile=read_profile(BERGEN_URL), details=details(cast, display_name="Igjen")
        )
    assert "Blodbanken i Bergen" in refused.value.message and refused.value.holder is None
    assert refused.value.account == both["bergen"]


IMPORT_HEADER = (
    "platform,url,display_name,purpose,unit,editor_email,deputy_emails,login_email,response_hours,response_time"
)


def _import_line(unit, url, editor, deputy):
    return f"instagram,{url},Blodbanken,Rekruttere,{unit.pk},{editor.email},{deputy.email},some.box@example.no,08–15,Innan ein dag"


def test_the_import_knows_only_the_advisers_own_units_and_names_the_holder_of_a_profile(client, cast, stavanger, both):
    client.force_login(cast["adviser"])
    content = "\n".join(
        [
            IMPORT_HEADER,
            _import_line(stavanger["unit"], "https://www.instagram.com/ny_konto/", cast["member"], cast["deputy"]),
            _import_line(cast["unit"], STAVANGER_URL, cast["member"], cast["deputy"]),
        ]
    ).encode()
    response = client.post(reverse("registry:import"), {"file": SimpleUploadedFile("kontoar.csv", content)})
    check = response.context["check"]
    assert not check.is_valid
    first, second = (
        " ".join(message for where, message in row.errors if where == column)
        for row, column in zip(check.rows, ("unit", "url"), strict=True)
    )
    assert f"There is no unit number {stavanger['unit'].pk}" in first
    assert "This profile belongs to Helse Stavanger" in second and STAVANGER_MAILBOX in second


# E-mails go to the organisation of the account


def test_the_mail_about_an_account_names_and_comes_from_its_organisation(stavanger):
    OutboundEmail.objects.all().delete()
    register(stavanger, active=False)
    mails = list(OutboundEmail.objects.filter(template="account_registered"))
    assert mails and all(mail.from_email == "SoMe-portalen – Helse Stavanger <some@sus.example.no>" for mail in mails)
    assert {address for mail in mails for address in mail.to} <= {
        stavanger[p].email for p in ("member", "deputy", "leader")
    }


def test_when_an_editor_leaves_only_the_accounts_own_advisers_are_told(cast, stavanger, both):
    OutboundEmail.objects.all().delete()
    services.editor_left(user=stavanger["member"])
    told = {address for mail in OutboundEmail.objects.filter(template="account_needs_editor") for address in mail.to}
    assert stavanger["adviser"].email in told
    assert cast["adviser"].email not in told


# Reports of fake accounts


def test_a_report_goes_to_the_chosen_organisations_mailbox_and_advisers_only(client, cast, stavanger, catalogue):
    OutboundEmail.objects.all().delete()
    response = client.post(
        reverse("registry:report"),
        {
            "organisation": stavanger["organisation"].pk,
            "url": "https://www.instagram.com/falsk_stavanger/",
            "what_is_wrong": "Brukar namnet vårt.",
        },
    )
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.organisation == stavanger["organisation"]
    mail = OutboundEmail.objects.get(template="report_received")
    assert mail.to == [STAVANGER_MAILBOX] and "Helse Stavanger" in mail.from_email
    thanks = client.get(response["Location"]).content.decode()
    assert "Helse Stavanger" in thanks and STAVANGER_MAILBOX in thanks
    # Only Helse Stavanger's advisers see it.
    client.force_login(cast["adviser"])
    assert "falsk_stavanger" not in client.get(reverse("registry:reports")).content.decode()
    assert client.get(reverse("registry:report_detail", args=[report.pk])).status_code == 404
    decided = client.post(reverse("registry:report_detail", args=[report.pk]), {"status": "fake", "note": "Nei"})
    assert decided.status_code == 404
    with pytest.raises(reports.NotAllowed):
        reports.report_decide(report=report, actor=cast["adviser"], status="fake", note="Nei")
    client.force_login(stavanger["adviser"])
    assert "falsk_stavanger" in client.get(reverse("registry:reports")).content.decode()
    assert client.get(reverse("registry:report_detail", args=[report.pk])).status_code == 200


def test_the_report_form_offers_the_pages_or_the_copied_accounts_organisation(client, stavanger, both, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "some.helse-stavanger.no", "testserver"]
    chosen = f'<option value="{stavanger["organisation"].pk}" selected>Helse Stavanger</option>'
    assert chosen in client.get(reverse("registry:report"), HTTP_HOST="some.helse-stavanger.no").content.decode()
    assert chosen not in client.get(reverse("registry:report")).content.decode()
    assert chosen in client.get(reverse("registry:report"), {"organisation": "helse-stavanger"}).content.decode()
    copy = client.get(reverse("registry:report"), {"kopi": both["stavanger"].code}).content.decode()
    assert chosen in copy and "official account “Blodbanken i Stavanger” of Helse Stavanger" in copy


def test_a_report_without_a_chosen_organisation_goes_to_the_registered_accounts_own(stavanger, both):
    report = reports.report_submit(url=STAVANGER_URL, what_is_wrong="Rart", client_key="c" * 64)
    assert report.organisation == stavanger["organisation"] and report.account == both["stavanger"]


def test_the_digest_is_one_per_organisation_to_its_own_mailbox(cast, stavanger):
    from django.utils import timezone

    for n, organisation in enumerate([stavanger["organisation"], cast["unit"].organisation] * 2):
        Report.objects.create(
            url=f"https://www.instagram.com/falsk{n}/",
            what_is_wrong="x",
            client_key=str(n) * 64,
            organisation=organisation,
        )
    OutboundEmail.objects.all().delete()
    assert reports.report_digest_send(now=timezone.now()) == 4
    digests = {tuple(mail.to): mail for mail in OutboundEmail.objects.filter(template="report_digest")}
    assert set(digests) == {(STAVANGER_MAILBOX,), (cast["unit"].organisation.mailbox,)}
    assert "Helse Stavanger" in digests[(STAVANGER_MAILBOX,)].from_email


# Tasks


def test_an_advisers_tasks_are_their_own_organisations_accounts_and_reports(cast, stavanger):
    from core.worklist import worklist_of_one
    from registry.worklist import register_tasks

    setup = register(stavanger, active=False)
    report = reports.report_submit(
        url="https://www.instagram.com/falsk_stavanger/",
        what_is_wrong="Falsk",
        client_key="s" * 64,
        organisation=stavanger["organisation"],
    )
    theirs = {item.url for item in worklist_of_one(register_tasks, stavanger["adviser"])}
    assert reverse("registry:detail", args=[setup.pk]) + "#checklist" in theirs
    assert reverse("registry:report_detail", args=[report.pk]) in theirs
    ours = {item.url for item in worklist_of_one(register_tasks, cast["adviser"])}
    assert reverse("registry:detail", args=[setup.pk]) + "#checklist" not in ours
    assert reverse("registry:report_detail", args=[report.pk]) not in ours


def test_the_people_who_answer_for_an_account_are_its_organisations(cast, stavanger):
    """An editor or deputy from another organisation would get the account's mail and tasks: the
    register refuses them, whichever way the account is registered (the form, the import)."""
    with pytest.raises(services.InvalidDetails) as refused:
        services.account_register(
            actor=stavanger["adviser"],
            profile=read_profile(STAVANGER_URL),
            details=details(stavanger, unit=stavanger["unit"], editor=cast["member"], deputies=[stavanger["deputy"]]),
        )
    assert set(refused.value.errors) == {"editor"} and "Helse Stavanger" in str(refused.value.errors["editor"])
    with pytest.raises(services.InvalidDetails) as refused:
        services.account_register(
            actor=stavanger["adviser"],
            profile=read_profile(STAVANGER_URL),
            details=details(stavanger, unit=stavanger["unit"], editor=stavanger["member"], deputies=[cast["deputy"]]),
        )
    assert set(refused.value.errors) == {"deputies"}
    assert not Account.objects.exists()
