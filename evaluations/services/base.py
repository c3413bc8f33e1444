"""What the services of the evaluation cycle share: their errors, today's date and the row
lock on an evaluation."""

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import DomainError
from core.locks import locked

from ..access import may_write
from ..models import Evaluation, EvaluationStatus


def remind_before_days() -> int:
    """How many days before its due date an evaluation is first reminded of (a setting)."""
    return settings.EVALUATION_REMIND_BEFORE_DAYS


def closure_after_days() -> int:
    """How many days overdue an evaluation may be before its account is a candidate for closure (a setting)."""
    return settings.EVALUATION_CLOSURE_AFTER_DAYS


CHUNK = 1000


class EvaluationError(DomainError):
    pass


class NotAllowed(EvaluationError):
    pass


class WrongState(EvaluationError):
    pass


class NotActive(EvaluationError):
    pass


class DraftExists(EvaluationError):
    def __init__(self, evaluation):
        super().__init__(_("An evaluation of this account is already being written. Carry on with it."))
        self.evaluation = evaluation


class InvalidEvaluation(EvaluationError):
    """`errors` maps field names to messages."""

    def __init__(self, errors: dict):
        super().__init__(_("Some of the details are not right. See the messages below."))
        self.errors = errors


class NotReady(EvaluationError):
    def __init__(self, problems):
        super().__init__(_("The evaluation cannot be sent yet. See what is missing below."))
        self.problems = problems


class ChangedSinceSeen(EvaluationError):
    """The leader confirms what they read; the evaluation was saved again in the meantime."""

    def __init__(self):
        super().__init__(
            _(
                "The evaluation was changed after you opened it, so it was not sent. Read it again as "
                "it stands now, then confirm."
            )
        )


def _today(now=None) -> date:
    return timezone.localdate(now or timezone.now())


def _locked(evaluation: Evaluation) -> Evaluation:
    return locked(evaluation, "account__unit", "account__platform", of=("self",))


def _check_writable(evaluation: Evaluation, actor) -> None:
    if not may_write(actor, evaluation.account):
        raise NotAllowed(_("Only the account's own unit writes its evaluations."))
    if evaluation.status == EvaluationStatus.AWAITING_LEADER:
        raise WrongState(
            _("The evaluation waits for the leader's confirmation. The leader can return it to you for changes.")
        )
    if evaluation.status != EvaluationStatus.DRAFT:
        raise WrongState(_("The evaluation has been sent and can no longer be changed."))
