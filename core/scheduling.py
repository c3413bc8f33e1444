"""Periodic jobs, gathered from the apps that have them.

Each app that has work to do on a schedule (mail that is due, reminders, clean-up)
declares it in its own `periodic.py` with the `periodic_job` decorator; the command
`portal_periodic` (run from cron, or by `run_portal` in the demo) runs them all in
order. Core never imports a feature app: the jobs are found by module discovery.

A job takes the current time and returns a short line for the log, or "". Every job
must be safe to run twice in a row: the second run does nothing the first already did.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils.module_loading import autodiscover_modules

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicJob:
    name: str
    run: Callable[[datetime], str | None]
    order: int


_jobs: dict[str, PeriodicJob] = {}


def periodic_job(*, order: int = 100):
    """Register a function `job(now) -> str | None` as a periodic job. Lower `order` runs first."""

    def register(function):
        name = f"{function.__module__}.{function.__qualname__}"
        _jobs[name] = PeriodicJob(name=name, run=function, order=order)
        return function

    return register


def periodic_jobs() -> list[PeriodicJob]:
    autodiscover_modules("periodic")
    return sorted(_jobs.values(), key=lambda job: (job.order, job.name))


def run_periodic_jobs(now: datetime) -> list[str]:
    """Run every job; one that fails is logged and does not stop the others."""
    lines = []
    for job in periodic_jobs():
        try:
            line = job.run(now)
        except Exception:
            logger.exception("Periodic job %s failed", job.name)
            lines.append(f"{job.name}: failed (see the log)")
        else:
            if line:
                lines.append(line)
    return lines
