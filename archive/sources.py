"""One function for each kind of package: what it records, its key (`source`, so the same
thing is never queued twice), and which plan's case it belongs to. The subscribers call them
as things happen; the backfill (`archive_backfill`) calls them for what happened before."""

from datetime import datetime, time

from django.utils import timezone

from .models import PackageKind
from .services import package_queue


def queue_plan_sent(*, version, actor, deliver=True):
    plan = version.plan
    return package_queue(
        kind=PackageKind.PLAN_SENT,
        source=f"plan_sent:version:{version.pk}",
        title=f"{plan.unit.name}: {plan.title}, versjon {version.number}",
        plan=plan,
        version=version,
        actor=actor,
        happened_at=version.created_at or timezone.now(),
        deliver=deliver,
    )


def queue_plan_decided(*, version, decision, comment, actor, happened_at=None, deliver=True):
    plan = version.plan
    return package_queue(
        kind=PackageKind.PLAN_DECIDED,
        source=f"plan_decided:version:{version.pk}",
        title=f"{plan.unit.name}: {plan.title}, versjon {version.number}",
        plan=plan,
        version=version,
        decision=str(decision),
        comment=comment or "",
        actor=actor,
        happened_at=happened_at or version.decided_at or timezone.now(),
        deliver=deliver,
    )


def _case_plan(evaluation):
    return evaluation.plan or getattr(evaluation.account, "plan", None)


def _moment(value) -> str:
    return f"{value:%Y%m%d%H%M%S}" if value else "0"


def queue_evaluation_sent(*, evaluation, actor, deliver=True):
    return package_queue(
        kind=PackageKind.EVALUATION_SENT,
        source=f"evaluation_sent:{evaluation.pk}:{_moment(evaluation.submitted_at)}",
        title=f"{evaluation.account.display_name}: {evaluation.period_start:%d.%m.%Y}–{evaluation.period_end:%d.%m.%Y}",
        plan=_case_plan(evaluation),
        evaluation=evaluation,
        account=evaluation.account,
        decision=evaluation.decision,
        actor=actor,
        happened_at=evaluation.submitted_at or timezone.now(),
        deliver=deliver,
    )


def queue_evaluation_answered(*, evaluation, actor, deliver=True):
    return package_queue(
        kind=PackageKind.EVALUATION_ANSWERED,
        source=f"evaluation_answered:{evaluation.pk}:{_moment(evaluation.feedback_at)}",
        title=f"{evaluation.account.display_name}: {evaluation.period_start:%d.%m.%Y}–{evaluation.period_end:%d.%m.%Y}",
        plan=_case_plan(evaluation),
        evaluation=evaluation,
        account=evaluation.account,
        decision=evaluation.decision,
        comment=evaluation.feedback,
        actor=actor,
        happened_at=evaluation.feedback_at or timezone.now(),
        deliver=deliver,
    )


def queue_account_closed(*, account, actor, deliver=True):
    closed_on = account.closed_on or timezone.localdate()
    moment = timezone.now()
    if closed_on != timezone.localdate():  # closed before: the record is dated the day it was closed
        moment = timezone.make_aware(datetime.combine(closed_on, time(12)))
    return package_queue(
        kind=PackageKind.ACCOUNT_CLOSED,
        source=f"account_closed:{account.pk}:{closed_on:%Y%m%d}",
        title=f"{account.display_name} ({account.platform.name})",
        plan=account.plan,
        account=account,
        actor=actor,
        happened_at=moment,
        deliver=deliver,
    )
