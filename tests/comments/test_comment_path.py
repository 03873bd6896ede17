import re

from django.test import Client
from django.urls import reverse

from comments.models import Comment
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, CommentFactory, comment_post_data


class CommentPathTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = ArticleFactory(title="Nông thôn mới ở Giồng Trôm")

    def _post(self, client=None, **data):
        payload = comment_post_data(self.article, **data)
        return (client or self.client).post(
            reverse("comments:create", args=[self.article.pk]),
            payload,
            HTTP_USER_AGENT="Mozilla/5.0 (iPhone)",
            follow=True,
        )

    def test_a_comment_waits_for_a_moderator_then_appears_without_its_email(self):
        response = self._post(body="Xã em cũng đạt chuẩn nông thôn mới rồi.")
        self.assertContains(response, "đang chờ kiểm duyệt")
        self.assertNotContains(response, "Xã em cũng đạt chuẩn nông thôn mới rồi.")

        comment = Comment.objects.get()
        self.assertEqual(comment.status, Comment.Status.PENDING)
        self.assertEqual(comment.ip_address, "127.0.0.1")
        self.assertEqual(comment.user_agent, "Mozilla/5.0 (iPhone)")

        self.client.force_login(self.moderator)
        self.client.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "approve", "_selected_action": [comment.pk]},
        )
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.APPROVED)
        self.assertEqual(comment.moderated_by, self.moderator)

        reader = Client()
        page = reader.get(self.article.get_absolute_url())
        self.assertContains(page, "Xã em cũng đạt chuẩn nông thôn mới rồi.")
        self.assertContains(page, "Trần Thị Mai")
        self.assertNotContains(page, "mai.tran@example.com")

    def test_rejected_and_spam_comments_are_kept_but_never_shown(self):
        CommentFactory(
            article=self.article, body="Bị từ chối", status=Comment.Status.REJECTED
        )
        CommentFactory(
            article=self.article, body="Quảng cáo rác", status=Comment.Status.SPAM
        )
        CommentFactory(
            article=self.article, body="Chưa duyệt", status=Comment.Status.PENDING
        )
        page = self.client.get(self.article.get_absolute_url())
        for body in ("Bị từ chối", "Quảng cáo rác", "Chưa duyệt"):
            self.assertNotContains(page, body)
        self.assertEqual(Comment.objects.count(), 3)

    def test_the_form_is_csrf_protected_and_takes_the_readers_own_tokens(self):
        guarded = Client(enforce_csrf_checks=True)
        url = reverse("comments:create", args=[self.article.pk])
        response = guarded.post(
            url,
            comment_post_data(self.article, name="A", email="a@example.com", body="b"),
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Comment.objects.exists())

        page = guarded.get(self.article.get_absolute_url())
        # The kept page carries no token; tokens.js asks for the reader's own.
        self.assertContains(page, 'name="csrfmiddlewaretoken" value=""')
        tokens = guarded.get(reverse("comments:tokens", args=[self.article.pk]))
        self.assertIn("no-store", tokens["Cache-Control"])
        response = guarded.post(
            url,
            comment_post_data(
                self.article,
                name="A",
                email="a@example.com",
                body="b",
                csrfmiddlewaretoken=tokens.json()["csrf"],
                token=tokens.json()["token"],
            ),
        )
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Comment.objects.count(), 1)

    def test_a_reader_without_javascript_confirms_once_and_the_comment_is_sent(self):
        browser = Client(enforce_csrf_checks=True)
        url = reverse("comments:create", args=[self.article.pk])
        page = browser.get(self.article.get_absolute_url()).content.decode()
        empty = dict(
            re.findall(r'name="(csrfmiddlewaretoken|token)" value="([^"]*)"', page)
        )
        typed = {"name": "Út Nhỏ", "email": "ut@example.com", "body": "Đường đẹp quá."}
        answer = browser.post(url, {**empty, **typed, "website": ""})
        # Nothing saved; the form comes back filled in, with real tokens.
        self.assertEqual(answer.status_code, 403)
        self.assertFalse(Comment.objects.exists())
        self.assertContains(answer, "Đường đẹp quá.", status_code=403)
        self.assertContains(answer, "một lần nữa để xác nhận", status_code=403)
        self.assertEqual(answer["Cache-Control"], "private, no-cache")
        filled = dict(
            re.findall(
                r'name="(csrfmiddlewaretoken|token)" value="([^"]+)"',
                answer.content.decode(),
            )
        )
        self.assertEqual(set(filled), {"csrfmiddlewaretoken", "token"})
        sent = browser.post(url, {**filled, **typed, "website": ""})
        self.assertEqual(sent.status_code, 302)
        self.assertEqual(Comment.objects.get().body, "Đường đẹp quá.")

    def test_an_article_closed_to_comments_shows_no_form_and_refuses_posts(self):
        self.article.is_commentable = False
        self.article.save()
        page = self.client.get(self.article.get_absolute_url())
        self.assertNotContains(page, "Gửi bình luận")
        self.assertContains(page, "đã đóng bình luận")
        response = self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(self.article, name="A", email="a@example.com", body="b"),
        )
        self.assertEqual(response.status_code, 403)
        self.assertFalse(Comment.objects.exists())

    def test_comments_on_a_draft_are_refused(self):
        draft = ArticleFactory(status="draft", published_at=None)
        response = self.client.post(
            reverse("comments:create", args=[draft.pk]),
            comment_post_data(draft, name="A", email="a@example.com", body="b"),
        )
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Comment.objects.exists())
