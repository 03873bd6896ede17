from django.core.management.base import BaseCommand

from articles.reading import read_counts_flush


class Command(BaseCommand):
    help = (
        "Move article view counters from the cache into the database, in bulk. "
        "Run every few minutes from cron when REDIS_URL is set; safe to run "
        "again at any time (each counter is decreased by what was written)."
    )

    def handle(self, *args, **options):
        written = read_counts_flush()
        self.stdout.write(f"Flushed {written} views.")
