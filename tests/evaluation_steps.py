"""Sending an evaluation to the department as the pages do, for tests that need one sent."""

from evaluations import services
from evaluations.access import may_confirm


def send_through_leader(evaluation, *, writer, decision, now=None):
    """The writer sends the evaluation to the unit's leader (or the nearest above), who confirms
    it; a leader who wrote it confirms it at once. Returns the evaluation as sent."""
    account = evaluation.account
    if may_confirm(writer, account):
        return services.evaluation_confirm(evaluation=evaluation, actor=writer, decision=decision, now=now)
    waiting = services.evaluation_send_to_leader(evaluation=evaluation, actor=writer, decision=decision, now=now)
    leader = account.unit.effective_leader()
    return services.evaluation_confirm(evaluation=waiting, actor=leader, now=now)
