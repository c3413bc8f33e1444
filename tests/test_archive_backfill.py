"""What was sent and decided before the archive existed: `archive_backfill` makes its packages
once. The dry run says how many it would make and makes none; a second run makes nothing new,
so nothing is delivered twice."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from archive.models import Package, PackageKind
from archive.services import deliver_due
from evaluations import services as evaluation_services
from evaluations.models import Decision
from registry.models import AccountStatus

from .evaluation_steps import send_through_leader
from .test_evaluation_services import account, written  # noqa: F401  (an active account with an approved plan)


@pytest.fixture
def before_the_archive(settings, tmp_path, make_plan, cast, account):  # noqa: F811
    settings.ARCHIVE_OUTBOX = tmp_path / "utboks"
    settings.ARCHIVE_INBOX = tmp_path / "innboks"
    settings.ARCHIVE_ENABLED = False  # as before the feature: nothing is queued as it happens
    make_plan("changes_requested", title="TikTok for blodgivarar")
    evaluation = send_through_leader(written(account, cast), writer=cast["member"], decision=Decision.CONTINUE)
    evaluation_services.evaluation_feedback(evaluation=evaluation, actor=cast["adviser"], text="Godt arbeid.")
    account.status = AccountStatus.CLOSED
    account.closed_on = timezone.localdate()
    account.save()
    settings.ARCHIVE_ENABLED = True
    Package.objects.all().delete()  # (the account's plan was approved before the switch above)
    return tmp_path


def run(*args) -> str:
    out = StringIO()
    call_command("archive_backfill", *args, stdout=out)
    return out.getvalue()


def test_the_dry_run_counts_and_makes_nothing(before_the_archive):
    # The account's approved plan: sent and approved; the other plan: sent, changes asked for;
    # the evaluation: sent and answered; the account: closed.
    assert run("--dry-run").startswith("Would make 7 package(s)")
    assert not Package.objects.exists()


def test_run_twice_it_makes_each_package_once(before_the_archive, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        assert run().startswith("Made 7 package(s)")
    kinds = sorted(Package.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [PackageKind.PLAN_SENT] * 2
        + [PackageKind.PLAN_DECIDED] * 2
        + [PackageKind.EVALUATION_SENT, PackageKind.EVALUATION_ANSWERED, PackageKind.ACCOUNT_CLOSED]
    )
    assert len(queued) == 7  # one delivery task each, after the commit
    assert deliver_due() == 7
    delivered = {p.name for p in (before_the_archive / "utboks" / "helse-bergen").iterdir()}
    with django_capture_on_commit_callbacks(execute=False) as queued_again:
        assert run().startswith("Made 0 package(s)")
    assert not queued_again and Package.objects.count() == 7
    assert deliver_due() == 0
    assert {p.name for p in (before_the_archive / "utboks" / "helse-bergen").iterdir()} == delivered
    decided = Package.objects.get(kind=PackageKind.PLAN_DECIDED, decision="changes_requested")
    assert decided.comment == "Skriv meir om ressursane." and decided.actor_name == "Marte Solheim"
