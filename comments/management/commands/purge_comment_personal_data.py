from django.core.management.base import BaseCommand, CommandError

from comments.services import comment_personal_data_purge


class Command(BaseCommand):
    help = (
        "Erase the IP address and user agent of comments older than --days "
        "(default 90). The comments themselves are kept, rejected and spam "
        "ones included. Safe to run daily."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=90,
            help="Retention in days (default 90).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Only say how many comments would be cleaned.",
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        count = comment_personal_data_purge(older_than_days=days, dry_run=dry_run)
        if dry_run:
            self.stdout.write(
                f"Would erase IP addresses and user agents of {count} comment(s) "
                f"older than {days} days."
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Erased IP addresses and user agents of {count} comment(s) "
                    f"older than {days} days."
                )
            )
