"""The core's periodic jobs: mail that is due, sessions that have expired, and the
query planner's statistics."""

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .emails import email_sweep
from .scheduling import periodic_due


@periodic_due.subscribe(order=10)
def send_due_mail(now) -> str:
    sent = email_sweep(now=now)
    return f"{sent} e-mail(s) sent by the sweep." if sent else ""


# No task of the portal runs this long: a row still "running" was left by a worker that died.
TASK_STUCK_AFTER = timedelta(hours=1)


@periodic_due.subscribe(order=8)
def clear_tasks_left_running(now) -> str:
    """A background task whose worker died mid-run stays RUNNING in django-tasks-db for
    ever. Mark it failed, with the reason. (Its work is not lost: an e-mail it was
    sending is sent again by the mail sweep.)"""
    cleared = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - TASK_STUCK_AFTER
    ).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="core.periodic.WorkerStopped",
        traceback=(
            f"The worker stopped while running this task: it was still marked as running after {TASK_STUCK_AFTER}. "
            "Marked as failed by the periodic job."
        ),
    )
    return f"{cleared} background task(s) left running by a stopped worker marked as failed." if cleared else ""


@periodic_due.subscribe(order=30)
def clear_expired_sessions(now) -> str:
    """Sessions that have run out are deleted, so nothing an anonymous visitor started
    stays in the database longer than a session lives."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return ""


@periodic_due.subscribe(order=900)
def refresh_query_statistics(now=None) -> str:
    """Let SQLite's query planner see how the tables have grown, so it picks the right
    index (PostgreSQL's autovacuum does this by itself)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A sample of each index is enough for the planner, and keeps this quick.
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
    return ""


@periodic_due.subscribe(order=910)
def trim_shared_cache(now=None) -> str:
    """Expired answers out of the shared cache's table, and the oldest share when it is full
    (writes do not check, so that remembering an answer stays one statement)."""
    if hasattr(cache, "trim"):
        cache.trim()
    return ""


@periodic_due.subscribe(order=31)
def delete_expired_uploads(now) -> str:
    """Uploaded files held for a confirmation that never came are deleted once they expire
    (core/held.py)."""
    from .held import expired_delete

    deleted = expired_delete(now=now)
    return f"{deleted} uploaded file(s) no longer waiting for confirmation deleted." if deleted else ""
