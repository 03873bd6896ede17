from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from paper.backups import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replace the database and the media (folder or bucket) the settings "
        "name with the backup in FOLDER (made by `manage.py backup`), then "
        "check rows and file checksums against it and purge every kept page."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Do not ask: everything in the database and media is replaced.",
        )

    def handle(self, *args, folder: Path, yes: bool, **options):
        target = connection.settings_dict["NAME"]
        if not yes:
            answer = input(
                f"Everything in the database {target} and its media will be "
                f"replaced by {folder}. Type 'yes' to go on: "
            )
            if answer.strip().lower() != "yes":
                raise CommandError("Nothing restored.")
        try:
            summary = restore(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {sum(summary.rows.values()):,} rows and "
            f"{summary.media_files:,} media files into {target}; "
            "they match the backup."
        )
