from pathlib import Path

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
    help = "Restore a backup made by portal_backup into an empty database (then run migrate)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file (some-portalen-….tar.gz).")

    def handle(self, *, file, **options):
        try:
            manifest = backup_restore(path=file)
        except BackupError as error:
            raise CommandError(str(error)) from None
        with connection.cursor() as cursor:
            counts = []
            for table, label in COUNTED:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 (names from the list above)
                counts.append(f"{cursor.fetchone()[0]} {label}")
        self.stdout.write(
            f"Restored the backup of {manifest.created_at} ({manifest.engine}): " + ", ".join(counts) + "."
        )
