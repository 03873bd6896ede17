import os
import time

from django.core.management.base import BaseCommand, CommandError

from articles.models import Article
from demo.archive import ArchiveSize, archive_counts, build_archive, delete_archive
from pagecache.purge import purge


class Command(BaseCommand):
    help = (
        "Fill the database with a realistic archive for the benchmark: years of "
        "articles in sections and subsections, ~2000 tags used unevenly, credits, "
        "a pool of real photos, drafts, scheduled stories and reader comments. "
        "Refuses to touch a database that already has articles unless --reset "
        "(which deletes ALL articles, sections, tags, contributors, photos and "
        "comments first) or --reuse (keep an archive that has the right size)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument(
            "--seed", type=int, default=1, help="Same seed, same archive."
        )
        parser.add_argument(
            "--photos", type=int, default=None, help="Photo files in the pool (<= 200)."
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help=(
                "Processes loading articles side by side (PostgreSQL; default: one "
                "per core). With 1 the whole build is one transaction; with more, "
                "a failed build leaves part of an archive, which --reset replaces."
            ),
        )
        parser.add_argument(
            "--reset", action="store_true", help="Delete existing content first."
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="Keep an archive that already has exactly --articles articles.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say what would happen, change nothing.",
        )

    def handle(
        self,
        *args,
        articles: int,
        seed: int,
        photos,
        jobs: int,
        reset,
        reuse,
        dry_run,
        **options,
    ):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        if jobs < 1:
            raise CommandError("--jobs must be at least 1.")
        existing = Article.objects.count()
        if reuse and existing == articles:
            self.stdout.write(f"The archive already has {existing} articles; kept.")
            return
        if existing and not reset:
            raise CommandError(
                f"The database already has {existing} articles. Use --reset to delete "
                "all content and build the archive again, or another database."
            )
        size = ArchiveSize.scaled(articles, seed=seed, photos=photos)
        if dry_run:
            if existing:
                self.stdout.write(f"Would delete: {archive_counts()}")
            self.stdout.write(f"Would build: {size}")
            return
        started = time.monotonic()
        if existing:
            self.stdout.write(f"Deleting {existing} articles and their content...")
            delete_archive()
        self.stdout.write(
            f"Building an archive of {articles} articles (seed {seed})..."
        )
        counts = build_archive(size, jobs=jobs, log=self.stdout.write)
        # Bulk inserts send no signal: every kept page goes.
        purge("site")
        elapsed = time.monotonic() - started
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write(self.style.SUCCESS(f"Archive built in {elapsed:.1f} s."))
