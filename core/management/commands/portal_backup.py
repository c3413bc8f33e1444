from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Back up the database and the files the portal keeps outside it into one dated file "
        "(var/backups/ unless --to is given). Safe while the portal runs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--to", type=Path, default=None, help="The folder to write the backup into.")

    def handle(self, *, to, **options):
        try:
            path = backup_create(directory=to)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
