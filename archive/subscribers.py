"""The archive queues a package for each thing that happened and belongs in the case of a
plan (core/events.py). The subscribers run inside the service's transaction and only write
the package's row (a transactional outbox): the PDFs and the files are made by the worker
after the commit (archive/services.py), so a person's request never waits for them and a
change that rolls back leaves no package behind."""

from django.conf import settings

from evaluations.events import evaluation_answered, evaluation_sent
from plans.events import plan_decided, plan_sent
from registry.events import account_status_changed
from registry.models import AccountStatus

from . import sources


@plan_sent.subscribe(order=200)
def _plan_sent(*, plan, version, actor, **_payload) -> None:
    if settings.ARCHIVE_ENABLED:
        sources.queue_plan_sent(version=version, actor=actor)


@plan_decided.subscribe(order=200)
def _plan_decided(*, plan, decision, comment, actor, **_payload) -> None:
    if settings.ARCHIVE_ENABLED:
        version = plan.versions.filter(number=plan.current_version).first()
        if version is not None:
            sources.queue_plan_decided(version=version, decision=decision, comment=comment, actor=actor)


@evaluation_sent.subscribe(order=200)
def _evaluation_sent(*, evaluation, actor, **_payload) -> None:
    if settings.ARCHIVE_ENABLED:
        sources.queue_evaluation_sent(evaluation=evaluation, actor=actor)


@evaluation_answered.subscribe(order=200)
def _evaluation_answered(*, evaluation, actor, **_payload) -> None:
    if settings.ARCHIVE_ENABLED:
        sources.queue_evaluation_answered(evaluation=evaluation, actor=actor)


@account_status_changed.subscribe(order=200)
def _account_closed(*, account, old, new, actor, **_payload) -> None:
    if settings.ARCHIVE_ENABLED and new == AccountStatus.CLOSED and old != AccountStatus.CLOSED:
        sources.queue_account_closed(account=account, actor=actor)
