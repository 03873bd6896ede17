from unittest import mock

from django.core import signing
from django.test import override_settings
from django.urls import reverse

from comments.defences import (
    TokenError,
    clock,
    form_token,
    read_form_token,
)
from comments.models import Comment, CommentSettings
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, CommentFactory, comment_post_data


class SpamDefenceTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = ArticleFactory()
        config = CommentSettings.load()
        config.moderation_words = "lừa đảo\n113.160."
        config.blocked_words = "nhà cái\n@spam.example"
        config.save()

    def _post(self, **fields):
        return self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(self.article, **fields),
        )

    def test_a_filled_honeypot_is_refused_and_nothing_is_stored(self):
        response = self._post(website="http://nhacai.example")
        self.assertContains(response, "Không gửi được bình luận", status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_a_post_faster_than_the_minimum_is_held_with_its_reason(self):
        self._post(seconds_ago=1)
        comment = Comment.objects.get()
        self.assertEqual(comment.status, Comment.Status.PENDING)
        self.assertIn("1 giây sau khi mở trang", comment.held_reason)

    def test_a_forged_or_missing_token_is_refused(self):
        for token in ["", "gia-mao", form_token(self.article.pk)[:-3] + "abc"]:
            with self.subTest(token=token):
                response = self._post(token=token)
                self.assertContains(response, "Biểu mẫu không hợp lệ", status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_the_form_token_is_the_one_django_signing_makes(self):
        for key in ["khoa-bi-mat-thu-nhat-" * 3, "khoa-bi-mat-thu-hai-" * 3]:
            with (
                self.subTest(key=key),
                override_settings(SECRET_KEY=key),
                mock.patch("time.time", return_value=1_790_000_000.5),
            ):
                self.assertEqual(
                    form_token(self.article.pk, 1_789_999_940.25),
                    signing.dumps(
                        {"a": self.article.pk, "t": 1_789_999_940.25},
                        salt="comments.form-token",
                    ),
                )

    def test_a_token_signed_before_a_key_rotation_is_read_with_the_old_key(self):
        old_key = "khoa-cu-truoc-khi-doi-" * 3
        issued = clock() - 60
        with override_settings(SECRET_KEY=old_key):
            token = form_token(self.article.pk, issued)
        with override_settings(SECRET_KEY_FALLBACKS=[old_key]):
            self.assertEqual(
                read_form_token(token, article_id=self.article.pk, max_age_hours=24),
                issued,
            )
        with self.assertRaises(TokenError):
            read_form_token(token, article_id=self.article.pk, max_age_hours=24)

    def test_a_token_served_for_another_article_is_refused(self):
        other = ArticleFactory()
        response = self._post(token=form_token(other.pk, clock() - 60))
        self.assertContains(response, "Biểu mẫu không hợp lệ", status_code=400)
        self.assertFalse(Comment.objects.exists())

    def test_an_expired_form_is_refused_but_keeps_the_text_and_a_fresh_token(self):
        response = self._post(seconds_ago=25 * 3600, body="Ý kiến viết rất lâu.")
        self.assertContains(response, "biểu mẫu hết hạn", status_code=400)
        self.assertContains(response, "Ý kiến viết rất lâu.", status_code=400)
        self.assertFalse(Comment.objects.exists())
        # The page carries a new token; sending it a minute later goes through.
        fresh = response.context["comment_form"].fresh_token
        with mock.patch("comments.defences.clock", return_value=clock() + 60):
            response = self._post(token=fresh, body="Ý kiến viết rất lâu.")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Comment.objects.count(), 1)

    def test_more_links_than_allowed_hold_the_comment(self):
        self._post(body="Xem http://a.vn/x và www.b.com cả nhacai.com nữa")
        comment = Comment.objects.get()
        self.assertEqual(comment.status, Comment.Status.PENDING)
        self.assertIn("Có 3 liên kết (tối đa 2)", comment.held_reason)

    def test_moderation_words_match_without_diacritics_or_case(self):
        self._post(body="Đây là trò LỪA ĐẢO trắng trợn!")
        self.assertIn("lừa đảo", Comment.objects.get().held_reason)

    def test_moderation_words_match_the_ip_address(self):
        self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(self.article),
            REMOTE_ADDR="113.160.22.5",
        )
        self.assertIn("113.160.", Comment.objects.get().held_reason)

    def test_blocked_words_mark_the_comment_as_spam_without_telling_the_sender(self):
        response = self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(self.article, body="Vào NHA CAI uy tín nhất"),
            follow=True,
        )
        self.assertContains(response, "đang chờ kiểm duyệt")
        comment = Comment.objects.get()
        self.assertEqual(comment.status, Comment.Status.SPAM)
        self.assertIn("nhà cái", comment.held_reason)

    def test_blocked_words_match_the_email(self):
        self._post(email="ban@spam.example")
        self.assertEqual(Comment.objects.get().status, Comment.Status.SPAM)

    def test_the_same_text_again_on_the_same_article_is_refused(self):
        self._post(body="Rất đồng tình với bài viết.")
        response = self._post(body="  rất đồng tình   với bài viết. ")
        self.assertContains(response, "Bạn đã gửi bình luận này rồi", status_code=400)
        self.assertEqual(Comment.objects.count(), 1)

    def test_the_same_text_on_another_article_is_held(self):
        CommentFactory(
            body="Nên mở rộng đường vào khu công nghiệp Giao Long cho xe tải"
        )
        config = CommentSettings.load()
        config.require_approval = False
        config.save()
        self._post(body="Nên mở rộng đường vào khu công nghiệp Giao Long cho xe tải")
        comment = Comment.objects.get(article=self.article)
        self.assertEqual(comment.status, Comment.Status.PENDING)
        self.assertIn("Trùng nội dung", comment.held_reason)

    def test_a_reader_named_like_the_newsroom_is_held(self):
        self._post(name="Tòa Soạn Báo")
        self.assertIn("Tên giống tên tòa soạn", Comment.objects.get().held_reason)

    def test_a_clean_comment_is_published_at_once_when_approval_is_off(self):
        config = CommentSettings.load()
        config.require_approval = False
        config.save()
        response = self._post(body="Chúc mừng bà con Giồng Trôm.")
        comment = Comment.objects.get()
        self.assertEqual(comment.status, Comment.Status.APPROVED)
        self.assertEqual(comment.held_reason, "")
        self.assertRedirects(
            response, comment.get_absolute_url(), fetch_redirect_response=False
        )
