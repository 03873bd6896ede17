"""Revisions keep a story's videos: the lead video and the videos placed in
the body come back with a restore, as photos do."""

from django.urls import reverse

from articles.models import ArticleVideo, Video
from articles.services import video_delete
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import ArticleFactory, VideoFactory


class VideoRevisionTests(NewsroomTestCase):
    def setUp(self):
        # A published story: only the chief editor may still change it.
        self.client.force_login(self.chief)
        self.article = ArticleFactory(
            title="Chợ nổi Cái Bè vào mùa Tết",
            body="<p>Đoạn mở đầu.</p><p>Đoạn giữa bài.</p><p>Đoạn kết bài.</p>",
        )
        self.lead = VideoFactory(title="Chợ nổi lúc rạng sáng")
        self.placed = VideoFactory(title="Ghe chở dừa")
        self.url = reverse("admin:articles_article_change", args=[self.article.pk])

    def _save(self, **changes):
        self.article.refresh_from_db()
        response = self.client.post(
            self.url, article_form_data(self.article, **changes)
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.article.refresh_from_db()
        return self.article.revisions.first()

    def _with_videos(self):
        return self._save(
            lead_video=self.lead.pk,
            **{
                "body_videos-TOTAL_FORMS": "1",
                "body_videos-0-video": self.placed.pk,
                "body_videos-0-after_paragraph": "2",
                "body_videos-0-caption": "Ghe về chợ",
            },
        )

    def _without_videos(self):
        data = article_form_data(self.article, lead_video="")
        data["body_videos-0-DELETE"] = "on"
        response = self.client.post(self.url, data)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        self.article.refresh_from_db()

    def _restore(self, revision):
        return self.client.post(
            reverse(
                "admin:articles_article_restore",
                args=[self.article.pk, revision.number],
            ),
            follow=True,
        )

    def test_a_revision_records_the_lead_video_and_the_body_videos(self):
        revision = self._with_videos()
        self.assertEqual(revision.data["lead_video_id"], self.lead.pk)
        self.assertEqual(
            revision.data["body_videos"],
            [
                {
                    "video_id": self.placed.pk,
                    "after_paragraph": 2,
                    "caption": "Ghe về chợ",
                    "shown_caption": "Ghe về chợ",
                }
            ],
        )

    def test_restoring_brings_the_videos_back(self):
        revision = self._with_videos()
        self._without_videos()
        self.assertIsNone(self.article.lead_video)
        self.assertFalse(self.article.body_videos.exists())
        compare = self.client.get(
            reverse("admin:articles_article_revisions", args=[self.article.pk]),
            {"a": revision.number, "b": revision.number + 1},
        )
        self.assertContains(compare, "sau đoạn 2: Ghe về chợ (video #")
        self._restore(revision)
        self.article.refresh_from_db()
        self.assertEqual(self.article.lead_video, self.lead)
        use = self.article.body_videos.get()
        self.assertEqual((use.video, use.after_paragraph), (self.placed, 2))
        self.assertEqual(use.caption, "Ghe về chợ")
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertIn("Chợ nổi lúc rạng sáng", html)
        self.assertIn("Ghe chở dừa", html)

    def test_videos_deleted_from_the_library_are_skipped_and_named(self):
        revision = self._with_videos()
        self._without_videos()
        with self.committed():
            video_delete(video=self.lead)
            video_delete(video=self.placed)
        response = self._restore(revision)
        self.article.refresh_from_db()
        self.assertIsNone(self.article.lead_video)
        self.assertFalse(ArticleVideo.objects.exists())
        self.assertContains(response, "video đầu bài đã bị xóa khỏi thư viện")
        self.assertContains(response, "1 video trong bài đã bị xóa khỏi thư viện")

    def test_a_revision_older_than_videos_leaves_them_in_place(self):
        revision = self._save(title="Chợ nổi Cái Bè ngày cận Tết")
        data = dict(revision.data)
        data.pop("lead_video_id")
        data.pop("body_videos")
        type(revision).objects.filter(pk=revision.pk).update(data=data)
        self._with_videos()
        self._restore(revision)
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Chợ nổi Cái Bè ngày cận Tết")
        self.assertEqual(self.article.lead_video, self.lead)
        self.assertEqual(self.article.body_videos.get().video, self.placed)
        self.assertTrue(Video.objects.filter(pk=self.placed.pk).exists())
