"""Publishing is all or nothing: a failure at any step leaves the article as it
was, no file behind and no purge sent for a change that was never committed."""

from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from unittest import mock

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles import images
from articles.models import Article, AuditEntry, Photo
from articles.services import (
    article_publish_due,
    article_transition,
    photo_create,
    photo_make_renditions,
)
from pagecache import purge
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    ContributorFactory,
    CreditFactory,
    PhotoFactory,
    image_bytes,
)

S = Article.Status


class InjectedFailure(Exception):
    """Raised by a patched step; nothing in the code catches it by name."""


def _fail(*args, **kwargs):
    raise InjectedFailure


_save = Article.save


def _fail_writing_the_publication(article, *args, **kwargs):
    # The article is saved twice in one admin publish: its fields first, then
    # the transition's state. Only the second one fails.
    if article.status == S.PUBLISHED:
        raise InjectedFailure
    return _save(article, *args, **kwargs)


# Each step an admin "Xuất bản ngay" goes through, and how to make it
# fail. (Renditions are not one: they are made at upload, see the last class.)
STEPS = {
    "tags": ("taggit.managers._TaggableManager.set", _fail),
    "search text": ("articles.models.articles.search_lines", _fail),
    "the article's row": (
        "articles.models.Article.save",
        _fail_writing_the_publication,
    ),
    # Purges are handed to on_commit at the write (pagecache.purge.watch).
    "purge queued for the commit": ("pagecache.purge.transaction.on_commit", _fail),
    "audit entry": ("articles.services.workflow._audit", _fail),
    "revision": ("articles.services.workflow.article_record_revision", _fail),
}


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


class AtomicPublishingTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(self.chief)
        self.article = self._approved_article()

    def _approved_article(self) -> Article:
        """A story ready to publish, with tags, credits and photos."""
        article = ArticleFactory(
            status=S.APPROVED,
            published_at=None,
            created_by=self.reporter,
            tags=["lúa"],
            lead_photo=PhotoFactory(make_renditions=True),
        )
        CreditFactory(article=article, contributor=ContributorFactory())
        ArticlePhotoFactory(article=article, photo=PhotoFactory(make_renditions=True))
        return article

    @contextmanager
    def purges_recorded(self):
        with mock.patch.object(purge, "purge_now", wraps=purge.purge_now) as sent:
            yield sent

    def _publish(self):
        """The chief editor presses "Xuất bản ngay", changing the tags too."""
        self.article.refresh_from_db()
        return self.client.post(
            reverse("admin:articles_article_change", args=[self.article.pk]),
            article_form_data(self.article, tags="lúa, giá lúa", _transition="publish"),
        )

    def assertNothingPublished(self):
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, S.APPROVED)
        self.assertIsNone(self.article.published_at)
        self.assertEqual(sorted(t.name for t in self.article.tags.all()), ["lúa"])
        self.assertFalse(Article.objects.published().filter(pk=self.article.pk))
        self.assertFalse(
            AuditEntry.objects.filter(article=self.article, action="publish").exists()
        )
        self.assertFalse(
            self.article.revisions.filter(status=S.PUBLISHED).exists(),
            "a revision claims a publication that never happened",
        )
        self.client.logout()
        self.assertEqual(
            self.client.get(self.article.get_absolute_url()).status_code, 404
        )

    def test_a_failure_at_any_step_leaves_nothing_half_done(self):
        for step, (target, failure) in STEPS.items():
            with self.subTest(step=step):
                self.client.force_login(self.chief)
                self.article = self._approved_article()
                before = media_files()
                with (
                    self.purges_recorded() as sent,
                    mock.patch(target, autospec=True, side_effect=failure) as patched,
                    self.assertRaises(InjectedFailure),
                ):
                    self._publish()
                self.assertTrue(patched.called, f"{step} was not a step after all")
                self.assertNothingPublished()
                self.assertEqual(media_files() - before, set(), "files left behind")
                sent.assert_not_called()

    def test_a_failure_in_the_bulk_action_leaves_nothing_half_done(self):
        # The changelist's action runs outside the admin form's transaction:
        # the publishing service's own must hold.
        for step, (target, failure) in STEPS.items():
            if step == "tags":
                continue  # the action does not touch tags
            with self.subTest(step=step):
                self.client.force_login(self.chief)
                self.article = self._approved_article()
                with (
                    self.purges_recorded() as sent,
                    mock.patch(target, autospec=True, side_effect=failure) as patched,
                    self.assertRaises(InjectedFailure),
                ):
                    self.client.post(
                        reverse("admin:articles_article_changelist"),
                        {"action": "publish", "_selected_action": [self.article.pk]},
                    )
                self.assertTrue(patched.called, f"{step} was not a step after all")
                self.assertNothingPublished()
                sent.assert_not_called()

    def test_the_same_publication_without_a_failure_goes_through(self):
        # The control for the test above: the same request publishes.
        before = media_files()
        with self.purges_recorded() as sent:
            response = self._publish()
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, S.PUBLISHED)
        self.assertEqual(
            sorted(t.name for t in self.article.tags.all()), ["giá lúa", "lúa"]
        )
        self.assertTrue(self.article.revisions.filter(status=S.PUBLISHED).exists())
        # Publishing writes no file: renditions were made at upload.
        self.assertEqual(media_files(), before)
        keys = set().union(*(call.args[0] for call in sent.call_args_list))
        self.assertIn(f"article:{self.article.pk}", keys)
        self.assertIn("home", keys)

    def test_purges_wait_for_the_commit(self):
        with self.purges_recorded() as sent:
            with self.captureOnCommitCallbacks() as later:
                article_transition(article=self.article, name="publish", by=self.chief)
            sent.assert_not_called()
            # Committed: the callbacks run now, as Django runs them after COMMIT.
            self.assertTrue(later)
            for callback in later:
                callback()
        keys = set().union(*(call.args[0] for call in sent.call_args_list))
        self.assertIn(f"article:{self.article.pk}", keys)

    def test_a_purge_that_fails_after_the_commit_leaves_the_publication_whole(self):
        # The change is committed when purges run: the editor is told it is
        # published (no error page inviting a second try), the failure is
        # logged, and kept pages expire after PAGE_CACHE_TTL at the latest.
        with (
            mock.patch.object(purge, "purge_now", side_effect=InjectedFailure),
            # Django logs it (django.db.backends.base; django.test in tests).
            self.assertLogs("django", "ERROR"),
        ):
            response = self._publish()
        self.assertEqual(response.status_code, 302)
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, S.PUBLISHED)
        self.assertTrue(
            AuditEntry.objects.filter(article=self.article, action="publish").exists()
        )

    def test_a_scheduled_publication_that_fails_stays_scheduled(self):
        due = ArticleFactory(
            status=S.SCHEDULED, published_at=timezone.now() - timedelta(minutes=1)
        )
        with (
            self.purges_recorded() as sent,
            self.captureOnCommitCallbacks(execute=True),
            mock.patch(
                "articles.services.workflow.article_record_revision",
                side_effect=InjectedFailure,
            ),
            self.assertRaises(InjectedFailure),
        ):
            article_publish_due(article_id=due.pk)
        due.refresh_from_db()
        self.assertEqual(due.status, S.SCHEDULED)
        self.assertFalse(AuditEntry.objects.filter(article=due).exists())
        sent.assert_not_called()


class RenditionFailureTests(NewsroomTestCase):
    """Renditions are made at upload (and by ``generate_renditions``), never
    at publication; one that fails half-way leaves no file behind."""

    def test_a_rendition_that_fails_half_way_leaves_no_file(self):
        photo = PhotoFactory()
        before = media_files()

        def some_then_fail(image, *, focus):
            for count, rendition in enumerate(real(image, focus=focus)):
                if count == 3:
                    raise InjectedFailure
                yield rendition

        real = images.make_renditions
        with (
            mock.patch.object(images, "make_renditions", some_then_fail),
            self.assertRaises(InjectedFailure),
        ):
            photo_make_renditions(photo=photo)
        self.assertEqual(media_files() - before, set())
        photo.refresh_from_db()
        self.assertEqual(photo.renditions, {})

    def _renditions_fail(self):
        return mock.patch.object(
            images, "make_renditions", side_effect=OSError("Hết chỗ trên đĩa")
        )

    def test_an_import_whose_renditions_fail_leaves_no_file(self):
        before = media_files()
        with self._renditions_fail(), self.assertRaises(OSError):
            photo_create(upload=image_bytes(), alt_text="Ghe trên sông")
        self.assertFalse(Photo.objects.exists())
        self.assertEqual(media_files() - before, set())

    def test_an_admin_upload_whose_renditions_fail_leaves_no_file(self):
        self.client.force_login(self.editor)
        before = media_files()
        data = {
            "image": SimpleUploadedFile("ghe.jpg", image_bytes(), "image/jpeg"),
            "alt_text": "Ghe trên sông",
            "focus_x": "0.5",
            "focus_y": "0.5",
        }
        with self._renditions_fail(), self.assertRaises(OSError):
            self.client.post(reverse("admin:articles_photo_add"), data)
        self.assertFalse(Photo.objects.exists())
        self.assertEqual(media_files() - before, set())
