from django.urls import reverse

from comments.models import Comment
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, CommentFactory


class ModerationAdminTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(self.moderator)
        self.article = ArticleFactory(title="Hạn mặn đến sớm")

    def test_the_queue_opens_on_pending_comments_and_lists_them_first(self):
        CommentFactory(
            article=self.article, body="Đã duyệt rồi", status=Comment.Status.APPROVED
        )
        CommentFactory(
            article=self.article, body="Đang chờ duyệt", status=Comment.Status.PENDING
        )
        queue = reverse("admin:comments_comment_changelist")
        html = self.client.get(queue).content.decode()
        self.assertIn("Đang chờ duyệt", html)
        self.assertNotIn("Đã duyệt rồi", html)
        self.assertIn(self.article.get_absolute_url(), html)
        html = self.client.get(f"{queue}?status__exact=tat-ca").content.decode()
        self.assertLess(html.find("Đang chờ duyệt"), html.find("Đã duyệt rồi"))
        self.assertIn("Đã duyệt rồi", html)

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


class ModerationQueueTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(self.moderator)
        self.article = ArticleFactory(title="Hạn mặn đến sớm")
        self.queue = reverse("admin:comments_comment_changelist")

    def test_each_row_shows_who_where_why_with_links_highlighted(self):
        CommentFactory(
            article=self.article,
            status=Comment.Status.PENDING,
            name="Khách lạ",
            email="khach@example.com",
            ip_address="203.0.113.8",
            body="Xem <b>ngay</b> http://nhacai.example/x và www.b.com",
            held_reason="Có 3 liên kết (tối đa 2).",
        )
        html = self.client.get(self.queue).content.decode()
        for part in [
            "Khách lạ",
            "khach@example.com",
            "203.0.113.8",
            "Có 3 liên kết (tối đa 2).",
            '<mark class="comment-link">http://nhacai.example/x</mark>',
            '<mark class="comment-link">www.b.com</mark>',
            "Xem &lt;b&gt;ngay&lt;/b&gt;",
            'data-key="a"',
        ]:
            self.assertIn(part, html)
        self.assertNotIn('href="http://nhacai.example', html)

    def test_oldest_pending_comes_first(self):
        newer = CommentFactory(article=self.article, status="pending", body="Mới")
        older = CommentFactory(article=self.article, status="pending", body="Cũ")
        Comment.objects.filter(pk=older.pk).update(
            created_at=newer.created_at.replace(year=2025)
        )
        html = self.client.get(self.queue).content.decode()
        self.assertLess(html.find(">Cũ<"), html.find(">Mới<"))

    def test_one_click_per_row_approves_rejects_or_marks_spam(self):
        comments = CommentFactory.create_batch(
            3, article=self.article, status="pending"
        )
        for comment, decision, status in zip(
            comments,
            ["approve", "reject", "mark_spam"],
            [Comment.Status.APPROVED, Comment.Status.REJECTED, Comment.Status.SPAM],
            strict=True,
        ):
            url = reverse("admin:comments_comment_decide", args=[comment.pk])
            response = self.client.post(
                url,
                {"decision": decision},
                HTTP_REFERER=f"http://testserver{self.queue}?status__exact=pending",
            )
            self.assertRedirects(
                response,
                f"http://testserver{self.queue}?status__exact=pending",
                fetch_redirect_response=False,
            )
            comment.refresh_from_db()
            self.assertEqual(comment.status, status)
            self.assertEqual(comment.moderated_by, self.moderator)

    def test_a_decision_without_the_permission_is_refused(self):
        comment = CommentFactory(article=self.article, status="pending")
        self.client.force_login(self.reporter)
        response = self.client.post(
            reverse("admin:comments_comment_decide", args=[comment.pk]),
            {"decision": "approve"},
        )
        self.assertEqual(response.status_code, 403)
        comment.refresh_from_db()
        self.assertEqual(comment.status, Comment.Status.PENDING)

    def test_the_pending_count_is_on_every_admin_page_for_moderators(self):
        CommentFactory.create_batch(3, article=self.article, status="pending")
        for url in [
            reverse("admin:index"),
            self.queue,
            reverse("admin:password_change"),
        ]:
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "3 bình luận chờ duyệt")
        self.client.force_login(self.editor)
        self.assertNotContains(
            self.client.get(reverse("admin:index")), "bình luận chờ duyệt"
        )

    def test_fifty_pending_comments_clear_with_one_bulk_action(self):
        comments = CommentFactory.create_batch(
            50, article=self.article, status="pending"
        )
        page = self.client.get(f"{self.queue}?status__exact=pending")
        self.assertEqual(len(page.context["cl"].result_list), 50)
        self.client.post(
            self.queue,
            {"action": "approve", "_selected_action": [c.pk for c in comments]},
        )
        self.assertFalse(Comment.objects.pending().exists())
        self.assertContains(self.client.get(self.queue), "0 bình luận chờ duyệt")

    def test_the_settings_are_one_editable_page(self):
        from comments.models import CommentSettings

        response = self.client.get(reverse("admin:comments_commentsettings_changelist"))
        url = reverse("admin:comments_commentsettings_change", args=[1])
        self.assertRedirects(response, url)
        page = self.client.get(url)
        self.assertContains(page, "Từ cần kiểm duyệt")
        data = {
            field: value
            for field, value in page.context["adminform"].form.initial.items()
            if value is not None
        }
        data.update(moderation_words="lừa đảo", max_links=1)
        response = self.client.post(url, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(CommentSettings.load().moderation_list, ["lừa đảo"])

    def test_the_queue_loads_its_keyboard_script_and_the_change_page_opens(self):
        comment = CommentFactory(
            article=self.article, status="pending", held_reason="Gửi quá nhanh."
        )
        self.assertContains(self.client.get(self.queue), "comments/moderation.js")
        page = self.client.get(
            reverse("admin:comments_comment_change", args=[comment.pk])
        )
        self.assertContains(page, "Gửi quá nhanh.")
        self.assertNotContains(self.client.get(self.queue), "Thêm bình luận")
