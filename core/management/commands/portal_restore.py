from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from core.backup import BackupError, backup_restore

# What a restore is checked by: the rows people would miss first.
COUNTED = [
    ("plans_plan", "plans"),
    ("plans_planversion", "plan versions"),
    ("registry_account", "accounts"),
    ("registry_report", "reports"),
    ("core_outboundemail", "outbox messages"),
]


class Command(BaseCommand):
    help = (
        "Restore a backup made by portal_backup into an empty database and collect the static files (then run migrate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file (some-portalen-….tar.gz).")

    def handle(self, *, file, **options):
        try:
            manifest = backup_restore(path=file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        # The static files (and their manifest, which every page reads) are not in a backup: they
        # come with the code. Collected here, so a restore into a new VAR_DIR serves pages at once.
        call_command("collectstatic", interactive=False, verbosity=0)
        with connection.cursor() as cursor:
            counts = []
            for table, label in COUNTED:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (names from the list above)
                counts.append(f"{cursor.fetchone()[0]} {label}")
        self.stdout.write(
            f"Restored the backup of {manifest.created_at} ({manifest.engine}): " + ", ".join(counts) + "."
        )
