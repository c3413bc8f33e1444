import time

from aiosmtpd.controller import Controller
from django.conf import settings
from django.core.management.base import BaseCommand

from demo.mailbox import MaildirHandler


class Command(BaseCommand):
    help = "Run a local SMTP server that keeps every message for the demo mail page."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.MAILERS["default"]["OPTIONS"]["port"])

    def handle(self, *, host, port, **options):
        controller = Controller(MaildirHandler(settings.MAIL_CATCHER_DIR), hostname=host, port=port)
        controller.start()
        self.stdout.write(f"Mail catcher listening on {host}:{port}, keeping mail in {settings.MAIL_CATCHER_DIR}")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
