from django.urls import reverse

from comments.models import Comment
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, CommentFactory


class ModerationAdminTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(self.moderator)
        self.article = ArticleFactory(title="Hạn mặn đến sớm")

    def test_pending_comments_come_first(self):
        CommentFactory(
            article=self.article, body="Đã duyệt rồi", status=Comment.Status.APPROVED
        )
        CommentFactory(
            article=self.article, body="Đang chờ duyệt", status=Comment.Status.PENDING
        )
        html = self.client.get(
            reverse("admin:comments_comment_changelist")
        ).content.decode()
        self.assertLess(html.find("Đang chờ duyệt"), html.find("Đã duyệt rồi"))
        self.assertIn(self.article.get_absolute_url(), html)

    def test_bulk_reject_and_spam(self):
        first, second = CommentFactory.create_batch(
            2, article=self.article, status="pending"
        )
        url = reverse("admin:comments_comment_changelist")
        self.client.post(url, {"action": "reject", "_selected_action": [first.pk]})
        self.client.post(url, {"action": "mark_spam", "_selected_action": [second.pk]})
        first.refresh_from_db()
        second.refresh_from_db()
        self.assertEqual(first.status, Comment.Status.REJECTED)
        self.assertEqual(second.status, Comment.Status.SPAM)

    def test_a_moderator_cannot_edit_articles(self):
        response = self.client.get(reverse("admin:articles_article_changelist"))
        self.assertEqual(response.status_code, 403)
