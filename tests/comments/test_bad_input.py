from django.urls import reverse

from comments.models import Comment
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, comment_post_data

VALID = {"name": "Lê Văn Tám", "email": "tam.le@example.com", "body": "Ý kiến của tôi."}


class BadCommentInputTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = ArticleFactory()

    def _post(self, **changes):
        data = comment_post_data(self.article, **{**VALID, **changes})
        return self.client.post(
            reverse("comments:create", args=[self.article.pk]), data
        )

    def _assert_refused(self, response, message: str, kept: str):
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, message, status_code=400)
        # What the reader typed is still in the form.
        self.assertContains(response, kept, status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_an_empty_comment_is_refused_and_nothing_is_saved(self):
        self._assert_refused(
            self._post(body="   "), "Vui lòng nhập nội dung bình luận.", VALID["name"]
        )

    def test_a_missing_name_is_refused(self):
        self._assert_refused(
            self._post(name=""), "Vui lòng nhập họ tên.", VALID["body"]
        )

    def test_an_invalid_email_is_refused(self):
        self._assert_refused(
            self._post(email="khong-phai-email"),
            "Địa chỉ email không hợp lệ.",
            VALID["body"],
        )

    def test_a_too_long_comment_is_refused(self):
        self._assert_refused(
            self._post(body="dài " * 1000),
            "Bình luận dài tối đa 3000 ký tự",
            VALID["name"],
        )

    def test_a_too_long_name_is_refused(self):
        self._assert_refused(
            self._post(name="N" * 81), "Họ tên dài tối đa 80 ký tự.", VALID["body"]
        )

    def test_control_characters_are_refused(self):
        self._assert_refused(
            self._post(body="xin chào\x00\x07"),
            "Nội dung có ký tự không hợp lệ.",
            VALID["name"],
        )

    def test_html_in_a_comment_is_stored_inert_and_rendered_escaped(self):
        self._post(body='<script>alert("x")</script> &amp; <b>đậm</b>')
        comment = Comment.objects.get()
        comment.status = Comment.Status.APPROVED
        comment.save()
        page = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertNotIn('<script>alert("x")</script>', page)
        self.assertIn("&lt;script&gt;", page)
        self.assertIn("&lt;b&gt;đậm&lt;/b&gt;", page)

    def test_a_get_request_to_the_post_address_is_refused(self):
        response = self.client.get(reverse("comments:create", args=[self.article.pk]))
        self.assertEqual(response.status_code, 405)
