from django.urls import reverse

from comments.models import Comment
from tests.base import ARTICLE_PAGE_QUERIES, NewsroomTestCase
from tests.factories import ArticleFactory, CommentFactory, comment_post_data


class ReplyTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = ArticleFactory()
        cls.question = CommentFactory(
            article=cls.article, name="Bà Năm", body="Khi nào sửa cầu Cái Cối?"
        )
        cls.moderator.email = "kiemduyet@baodongkhoi.vn"
        cls.moderator.save()

    def _reply(self, parent, **fields):
        return self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(self.article, parent=parent.pk, **fields),
        )

    def test_a_newsroom_reply_is_published_at_once_and_marked_toa_soan(self):
        self.client.force_login(self.moderator)
        form_page = self.client.get(
            f"{self.article.get_absolute_url()}?tra-loi={self.question.pk}"
        )
        self.assertContains(form_page, "Trả lời Bà Năm")
        self.assertContains(form_page, 'name="name" value="Tòa soạn"')
        self._reply(
            self.question,
            name="Tòa soạn",
            email="kiemduyet@baodongkhoi.vn",
            body="Sở GTVT cho biết sẽ khởi công trong quý I.",
        )
        reply = Comment.objects.get(parent=self.question)
        self.assertTrue(reply.is_newsroom)
        self.assertEqual(reply.status, Comment.Status.APPROVED)
        self.assertEqual(reply.moderated_by, self.moderator)

        self.client.logout()
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        thread = html[html.index(f'id="binh-luan-{self.question.pk}"') :]
        self.assertLess(
            thread.index("Khi nào sửa cầu Cái Cối?"),
            thread.index('<span class="comment__badge">Tòa soạn</span>'),
        )
        self.assertLess(
            thread.index('<span class="comment__badge">Tòa soạn</span>'),
            thread.index("Sở GTVT cho biết"),
        )
        self.assertIn("comment--newsroom", html)
        self.assertIn("Bình luận (2)", html)

    def test_a_readers_reply_waits_for_approval_and_carries_no_badge(self):
        self._reply(self.question, body="Tôi cũng muốn biết.")
        reply = Comment.objects.get(parent=self.question)
        self.assertFalse(reply.is_newsroom)
        self.assertEqual(reply.status, Comment.Status.PENDING)

    def test_replies_go_one_level_deep_only(self):
        answer = CommentFactory(article=self.article, parent=self.question)
        response = self._reply(answer, body="Trả lời của trả lời")
        self.assertContains(response, "Chỉ trả lời được bình luận gốc", status_code=400)
        self.assertEqual(Comment.objects.filter(parent=answer).count(), 0)

    def test_a_reply_to_a_hidden_comment_is_refused(self):
        hidden = CommentFactory(article=self.article, status=Comment.Status.SPAM)
        response = self._reply(hidden, body="Đồng ý!")
        self.assertContains(response, "không còn nhận trả lời", status_code=400)

    def test_a_reply_whose_parent_is_hidden_is_not_shown(self):
        hidden = CommentFactory(article=self.article, status=Comment.Status.REJECTED)
        Comment.objects.filter(pk=hidden.pk).update(status=Comment.Status.APPROVED)
        CommentFactory(article=self.article, parent=hidden, body="Trả lời mồ côi")
        Comment.objects.filter(pk=hidden.pk).update(status=Comment.Status.REJECTED)
        page = self.client.get(self.article.get_absolute_url())
        self.assertNotContains(page, "Trả lời mồ côi")

    def test_the_article_page_costs_the_same_with_many_replies(self):
        for n in range(3):
            parent = CommentFactory(article=self.article)
            CommentFactory(article=self.article, parent=parent, is_newsroom=True)
            CommentFactory(article=self.article, parent=parent, body=f"Ý {n}")
        with self.assertPageQueries(ARTICLE_PAGE_QUERIES):
            response = self.client.get(self.article.get_absolute_url())
        self.assertContains(response, "Bình luận (10)")
