from django.core.management.base import BaseCommand
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish_due


class Command(BaseCommand):
    help = (
        "Record the publication of scheduled articles whose time has come: audit "
        "entry, revision and a new page cache version. Readers see them at their time "
        "whether or not this runs; it is idempotent and safe to run every minute, "
        "even twice at once."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List what would be recorded, change nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options):
        now = timezone.now()
        due = list(
            Article.objects.due_for_publication(now)
            .order_by("published_at", "id")
            .values_list("id", "title")
        )
        if dry_run:
            for pk, title in due:
                self.stdout.write(f"would publish #{pk} {title}")
            self.stdout.write(f"{len(due)} article(s) due.")
            return
        done = sum(article_publish_due(article_id=pk, now=now) for pk, _title in due)
        self.stdout.write(f"{done} scheduled article(s) recorded as published.")
