"""Takedown: 410 for readers, everything kept. Corrections, plain and legal."""

from datetime import timedelta
from unittest import mock

from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleRevision, AuditEntry, Correction
from articles.services import article_transition
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import ArticleFactory, CommentFactory, SectionFactory

S = Article.Status


class TakedownTests(NewsroomTestCase):
    def setUp(self):
        self.section = SectionFactory(name="Pháp luật", slug="phap-luat")
        self.article = ArticleFactory(
            title="Thông tin sai về vụ tai nạn", section=self.section, tags=["tai nạn"]
        )
        CommentFactory(article=self.article)
        self.client.force_login(self.chief)
        self.url = reverse("admin:articles_article_change", args=[self.article.pk])

    def _take_down(self, note="Thông tin chưa được kiểm chứng"):
        return self.client.post(
            self.url,
            article_form_data(
                self.article, _transition="take_down", workflow_note=note
            ),
        )

    def test_taking_down_needs_a_reason(self):
        response = self._take_down(note="")
        self.assertContains(response, "Hãy ghi rõ lý do")
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, S.PUBLISHED)

    def test_readers_get_410_and_the_article_leaves_every_listing(self):
        self.assertEqual(self._take_down().status_code, 302)
        self.client.logout()
        response = self.client.get(self.article.get_absolute_url())
        self.assertEqual(response.status_code, 410)
        self.assertContains(response, "đã bị thu hồi", status_code=410)
        self.assertNotContains(response, self.article.lead, status_code=410)
        for url in (
            reverse("articles:home"),
            self.section.get_absolute_url(),
            reverse("articles:tag", kwargs={"slug": "tai-nan"}),
        ):
            self.assertNotContains(self.client.get(url), self.article.title)
        self.assertEqual(
            self.client.get(self.article.get_preview_url()).status_code, 410
        )

    def test_the_article_its_revisions_and_comments_are_kept_read_only(self):
        self._take_down()
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, S.TAKEN_DOWN)
        self.assertEqual(self.article.comments.count(), 1)
        self.assertTrue(ArticleRevision.objects.filter(article=self.article).exists())
        entry = AuditEntry.objects.get(article=self.article)
        self.assertEqual(entry.note, "Thông tin chưa được kiểm chứng")
        # Not even the chief editor edits or deletes it.
        response = self.client.post(
            self.url, article_form_data(self.article, title="x")
        )
        self.assertEqual(response.status_code, 403)
        delete = reverse("admin:articles_article_delete", args=[self.article.pk])
        self.client.post(delete, {"post": "yes"})
        self.assertTrue(Article.objects.filter(pk=self.article.pk).exists())
        self.assertContains(self.client.get(self.url), "Bài đã bị thu hồi")


class CorrectionTests(NewsroomTestCase):
    def setUp(self):
        self.section = SectionFactory(name="Kinh tế", slug="kinh-te")
        self.article = ArticleFactory(
            title="Sản lượng bưởi da xanh năm 2025", section=self.section
        )
        self.add_url = reverse("admin:articles_correction_add")

    def test_a_correction_is_a_dated_note_shown_on_the_article(self):
        self.client.force_login(self.chief)
        response = self.client.post(
            self.add_url,
            {
                "article": self.article.pk,
                "kind": "note",
                "text": "Ghi nhầm sản lượng là 30.000 tấn; đúng là 13.000 tấn.",
            },
        )
        self.assertEqual(response.status_code, 302)
        page = self.client.get(self.article.get_absolute_url())
        self.assertContains(page, "Đính chính")
        self.assertContains(page, "đúng là 13.000 tấn")
        self.assertTrue(
            AuditEntry.objects.filter(article=self.article, action="correct").exists()
        )

    def test_a_legal_correction_names_the_work_and_can_stand_alone(self):
        self.client.force_login(self.chief)
        missing = self.client.post(
            self.add_url,
            {"article": self.article.pk, "kind": "legal", "text": "Xin lỗi bạn đọc."},
        )
        self.assertContains(missing, "thông tin sai và thông tin đúng")
        self.assertFalse(Correction.objects.exists())

        self.client.post(
            self.add_url,
            {
                "article": self.article.pk,
                "kind": "legal",
                "text": "Tòa soạn đã làm việc với Sở Nông nghiệp.",
                "false_content": "Sản lượng bưởi đạt 30.000 tấn.",
                "corrected_content": "Sản lượng bưởi đạt 13.000 tấn.",
                "is_standalone": "on",
            },
        )
        correction = Correction.objects.get()
        self.assertEqual(correction.work_title, "Sản lượng bưởi da xanh năm 2025")
        self.assertEqual(correction.work_published_at, self.article.published_at)
        page = self.client.get(correction.get_absolute_url())
        for text in (
            "Thông tin cải chính, xin lỗi",
            "“Sản lượng bưởi da xanh năm 2025”",
            "Kinh tế",
            timezone.localtime(self.article.published_at).strftime("%d/%m/%Y"),
            "Sản lượng bưởi đạt 30.000 tấn.",
            "Sản lượng bưởi đạt 13.000 tấn.",
            "xin lỗi bạn đọc",
        ):
            self.assertContains(page, text)
        # It stays published after the article itself is taken down.
        article_transition(
            article=self.article, name="take_down", by=self.chief, note="Sai số liệu"
        )
        self.assertEqual(
            self.client.get(correction.get_absolute_url()).status_code, 200
        )
        gone = self.client.get(self.article.get_absolute_url())
        self.assertContains(gone, correction.get_absolute_url(), status_code=410)

    def test_only_the_chief_editor_corrects_and_corrections_are_never_edited(self):
        for user in (self.reporter, self.editor, self.moderator):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.add_url).status_code, 403)
        self.client.force_login(self.chief)
        self.client.post(
            self.add_url,
            {"article": self.article.pk, "kind": "note", "text": "Sửa tên người."},
        )
        correction = Correction.objects.get()
        change = reverse("admin:articles_correction_change", args=[correction.pk])
        self.client.post(
            change, {"article": self.article.pk, "kind": "note", "text": "Khác"}
        )
        correction.refresh_from_db()
        self.assertEqual(correction.text, "Sửa tên người.")

    def test_a_draft_cannot_be_corrected(self):
        draft = ArticleFactory(status=S.DRAFT, published_at=None)
        self.client.force_login(self.chief)
        response = self.client.post(
            self.add_url, {"article": draft.pk, "kind": "note", "text": "Sửa."}
        )
        self.assertContains(response, "Chỉ đính chính được bài đã xuất bản.")


class PreviewTests(NewsroomTestCase):
    def setUp(self):
        self.draft = ArticleFactory(
            title="Bản nháp xem trước",
            status=S.DRAFT,
            published_at=None,
            body="<p>Nội dung nháp.</p>",
        )

    def test_a_signed_link_shows_the_draft_as_readers_would_see_it(self):
        response = self.client.get(self.draft.get_preview_url())
        self.assertContains(response, "Bản nháp xem trước")
        self.assertContains(response, "Nội dung nháp.")
        self.assertContains(response, 'class="story__body"')
        self.assertEqual(response["X-Robots-Tag"], "noindex, nofollow")
        self.assertIn("no-store", response["Cache-Control"])
        # It is still not public.
        self.assertEqual(
            self.client.get(self.draft.get_absolute_url()).status_code, 404
        )
        self.assertNotContains(self.client.get(reverse("articles:home")), "Bản nháp")

    def test_a_tampered_link_is_a_404(self):
        url = self.draft.get_preview_url()
        other = ArticleFactory(status=S.DRAFT, published_at=None)
        forged = url.replace(f"/{self.draft.pk}:", f"/{other.pk}:")
        self.assertEqual(self.client.get(forged).status_code, 404)

    def test_the_link_expires(self):
        url = self.draft.get_preview_url()
        later = timezone.now() + timedelta(days=3)
        with mock.patch.object(signing.time, "time", return_value=later.timestamp()):
            response = self.client.get(url)
        self.assertContains(response, "đã hết hạn", status_code=403)
