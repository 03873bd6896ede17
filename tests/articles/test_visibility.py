from datetime import datetime, timedelta
from itertools import product
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, SectionFactory


class ReaderVisibilityTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(name="Thời sự", slug="thoi-su")
        cls.published = ArticleFactory(
            title="Bài đã đăng cho bạn đọc", section=cls.section, tags=["Bến Tre"]
        )
        cls.draft = ArticleFactory(
            title="Bản nháp chưa duyệt",
            section=cls.section,
            status=Article.Status.DRAFT,
            published_at=None,
            tags=["Bến Tre"],
        )
        cls.future = ArticleFactory(
            title="Bài hẹn giờ ngày mai",
            section=cls.section,
            published_at=timezone.now() + timedelta(days=1),
            tags=["Bến Tre"],
        )

    def test_readers_get_404_for_drafts_and_future_articles(self):
        self.assertEqual(
            self.client.get(self.published.get_absolute_url()).status_code, 200
        )
        for hidden in (self.draft, self.future):
            with self.subTest(article=hidden.title):
                response = self.client.get(hidden.get_absolute_url())
                self.assertEqual(response.status_code, 404)
                self.assertContains(response, "Không tìm thấy trang", status_code=404)

    def test_listings_show_only_what_readers_may_see(self):
        for url in (
            reverse("articles:home"),
            self.section.get_absolute_url(),
            reverse("articles:tag", kwargs={"slug": "ben-tre"}),
        ):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertContains(response, self.published.title)
                self.assertNotContains(response, self.draft.title)
                self.assertNotContains(response, self.future.title)

    def test_a_scheduled_article_appears_once_its_time_has_come(self):
        Article.objects.filter(pk=self.future.pk).update(
            published_at=timezone.now() - timedelta(seconds=1)
        )
        self.assertEqual(
            self.client.get(self.future.get_absolute_url()).status_code, 200
        )

    def test_publishing_without_a_time_stamps_it_now(self):
        article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)
        self.assertIsNotNone(article.published_at)
        self.assertLessEqual(article.published_at, timezone.now())


class VisibilityRuleTests(NewsroomTestCase):
    """``published()`` states the rule; ``is_public`` is its form for one row."""

    def test_is_public_agrees_with_published_for_every_status_and_time(self):
        now = timezone.make_aware(datetime(2026, 3, 2, 8, 0, 0))
        times = {
            "none": None,
            "past": now - timedelta(minutes=1),
            "now": now,
            "future": now + timedelta(minutes=1),
        }
        section = SectionFactory()
        # bulk_create skips save(), which would date a published article:
        # every combination is stored as given, the odd ones included.
        Article.objects.bulk_create(
            ArticleFactory.build(
                title=f"{status} {published} {embargo}",
                section=section,
                status=status,
                published_at=times[published],
                embargo_until=times[embargo],
            )
            for status, published, embargo in product(
                Article.Status.values, times, times
            )
        )
        with mock.patch("django.utils.timezone.now", return_value=now):
            shown = set(Article.objects.published().values_list("pk", flat=True))
            articles = list(Article.objects.all())
            self.assertEqual(len(articles), len(Article.Status.values) * 16)
            self.assertTrue(0 < len(shown) < len(articles))
            for article in articles:
                with self.subTest(article.title):
                    self.assertEqual(article.is_public, article.pk in shown)
