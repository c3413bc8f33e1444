from core.scheduling import periodic_due

from .services import barrier_summary_send


@periodic_due.subscribe(order=6)
def send_barrier_summary(now) -> str:
    """Barrier reports that came in while many were arriving go to the department in one
    e-mail. Before the mail sweep (order 10), so the summary leaves in the same run."""
    count = barrier_summary_send(now=now)
    return f"{count} barrier report(s) sent to the department in one summary." if count else ""
