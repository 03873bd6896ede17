"""The admin index is each role's desk."""

from datetime import datetime, timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, CommentFactory

S = Article.Status


class DashboardTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.now = timezone.make_aware(datetime(2026, 3, 2, 9, 0))
        ArticleFactory(
            title="Nháp của phóng viên",
            status=S.DRAFT,
            published_at=None,
            created_by=cls.reporter,
        )
        ArticleFactory(title="Bài chờ biên tập", status=S.IN_REVIEW, published_at=None)
        ArticleFactory(title="Bài đã duyệt", status=S.APPROVED, published_at=None)
        ArticleFactory(
            title="Bài hẹn chiều nay",
            status=S.SCHEDULED,
            published_at=cls.now + timedelta(hours=6),
        )
        ArticleFactory(
            title="Bài hẹn ngày mai",
            status=S.SCHEDULED,
            published_at=cls.now + timedelta(days=1),
        )
        ArticleFactory(title="Bài vừa đăng", published_at=cls.now - timedelta(hours=1))
        CommentFactory.create_batch(3, status="pending")

    def _index(self, user) -> str:
        self.client.force_login(user)
        with mock.patch("django.utils.timezone.now", return_value=self.now):
            response = self.client.get(reverse("admin:index"))
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_a_reporter_sees_their_drafts(self):
        html = self._index(self.reporter)
        self.assertIn("Bản nháp của tôi", html)
        self.assertIn("Nháp của phóng viên", html)
        self.assertNotIn("Chờ tôi biên tập", html)
        self.assertNotIn("Bình luận chờ duyệt", html)

    def test_a_reporter_is_listed_only_stories_they_can_open(self):
        own = ArticleFactory(
            title="Bài của phóng viên đã đăng",
            published_at=self.now - timedelta(hours=2),
            created_by=self.reporter,
        )
        html = self._index(self.reporter)

        self.assertIn(own.title, html)
        for others in ("Bài vừa đăng", "Bài hẹn chiều nay"):
            self.assertNotIn(others, html)
        self.client.force_login(self.reporter)
        opened = self.client.get(
            reverse("admin:articles_article_change", args=[own.pk])
        )
        self.assertEqual(opened.status_code, 200)

    def test_an_editor_sees_what_waits_for_review(self):
        html = self._index(self.editor)
        self.assertIn("Bài chờ biên tập", html)
        self.assertNotIn("Đã duyệt, chờ đăng", html)

    def test_the_chief_editor_sees_approved_scheduled_today_and_recent(self):
        html = self._index(self.chief)
        for text in ("Bài đã duyệt", "Bài hẹn chiều nay", "Bài vừa đăng"):
            self.assertIn(text, html)
        self.assertNotIn("Bài hẹn ngày mai", html)

    def test_a_moderator_sees_the_pending_comments_count(self):
        html = self._index(self.moderator)
        self.assertIn("Bình luận chờ duyệt", html)
        self.assertIn(">3</a>", html)
        self.assertNotIn("Bản nháp của tôi", html)

    def test_the_change_form_offers_a_preview_link_and_the_history(self):
        article = Article.objects.get(title="Bài chờ biên tập")
        self.client.force_login(self.editor)
        response = self.client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        )
        self.assertContains(response, "/xem-truoc/")
        self.assertContains(response, "Các phiên bản")
