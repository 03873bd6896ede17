from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, CommentSettings
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, SectionFactory, comment_post_data


class ClosingTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        config = CommentSettings.load()
        config.close_after_days = 14
        config.save()

    def _article(self, days_old: int, section=None):
        return ArticleFactory(
            published_at=timezone.now() - timedelta(days=days_old),
            **({"section": section} if section else {}),
        )

    def _assert_open(self, article, is_open: bool):
        page = self.client.get(article.get_absolute_url())
        response = self.client.post(
            reverse("comments:create", args=[article.pk]),
            comment_post_data(article, body=f"Ý kiến {article.pk}"),
        )
        if is_open:
            self.assertContains(page, "Gửi bình luận")
            self.assertEqual(response.status_code, 302)
        else:
            self.assertNotContains(page, "Gửi bình luận")
            self.assertContains(page, "đã đóng bình luận")
            self.assertContains(response, "đã đóng bình luận", status_code=403)
            self.assertFalse(Comment.objects.filter(article=article).exists())

    def test_comments_close_after_the_site_default(self):
        self._assert_open(self._article(13), True)
        self._assert_open(self._article(15), False)

    def test_a_section_sets_its_own_period(self):
        long_lived = SectionFactory(comments_close_after_days=60)
        self._assert_open(self._article(30, long_lived), True)
        short = SectionFactory(comments_close_after_days=2)
        self._assert_open(self._article(3, short), False)

    def test_zero_means_never_close(self):
        never = SectionFactory(comments_close_after_days=0)
        self._assert_open(self._article(800, never), True)

    def test_an_article_closed_by_hand_stays_closed(self):
        article = self._article(1)
        article.is_commentable = False
        article.save()
        self._assert_open(article, False)
