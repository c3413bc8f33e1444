"""The evaluation cycle's periodic work: schedules in step, reminders, the governance trend,
and unsaved imports cleared away. Each is safe to run twice in a row."""

from datetime import timedelta

from core.scheduling import periodic_due

from . import services
from .models import FigureImport


@periodic_due.subscribe(order=40)
def refresh_schedules(now) -> str:
    changed = services.schedules_refresh(now=now)
    return f"{changed} evaluation schedule(s) brought up to date." if changed else ""


@periodic_due.subscribe(order=45)
def send_evaluation_reminders(now) -> str:
    sent = services.reminders_send(now=now)
    return f"{sent} evaluation reminder(s) queued." if sent else ""


@periodic_due.subscribe(order=50)
def record_governance(now) -> str:
    services.governance_record(now=now)
    return ""


@periodic_due.subscribe(order=55)
def forget_unsaved_imports(now) -> str:
    """A file read but never saved is kept for a day, then forgotten."""
    FigureImport.objects.filter(status=FigureImport.Status.PENDING, created_at__lt=now - timedelta(days=1)).delete()
    return ""
