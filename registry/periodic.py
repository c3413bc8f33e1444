from core.scheduling import periodic_due

from .reports import report_digest_send


@periodic_due.subscribe(order=5)
def send_report_digest(now) -> str:
    """Reports that came in while many were arriving go to the department in one e-mail.
    Before the mail sweep (order 10), so the digest leaves in the same run."""
    count = report_digest_send(now=now)
    return f"{count} report(s) sent to the department in one digest." if count else ""
