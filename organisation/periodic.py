"""The organisation's periodic job: a sync left "being applied" by a worker that stopped."""

from core.scheduling import periodic_due

from .services import SYNC_STUCK_AFTER, stuck_runs_fail


@periodic_due.subscribe(order=9)
def fail_syncs_left_running(now) -> str:
    """A run with no progress for SYNC_STUCK_AFTER is marked failed: it can be applied again,
    and another file can be confirmed."""
    failed = stuck_runs_fail(now=now)
    return f"{failed} organisation sync(s) with no progress for {SYNC_STUCK_AFTER} marked as failed." if failed else ""
