"""The core's periodic jobs: mail that is due, and the query planner's statistics."""

from django.core.cache import cache
from django.db import connection

from .emails import email_sweep
from .scheduling import periodic_job


@periodic_job(order=10)
def send_due_mail(now) -> str:
    sent = email_sweep(now=now)
    return f"{sent} e-mail(s) sent by the sweep." if sent else ""


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


@periodic_job(order=910)
def trim_shared_cache(now=None) -> str:
    """Expired answers out of the shared cache's table, and the oldest share when it is full
    (writes do not check, so that remembering an answer stays one statement)."""
    if hasattr(cache, "trim"):
        cache.trim()
    return ""
