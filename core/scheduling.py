"""Periodic jobs, gathered from the apps that have them.

Each app that has work to do on a schedule (mail that is due, reminders, clean-up)
subscribes to `periodic_due` (core/events.py) in its own `periodic.py`; the command
`portal_periodic` (run from cron, or by `run_portal` in the demo) runs them all in
order (the subscribers' `order`, lower first). Core never imports a feature app: the
jobs are found by module discovery.

A job takes the current time and returns a short line for the log, or "". Every job
must be safe to run twice in a row: the second run does nothing the first already did.
"""

import logging
from datetime import datetime

from .events import Event

logger = logging.getLogger(__name__)


periodic_due = Event(
    "periodic.due",
    "The periodic run (now=…): each subscriber does what is due and answers with a line for "
    "the log, or an empty one. See core/scheduling.py.",
)


def run_periodic_jobs(now: datetime) -> list[str]:
    """Run every job; one that fails is logged and does not stop the others."""
    lines = []
    for job in periodic_due.subscribers():
        try:
            line = job.function(now=now)
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
            lines.append(f"{job.name}: failed (see the log)")
        else:
            if line:
                lines.append(line)
    return lines
