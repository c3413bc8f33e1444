from django.core.management.base import BaseCommand
from django.db import connection

from accounts.forms import LoginForm
from core.emails import email_sweep


def refresh_query_statistics() -> None:
    """Let SQLite's query planner see how the tables have grown, so it picks the right
    index (PostgreSQL's autovacuum does this by itself)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A sample of each index is enough for the planner, and keeps this quick.
            cursor.execute("PRAGMA analysis_limit=1000")
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = (
        "Periodic jobs: send mail that is due, forget old failed logins, refresh the query "
        "planner's statistics. Run from cron every few minutes."
    )

    def handle(self, **options):
        sent = email_sweep()
        LoginForm.prune()
        refresh_query_statistics()
        if options["verbosity"] > 0:
            self.stdout.write(f"Periodic jobs done; {sent} e-mail(s) sent by the sweep.")
