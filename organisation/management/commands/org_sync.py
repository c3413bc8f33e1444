"""The scheduled organisation sync, for cron: picks up the newest file the organisation
register has dropped in ORG_SYNC_DIR (and the newest in each organisation's own folder there,
ORG_SYNC_DIR/<address name>/, for a register that writes one file per organisation), applies it with the same rules as the upload page, moves
it to done/ (or rejected/) and e-mails the administrators a report. A file that changes
nothing writes nothing and mails nobody. A file that would close more than
ORG_SYNC_MAX_CLOSE_PERCENT of the units, or deactivate more than that share of the people (a file
cut short looks like this), is held back: nothing changes, it is moved to held/, and the
administrators and advisers are told with the numbers; an administrator can apply it from its dry
run after a warning.

    */30 * * * * cd /srv/some-portalen && .venv/bin/python manage.py org_sync
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from organisation.services import drop_directories, drop_directory_sync


class Command(BaseCommand):
    help = (
        "Apply the newest organisation file from the drop directory (and from each organisation's folder in it) "
        "and e-mail the administrators a report."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help=f"Default: {settings.ORG_SYNC_DIR}")

    def handle(self, *, dir, **options):
        started = time.monotonic()

        def progress(text):
            self.stdout.write(f"  {text} ({time.monotonic() - started:.1f} s)")

        for folder, organisation in drop_directories(dir):
            line, _run = drop_directory_sync(directory=folder, progress=progress, organisation=organisation)
            prefix = f"{organisation.name}: " if organisation else ""
            self.stdout.write(f"{prefix}{line} ({time.monotonic() - started:.1f} s)")
