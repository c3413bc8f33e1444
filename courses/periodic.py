"""The courses' periodic jobs. Each claims what it sends with a conditional update, so
running a job twice in a row sends nothing twice."""

from core.scheduling import periodic_due

from . import services


@periodic_due.subscribe(order=30)
def fill_freed_seats(now) -> str:
    promoted = services.promote_waiting(now=now)
    return f"{promoted} seat(s) given to the waiting list." if promoted else ""


@periodic_due.subscribe(order=31)
def remind_of_sessions(now) -> str:
    sent = services.send_session_reminders(now=now)
    return f"{sent} session reminder(s) queued." if sent else ""


@periodic_due.subscribe(order=32)
def remind_of_expiring_training(now) -> str:
    sent = services.remind_expiring(now=now)
    return f"{sent} expiry reminder(s) queued." if sent else ""


@periodic_due.subscribe(order=33)
def check_expired_training(now) -> str:
    """Training runs out by the calendar, not by anything anyone does: once a day is
    enough, but the check is cheap and idempotent, so it runs with the others. The register
    marks the accounts concerned and the people are told (registry/training.py)."""
    services.training_expiry_check(now=now)
    return ""
