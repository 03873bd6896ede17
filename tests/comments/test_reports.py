import re

from django.urls import reverse

from comments.models import Comment, CommentSettings
from comments.services import comments_approve
from tests.base import NewsroomTestCase
from tests.factories import CommentFactory


class ReportTests(NewsroomTestCase):
    def setUp(self):
        config = CommentSettings.load()
        config.report_threshold = 2
        config.save()
        self.comment = CommentFactory(body="Lời lẽ khó nghe")

    def _report(self, ip: str):
        return self.client.post(
            reverse("comments:report", args=[self.comment.pk]),
            REMOTE_ADDR=ip,
            follow=True,
        )

    def test_a_reported_comment_goes_back_to_the_queue_at_the_threshold(self):
        page = self.client.get(self.comment.article.get_absolute_url())
        self.assertContains(page, "Báo vi phạm")
        response = self._report("198.51.100.1")
        self.assertContains(response, "Cảm ơn bạn đã báo")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, Comment.Status.APPROVED)
        self._report("198.51.100.2")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, Comment.Status.PENDING)
        self.assertIn("báo vi phạm 2 lần", self.comment.held_reason)
        page = self.client.get(self.comment.article.get_absolute_url())
        self.assertNotContains(page, "Lời lẽ khó nghe")

    def test_one_address_counts_once(self):
        for _ in range(5):
            self._report("198.51.100.1")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.report_count, 1)
        self.assertEqual(self.comment.status, Comment.Status.APPROVED)

    def test_approving_again_starts_the_count_afresh(self):
        self._report("198.51.100.1")
        self._report("198.51.100.2")
        comments_approve(comments=[self.comment], by=self.moderator)
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.report_count, 0)
        self._report("198.51.100.3")
        self.comment.refresh_from_db()
        self.assertEqual(self.comment.status, Comment.Status.APPROVED)

    def test_only_shown_comments_can_be_reported(self):
        hidden = CommentFactory(status=Comment.Status.SPAM)
        response = self.client.post(reverse("comments:report", args=[hidden.pk]))
        self.assertEqual(response.status_code, 404)
        response = self.client.get(reverse("comments:report", args=[self.comment.pk]))
        self.assertEqual(response.status_code, 405)


class ReportWithoutJavaScriptTests(NewsroomTestCase):
    def test_a_report_from_a_kept_page_without_a_token_is_confirmed_once(self):
        comment = CommentFactory(body="Quảng cáo cá độ")
        browser = self.client_class(enforce_csrf_checks=True)
        url = reverse("comments:report", args=[comment.pk])
        asked = browser.post(url, {"csrfmiddlewaretoken": ""})
        self.assertContains(asked, "Báo bình luận vi phạm?", status_code=403)
        self.assertContains(asked, "Quảng cáo cá độ", status_code=403)
        comment.refresh_from_db()
        self.assertEqual(comment.report_count, 0)
        token = re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', asked.content.decode()
        )[1]
        sent = browser.post(url, {"csrfmiddlewaretoken": token})
        self.assertEqual(sent.status_code, 302)
        comment.refresh_from_db()
        self.assertEqual(comment.report_count, 1)
