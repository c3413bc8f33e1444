from django.core.management.base import BaseCommand
from django.utils import timezone

from core.scheduling import run_periodic_jobs


class Command(BaseCommand):
    help = (
        "Periodic jobs of every part of the portal: mail that is due, reminders, clean-up. "
        "Run from cron every few minutes; running it twice in a row does nothing twice."
    )

    def handle(self, **options):
        lines = run_periodic_jobs(timezone.now())
        if options["verbosity"] > 0:
            self.stdout.write("\n".join(lines) if lines else "Periodic jobs done; nothing to report.")
