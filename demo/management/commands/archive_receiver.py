"""The demo's archive (demo/archive_receiver.py), started by `run_portal`: it files what the
portal drops in the outbox and writes receipts in the inbox, then has the portal read them at
once, so a newcomer sees the archive's references on an approved plan within seconds. (In
production the organisation's archive writes the receipts and the periodic job reads them.)"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand

from archive.services import every_archive_settings, receipts_read
from demo.archive_receiver import receive_once


class Command(BaseCommand):
    help = "The demo's archive: files the portal's packages and answers with receipts."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Look once and stop.")
        parser.add_argument("--every", type=float, default=1.0, help="Seconds between looks.")

    def handle(self, *, once, every, **options):
        while True:
            # Each organisation's archive: its own outbox, inbox and numbering.
            for current in every_archive_settings():
                written = receive_once(
                    outbox=current.outbox_path,
                    inbox=current.inbox_path,
                    filed=settings.VAR_DIR / "arkiv" / "arkivert" / current.owner.slug,
                    system=current.system,
                )
                if written:
                    receipts_read(settings=current)
                    if options["verbosity"] > 1:
                        self.stdout.write(f"{written} package(s) filed for {current.owner.name}.")
            if once:
                return
            time.sleep(every)
