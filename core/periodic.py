"""The core's periodic jobs: mail that is due, sessions that have expired, and the
query planner's statistics."""

from importlib import import_module

from django.conf import settings
from django.db import connection

from .emails import email_sweep
from .scheduling import periodic_job


@periodic_job(order=10)
def send_due_mail(now) -> str:
    sent = email_sweep(now=now)
    return f"{sent} e-mail(s) sent by the sweep." if sent else ""


@periodic_job(order=30)
def clear_expired_sessions(now) -> str:
    """Sessions that have run out are deleted, so nothing an anonymous visitor started
    stays in the database longer than a session lives."""
    import_module(settings.SESSION_ENGINE).SessionStore.clear_expired()
    return ""


@periodic_job(order=900)
def refresh_query_statistics(now=None) -> str:
    """Let SQLite's query planner see how the tables have grown, so it picks the right
    index (PostgreSQL's autovacuum does this by itself)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A sample of each index is enough for the planner, and keeps this quick.
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")
    return ""
