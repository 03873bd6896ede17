from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from paper.backups import BackupError, backup


class Command(BaseCommand):
    help = (
        "Copy the database and the media files into FOLDER (new or empty), "
        "with backup.json listing rows and file checksums. Restore with "
        "`manage.py restore FOLDER`."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            summary = backup(folder)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backed up {sum(summary.rows.values()):,} rows and "
            f"{summary.media_files:,} media files "
            f"({summary.media_bytes / 1e6:.1f} MB) into {folder}."
        )
