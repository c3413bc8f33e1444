from django.core.management.base import BaseCommand

from accounts.forms import LoginForm
from core.emails import email_sweep


class Command(BaseCommand):
    help = "Periodic jobs: send mail that is due, forget old failed logins. Run from cron every few minutes."

    def handle(self, **options):
        sent = email_sweep()
        LoginForm.prune()
        if options["verbosity"] > 0:
            self.stdout.write(f"Periodic jobs done; {sent} e-mail(s) sent by the sweep.")
