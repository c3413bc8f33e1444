"""The archive: each plan sent, decision, evaluation and closing becomes a package (queued in
the change's own transaction), made by the worker into an arkivmelding that validates against
the Fiks Arkiv schema with its documents as PDF/A, dropped whole in the outbox, and
acknowledged by the archive's receipt, whose references the plan's history shows."""

import io
from datetime import timedelta

import pikepdf
import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from archive import arkivmelding as am
from archive import services
from archive.models import Package, PackageKind, PackageStatus
from archive.services import archive_settings, package_deliver, package_files, receipts_read
from core.worklist import worklist_for
from demo.archive_receiver import receive_once
from evaluations.events import evaluation_answered, evaluation_sent
from evaluations.models import Decision
from plans.events import plan_decided, plan_sent
from plans.models import PlanVersion
from registry.events import account_status_changed
from registry.models import AccountStatus

from .evaluation_steps import send_through_leader
from .test_evaluation_services import account, written  # noqa: F401  (an active account with an approved plan)

Q = f"{{{am.NS}}}"
M = f"{{{am.NS_MDK}}}"
PDFA = "{http://www.aiim.org/pdfa/ns/id/}"


# Each organisation's outbox and inbox are a folder named by its address name under the
# configured ones; the cast is the default organisation's (Helse Bergen).
OWN = "helse-bergen"


@pytest.fixture(autouse=True)
def folders(settings, tmp_path):
    settings.ARCHIVE_OUTBOX = tmp_path / "utboks"
    settings.ARCHIVE_INBOX = tmp_path / "innboks"
    settings.ARCHIVE_ENABLED = True
    return tmp_path


def outbox(folders):
    return folders / "utboks" / OWN


def inbox(folders):
    return folders / "innboks" / OWN


def announce_sent(plan, actor):
    """What plans.services says when a version is sent (announced here as well, so the archive's
    part is tested whichever services announce already; the package's key makes it once)."""
    version = PlanVersion.objects.filter(plan=plan).order_by("-number").first()
    plan_sent.announce(plan=plan, version=version, actor=actor)
    return version


def sent_plan(make_plan, cast, status="submitted", **changes):
    plan = make_plan(status, **changes)
    for version in PlanVersion.objects.filter(plan=plan):
        plan_sent.announce(plan=plan, version=version, actor=cast["leader"])
    if status in ("approved", "rejected", "changes_requested"):
        comment = "" if status == "approved" else "Skriv meir om ressursane."
        plan_decided.announce(plan=plan, decision=status, comment=comment, actor=cast["adviser"])
    return plan


def xml_of(package) -> etree._Element:
    return am.validate(package_files(package)[am.FILE_NAME])


def deliver(package):
    return package_deliver(package_id=package.pk)


# Queued in the transaction, made after it -----------------------------------------------


def test_a_plan_sent_queues_one_package_and_writes_no_file_in_the_request(make_plan, cast, folders):
    plan = sent_plan(make_plan, cast)
    packages = Package.objects.filter(plan=plan)
    assert [(p.kind, p.status) for p in packages] == [(PackageKind.PLAN_SENT, PackageStatus.WAITING)]
    announce_sent(plan, cast["leader"])  # said twice: still one package
    assert Package.objects.filter(plan=plan).count() == 1
    assert not (folders / "utboks").exists()


def test_a_change_that_rolls_back_leaves_no_package(make_plan, cast):
    from django.db import transaction

    plan = make_plan("submitted")
    version = PlanVersion.objects.get(plan=plan)
    Package.objects.filter(plan=plan).delete()
    with pytest.raises(RuntimeError), transaction.atomic():
        plan_sent.announce(plan=plan, version=version, actor=cast["leader"])
        raise RuntimeError("the service failed after announcing")
    assert not Package.objects.filter(plan=plan).exists()


def test_the_task_is_queued_only_after_the_commit(make_plan, cast, django_capture_on_commit_callbacks):
    plan = make_plan("submitted")
    Package.objects.filter(plan=plan).delete()
    with django_capture_on_commit_callbacks() as callbacks:
        announce_sent(plan, cast["leader"])
    assert len(callbacks) >= 1


# Every kind of package validates -----------------------------------------------------------


def test_every_kind_of_package_validates_with_the_right_record_type_and_status(make_plan, cast, account):  # noqa: F811
    from evaluations import services as evaluation_services

    sent_plan(make_plan, cast, "approved", title="Instagram for unge blodgivarar")
    sent_plan(make_plan, cast, "changes_requested", title="TikTok for blodgivarar")
    sent_plan(make_plan, cast, "rejected", title="Snapchat")
    evaluation = send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.CONTINUE)
    evaluation_sent.announce(evaluation=evaluation, actor=cast["member"])
    evaluation = evaluation_services.evaluation_feedback(
        evaluation=evaluation, actor=cast["adviser"], text="Godt arbeid."
    )
    evaluation_answered.announce(evaluation=evaluation, actor=cast["adviser"])
    account.status = AccountStatus.CLOSED
    account.closed_on = timezone.localdate()
    account.save()
    account_status_changed.announce(
        account=account, old=AccountStatus.ACTIVE, new=AccountStatus.CLOSED, actor=cast["adviser"]
    )

    expected = {
        PackageKind.PLAN_SENT: ("N", "J", "SØKNAD"),
        PackageKind.EVALUATION_SENT: ("N", "J", "RAPPORT"),
        PackageKind.EVALUATION_ANSWERED: ("X", "F", "UTTALELSE"),
        PackageKind.ACCOUNT_CLOSED: ("X", "F", "NOTAT"),
    }
    decisions = {
        "approved": ("X", "F", "VEDTAK"),
        "rejected": ("X", "F", "VEDTAK"),
        "changes_requested": ("N", "F", "KORR"),
    }
    seen = set()
    for package in Package.objects.all():
        root = xml_of(package)
        entry = root.find(f"{Q}registrering")
        got = (
            entry.findtext(f"{Q}journalposttype/{M}kode"),
            entry.findtext(f"{Q}journalstatus/{M}kode"),
            entry.findtext(f"{Q}dokumentbeskrivelse/{Q}dokumenttype/{M}kode"),
        )
        want = decisions[package.decision] if package.kind == PackageKind.PLAN_DECIDED else expected[package.kind]
        assert got == want, package.kind
        assert entry.findtext(f"{Q}referanseEksternNoekkel/{M}noekkel") == str(package.uuid)
        # Every record of a plan is in the plan's case, named by the portal's key.
        assert root.findtext(f"{Q}mappe/{Q}referanseEksternNoekkel/{M}noekkel") == f"plan-{package.plan_id}"
        assert (
            entry.findtext(f"{Q}referanseForelderMappe/{M}referanseEksternNoekkel/{M}noekkel")
            == f"plan-{package.plan_id}"
        )
        assert root.findtext(f"{Q}mappe/{Q}tittel").startswith(
            "Plan for sosiale medier – Blodbanken i Bergen – Instagram"
        )
        seen.add(package.kind)
    assert seen == set(PackageKind.values)


def test_norwegian_letters_a_long_title_and_several_attachments(make_plan, cast, org):
    org["unit"].name = "Øyeavdelinga – Seksjon for blå og grøn ærleg informasjon"
    org["unit"].save()
    title = "Æ, ø og å: " + "Instagram for unge blodgivarar på Haukeland, Voss og Kysthospitalet i Hagevik " * 2
    plan = sent_plan(make_plan, cast, "approved", title=title[:120])
    decision = Package.objects.get(plan=plan, kind=PackageKind.PLAN_DECIDED)
    files = package_files(decision)
    root = am.validate(files[am.FILE_NAME])
    assert root.findtext(f"{Q}antallFiler") == "2"
    entry = root.find(f"{Q}registrering")
    assert entry.findtext(f"{Q}antallVedlegg") == "1"
    described = entry.findall(f"{Q}dokumentbeskrivelse")
    assert [d.findtext(f"{Q}tilknyttetRegistreringSom/{M}kode") for d in described] == ["H", "V"]
    assert [d.findtext(f"{Q}dokumentnummer") for d in described] == ["1", "2"]
    assert "Øyeavdelinga" in root.findtext(f"{Q}mappe/{Q}tittel")
    assert title[:120].strip() in entry.findtext(f"{Q}tittel") and len(entry.findtext(f"{Q}tittel")) > 150
    # The files named in the message are the files in the package, with their checksums.
    for obj in entry.iter(f"{Q}dokumentobjekt"):
        name = obj.findtext(f"{Q}referanseDokumentfil")
        assert name.isascii() and name in files
        import hashlib

        assert obj.findtext(f"{Q}sjekksum") == hashlib.sha256(files[name]).hexdigest()
        assert obj.findtext(f"{Q}filstoerrelse") == str(len(files[name]))


def test_a_screened_title_hides_what_the_unit_wrote_and_names_the_legal_basis(make_plan, cast):
    current = archive_settings()
    current.screening_code = "13"
    current.screening_basis = "Offl. § 13, jf. fvl. § 13 første ledd nr. 1"
    current.save()
    plan = sent_plan(make_plan, cast, "rejected", title="Instagram for Ærlege Åse")
    for package in Package.objects.filter(plan=plan):
        entry = xml_of(package).find(f"{Q}registrering")
        assert "Instagram for Ærlege Åse" in entry.findtext(f"{Q}tittel")
        public = entry.findtext(f"{Q}offentligTittel")
        assert "Ærlege Åse" not in public and am.SCREENED in public
        assert entry.findtext(f"{Q}skjerming/{Q}tilgangsrestriksjon/{M}kode") == "13"
        assert entry.findtext(f"{Q}skjerming/{Q}skjermingshjemmel") == current.screening_basis
        assert entry.find(f"{Q}merknad") is None  # the adviser's comment stays out of a screened record


def test_the_organisations_settings_give_the_archive_part_and_the_classification(make_plan, cast):
    current = archive_settings()
    current.archive_part = "SOME"
    current.classification_system = "ORG"
    current.class_id = "026.1"
    current.class_title = "Informasjon og kommunikasjon"
    current.case_officer = "Marte Solheim"
    current.save()
    package = Package.objects.get(plan=sent_plan(make_plan, cast))
    root = xml_of(package)
    assert root.findtext(f"{Q}mappe/{Q}arkivdel/{M}kode") == "SOME"
    assert root.findtext(f"{Q}mappe/{Q}klassifikasjon/{Q}klasseID") == "026.1"
    assert root.findtext(f"{Q}mappe/{Q}klassifikasjon/{Q}klassifikasjonssystemID") == "ORG"
    assert root.findtext(f"{Q}mappe/{Q}saksansvarlig/{M}navn") == "Marte Solheim"
    assert root.findtext(f"{Q}mappe/{Q}part/{Q}partNavn") == "Blodbanken i Bergen"


def test_a_message_that_does_not_validate_is_refused_with_the_schemas_reason():
    with pytest.raises(am.InvalidMessage, match="tittel"):
        am.validate(
            f'<arkivmelding xmlns="{am.NS}"><system>x</system><antallFiler>0</antallFiler><mappe/></arkivmelding>'.encode()
        )


# The documents are PDF/A -----------------------------------------------------------------


def test_each_document_is_pdf_a_with_title_author_language_and_embedded_fonts(make_plan, cast, account):  # noqa: F811

    sent_plan(make_plan, cast, "approved")
    evaluation = send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.ADJUST)
    evaluation_sent.announce(evaluation=evaluation, actor=cast["member"])
    checked = 0
    for package in Package.objects.all():
        files = package_files(package)
        for name, content in files.items():
            if name == am.FILE_NAME:
                continue
            with pikepdf.open(io.BytesIO(content)) as pdf:
                assert not pdf.is_encrypted
                with pdf.open_metadata() as meta:
                    assert meta.get(f"{PDFA}part") == "2" and meta.get(f"{PDFA}conformance") == "A", name
                assert str(pdf.Root.Lang) == "nb"
                assert bool(pdf.Root.MarkInfo.Marked) and "/StructTreeRoot" in pdf.Root
                assert str(pdf.docinfo.Title) and str(pdf.docinfo.Author) == "Helse Bergen"
                assert str(pdf.docinfo.CreationDate).startswith("D:20")
                for page in pdf.pages:
                    for font in page.Resources.Font.values():
                        descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).FontDescriptor
                        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), name
            checked += 1
    assert checked >= 4


# Delivery ----------------------------------------------------------------------------------


def test_delivery_writes_the_package_whole_and_never_twice(make_plan, cast, folders):
    package = Package.objects.get(plan=sent_plan(make_plan, cast))
    assert deliver(package) == "delivered"
    package.refresh_from_db()
    assert package.status == PackageStatus.DELIVERED and package.delivered_at and package.attempts == 1
    sent_to = outbox(folders)
    assert sorted(p.name for p in sent_to.iterdir()) == [str(package.uuid)]  # no hidden half-written folder
    written_files = sorted(p.name for p in (sent_to / str(package.uuid)).iterdir())
    assert written_files == ["arkivmelding.xml", "plan-versjon-1.pdf"]
    am.validate((sent_to / str(package.uuid) / "arkivmelding.xml").read_bytes())
    # A second task, or the periodic job, finds nothing due.
    assert deliver(package) == "not due"
    assert services.deliver_due(now=timezone.now() + timedelta(days=1)) == 0
    package.refresh_from_db()
    assert package.attempts == 1


def test_an_unwritable_outbox_keeps_the_package_waiting_tells_the_advisers_and_is_retried(
    make_plan, cast, folders, settings, client
):
    blocked = folders / "not-a-folder"
    blocked.write_text("a file where the outbox should be")
    settings.ARCHIVE_OUTBOX = blocked / "utboks"
    package = Package.objects.get(plan=sent_plan(make_plan, cast))
    assert deliver(package) == "waiting"
    package.refresh_from_db()
    assert package.status == PackageStatus.WAITING and package.attempts == 1
    assert "Not a directory" in package.last_error
    assert package.next_attempt_at > timezone.now() + timedelta(seconds=30)  # backed off
    # The advisers are told: a task on the front page, and a message on the archive page.
    kinds = {item.kind: item for item in worklist_for(cast["adviser"])}
    assert kinds["archive.outbox"].urgent
    assert "archive.outbox" not in {item.kind for item in worklist_for(cast["member"])}
    client.force_login(cast["adviser"])
    page = client.get(reverse("archive:index")).content.decode()
    assert "Not a directory" in page and 'role="alert"' in page
    # Not due yet: the next run leaves it; when due, and the outbox is back, it is delivered once.
    assert services.deliver_due() == 0
    settings.ARCHIVE_OUTBOX = folders / "utboks"
    assert services.deliver_due(now=timezone.now() + timedelta(minutes=5)) == 1
    package.refresh_from_db()
    assert package.status == PackageStatus.DELIVERED and package.attempts == 2 and package.last_error == ""
    assert [p.name for p in outbox(folders).iterdir()] == [str(package.uuid)]
    assert "archive.outbox" not in {item.kind for item in worklist_for(cast["adviser"])}


def test_the_backoff_doubles_and_stops_growing_at_an_hour():
    assert [services.retry_delay(n).total_seconds() for n in (1, 2, 3, 7, 20)] == [60, 120, 240, 3600, 3600]


# Receipts ----------------------------------------------------------------------------------


def run_archive(folders, slug=OWN):
    return receive_once(
        outbox=folders / "utboks" / slug, inbox=folders / "innboks" / slug, filed=folders / "arkivert" / slug
    )


def test_the_receipt_round_trip_with_the_demo_archive(make_plan, cast, folders, client):
    plan = sent_plan(make_plan, cast, "approved")
    packages = list(Package.objects.filter(plan=plan).order_by("happened_at", "pk"))
    for package in packages:
        deliver(package)
    assert run_archive(folders) == 2
    assert not list(outbox(folders).iterdir())  # filed
    assert receipts_read() == {"acknowledged": 2, "refused": 0, "duplicate": 0, "failed": 0}
    for package in packages:
        package.refresh_from_db()
        assert package.status == PackageStatus.ACKNOWLEDGED and package.acknowledged_at
    sent, decided = packages
    assert sent.case_reference == decided.case_reference != ""  # one case for the plan
    assert (sent.document_number, decided.document_number) == (1, 2)
    assert decided.record_reference == f"{decided.case_reference}-2"
    assert list((inbox(folders) / services.READ_FOLDER).glob("*.xml"))
    # The references show on the plan's history (the include the plan page uses).
    shown = Template("{% load archive_tags %}{% archive_references plan=plan %}").render(Context({"plan": plan}))
    assert sent.case_reference in shown and decided.record_reference in shown


def test_a_receipt_twice_changes_nothing_the_second_time(make_plan, cast, folders):
    package = Package.objects.get(plan=sent_plan(make_plan, cast))
    deliver(package)
    run_archive(folders)
    receipt = next(inbox(folders).glob("*.xml")).read_bytes()
    receipts_read()
    package.refresh_from_db()
    before = (package.acknowledged_at, package.record_number, package.case_number)
    (inbox(folders) / "igjen.xml").write_bytes(receipt)
    assert receipts_read()["duplicate"] == 1
    package.refresh_from_db()
    assert (package.acknowledged_at, package.record_number, package.case_number) == before


def test_a_receipt_that_does_not_validate_or_names_no_package_is_refused_and_set_aside(
    make_plan, cast, folders, caplog
):
    package = Package.objects.get(plan=sent_plan(make_plan, cast))
    deliver(package)
    own = inbox(folders)
    own.mkdir(parents=True)
    (own / "tull.xml").write_bytes(b"<arkivmeldingKvittering>ikkje gyldig</arkivmeldingKvittering>")
    stranger = am.build_receipt(
        system="SoMe-portalen", record_key="5f0c1c4e-0000-4000-8000-000000000000", case_key="plan-999",
        case_year=2026, case_number=1, record_year=2026, record_number=1, document_number=1, folder_existed=False,
    )  # fmt: skip
    (own / "ukjend.xml").write_bytes(stranger)
    assert receipts_read() == {"acknowledged": 0, "refused": 2, "duplicate": 0, "failed": 0}
    refused = own / services.REFUSED_FOLDER
    assert sorted(p.name for p in refused.glob("*.xml")) == ["tull.xml", "ukjend.xml"]
    assert "No package" in (refused / "ukjend.reason.txt").read_text()
    assert "Archive receipt tull.xml refused" in caplog.text
    package.refresh_from_db()
    assert package.status == PackageStatus.DELIVERED and package.case_number is None


def test_the_archive_refusing_a_package_fails_it_with_the_archives_reason_and_it_can_be_sent_again(
    make_plan, cast, folders
):
    package = Package.objects.get(plan=sent_plan(make_plan, cast))
    deliver(package)
    own = inbox(folders)
    own.mkdir(parents=True)
    refusal = am.build_receipt(
        system="SoMe-portalen", record_key=str(package.uuid), case_key="", case_year=0, case_number=0,
        record_year=0, record_number=0, document_number=0, folder_existed=False, failure="Arkivdelen SAK er lukka",
    )  # fmt: skip
    (own / f"{package.uuid}.xml").write_bytes(refusal)
    assert receipts_read()["failed"] == 1
    package.refresh_from_db()
    assert package.status == PackageStatus.FAILED and "Arkivdelen SAK er lukka" in package.last_error
    assert "archive.failed" in {item.kind for item in worklist_for(cast["adviser"])}
    with pytest.raises(services.ArchiveError):
        services.package_send_again(package=package, actor=cast["member"])
    services.package_send_again(package=package, actor=cast["adviser"])
    package.refresh_from_db()
    assert package.status == PackageStatus.WAITING and package.last_error == ""
    assert deliver(package) == "delivered"


def test_a_package_without_a_receipt_for_too_long_is_a_task(make_plan, cast, settings):
    package = Package.objects.get(plan=sent_plan(make_plan, cast))
    deliver(package)
    assert "archive.unacknowledged" not in {item.kind for item in worklist_for(cast["adviser"])}
    Package.objects.filter(pk=package.pk).update(delivered_at=timezone.now() - timedelta(hours=25))
    assert "archive.unacknowledged" in {item.kind for item in worklist_for(cast["adviser"])}


# The services announce ------------------------------------------------------------------


def test_the_plan_services_themselves_queue_the_packages(make_plan):
    plan = make_plan("approved")
    assert sorted(Package.objects.filter(plan=plan).values_list("kind", flat=True)) == [
        PackageKind.PLAN_DECIDED,
        PackageKind.PLAN_SENT,
    ]


def test_closing_an_account_through_the_register_queues_its_package(account, cast):  # noqa: F811
    from registry import services as registry_services

    registry_services.account_transition(account=account, actor=cast["adviser"], action="close")
    package = Package.objects.get(kind=PackageKind.ACCOUNT_CLOSED)
    assert package.account_id == account.pk and package.plan_id == account.plan_id


def test_the_evaluation_services_themselves_queue_the_packages(account, cast):  # noqa: F811
    from evaluations import services as evaluation_services

    evaluation = send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.CONTINUE)
    evaluation_services.evaluation_feedback(evaluation=evaluation, actor=cast["adviser"], text="Godt arbeid.")
    kinds = set(Package.objects.filter(evaluation=evaluation).values_list("kind", flat=True))
    assert kinds == {PackageKind.EVALUATION_SENT, PackageKind.EVALUATION_ANSWERED}


def test_the_periodic_job_delivers_what_is_due_and_reads_the_receipts(make_plan, cast, folders):
    from archive.periodic import deliver_and_read_receipts

    package = Package.objects.get(plan=sent_plan(make_plan, cast))
    assert deliver_and_read_receipts(now=timezone.now()) == "1 archive package(s) delivered"
    run_archive(folders)
    assert deliver_and_read_receipts(now=timezone.now()) == "1 archive receipt(s) read (0 refused)"
    assert deliver_and_read_receipts(now=timezone.now()) == ""  # safe to run twice
    package.refresh_from_db()
    assert package.status == PackageStatus.ACKNOWLEDGED and package.case_reference


def test_a_full_disk_halfway_leaves_nothing_in_the_outbox_and_the_package_waiting(
    make_plan, cast, folders, monkeypatch
):
    import errno
    import os

    sent_plan(make_plan, cast, "approved")
    written = []

    def full(descriptor):
        written.append(descriptor)
        if len(written) == 2:  # the first file is on disk, the second does not fit
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    package = Package.objects.get(kind=PackageKind.PLAN_DECIDED)  # two documents and the message
    assert deliver(package) == "waiting"
    assert list(outbox(folders).iterdir()) == []  # no half package, visible or hidden
    package.refresh_from_db()
    assert package.status == PackageStatus.WAITING and "No space left on device" in package.last_error
    monkeypatch.undo()
    assert services.deliver_due(now=timezone.now() + timedelta(minutes=5)) >= 1
    package.refresh_from_db()
    assert package.status == PackageStatus.DELIVERED
    assert sorted(p.name for p in (outbox(folders) / str(package.uuid)).iterdir()) == [
        "arkivmelding.xml",
        "plan-versjon-1.pdf",
        "vedtak.pdf",
    ]
