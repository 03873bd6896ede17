from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from articles.models import Article, Contributor, Photo, Section, Tag
from comments.models import Comment
from wordpress.models import Imported, Redirect

from .export import (
    ImportTestCase,
    attachment,
    author,
    category,
    comment,
    meta,
    post,
    tag,
    wxr,
)

LEAD, NONE = Article.HomePlacement.LEAD, Article.HomePlacement.NONE


class RerunTests(ImportTestCase):
    def export(self, title="Tin một", comment_status="1") -> str:
        return wxr(
            author(),
            category(1, "thoi-su", "Thời sự"),
            tag(9, "ben-tre", "Bến Tre"),
            attachment(20, "2024/05/dua.jpg", alt="Cây dừa"),
            post(
                10,
                title,
                categories=["thoi-su"],
                tags=["ben-tre"],
                extra=meta("_thumbnail_id", 20)
                + comment(1, approved=comment_status)
                + comment(2, parent=1),
            ),
        )

    def counts(self) -> dict:
        models = [Article, Contributor, Photo, Section, Tag, Comment, Redirect]
        counts = {model.__name__: model.objects.count() for model in models}
        counts["User"] = get_user_model().objects.count()
        return counts

    def test_a_second_run_creates_nothing_twice(self):
        self.picture("2024/05/dua.jpg")
        self.run_import(self.export())
        before = self.counts()
        out = self.run_import(self.export())
        self.assertEqual(self.counts(), before)
        self.assertIn("post: unchanged 1", out)
        self.assertIn("comment: unchanged 2", out)
        self.assertIn("attachment: unchanged 1", out)

    def test_a_second_run_updates_what_changed(self):
        self.picture("2024/05/dua.jpg")
        self.run_import(self.export())
        article = Article.objects.get()
        before = self.counts()
        out = self.run_import(self.export("Tin một (cập nhật)", comment_status="spam"))
        self.assertEqual(self.counts(), before)
        article.refresh_from_db()
        self.assertEqual(article.title, "Tin một (cập nhật)")
        self.assertEqual(Comment.objects.get(parent=None).status, "spam")
        self.assertIn("post: updated 1", out)
        self.assertEqual(article.credits.count(), 1)
        self.assertEqual(article.tags.count(), 1)

    def test_a_post_unstuck_in_wordpress_is_unpinned_by_the_next_run(self):
        self.run_import(wxr(post(1, "Tin ghim", sticky=True)))
        self.assertEqual(Article.objects.get().home_placement, LEAD)

        self.run_import(wxr(post(1, "Tin ghim", sticky=False)))

        self.assertEqual(Article.objects.get().home_placement, NONE)

    def test_a_pin_set_here_survives_a_run_that_finds_the_post_unchanged(self):
        self.run_import(wxr(post(1, "Tin thường")))
        Article.objects.update(home_placement=LEAD)

        self.run_import(wxr(post(1, "Tin thường")))

        self.assertEqual(Article.objects.get().home_placement, LEAD)

    def test_a_dry_run_reports_and_writes_nothing(self):
        self.picture("2024/05/dua.jpg")
        media_before = sorted(p.name for p in self.media.rglob("*"))
        stored_before = list(Path(settings.MEDIA_ROOT).rglob("*"))
        out = self.run_import(self.export(), "--dry-run")
        self.assertIn("DRY RUN", out)
        self.assertIn("post: imported 1", out)
        self.assertIn("attachment: imported 1", out)
        self.assertNotIn("lead photo", out)
        self.assertEqual(
            set(self.counts().values()) - {get_user_model().objects.count()}, {0}
        )
        self.assertFalse(Imported.objects.exists())
        self.assertEqual(sorted(p.name for p in self.media.rglob("*")), media_before)
        self.assertEqual(list(Path(settings.MEDIA_ROOT).rglob("*")), stored_before)
