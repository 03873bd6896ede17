from django.core.management.base import BaseCommand

from articles.models import Article
from articles.story import STORY_KEY, story_render


class Command(BaseCommand):
    help = (
        "Render and store the stories that are stale (after a deploy that changed "
        "the story's templates, or a bulk import), newest first, so no reader waits "
        "for one. Readers never see a stale story either way: the first reader of "
        "one renders it. Idempotent; safe to stop and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--limit",
            type=int,
            default=None,
            help="Render at most this many stories (the newest stale ones).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the stale stories, render nothing.",
        )

    def handle(self, *args, limit: int | None = None, dry_run: bool = False, **opts):
        stale = Article.objects.exclude(story_key=STORY_KEY).order_by(
            "-published_at", "-id"
        )
        if dry_run:
            self.stdout.write(f"{stale.count()} stale story(ies).")
            return
        # Ids first: a story written meanwhile keeps its own newer key.
        rows = stale.values_list("id", "story_key")
        if limit is not None:
            rows = rows[:limit]
        done = 0
        for pk, seen_key in rows.iterator(chunk_size=500):
            story_render(article_id=pk, seen_key=seen_key)
            done += 1
            if done % 1000 == 0:
                self.stdout.write(f"  {done} stories rendered")
        self.stdout.write(f"{done} story(ies) rendered.")
