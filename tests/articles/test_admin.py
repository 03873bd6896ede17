from django.urls import reverse

from articles.models import Article
from articles.services import article_transition
from paper.models import SiteSettings
from tests.base import NewsroomTestCase, assert_in_order
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    PhotoFactory,
    SectionFactory,
)


def _inline_management(prefix: str, total: int) -> dict:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


class ArticleAdminTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(self.editor)
        self.section = SectionFactory(name="Chính trị", slug="chinh-tri")
        self.contributor = ContributorFactory(name="Thu Huyền")
        self.photo = PhotoFactory(
            caption="Trao bằng khen cho các tập thể tiêu biểu",
            alt_text="Lãnh đạo tỉnh trao bằng khen cho đại diện các tập thể",
        )

    def _form(self, **changes) -> dict:
        data = {
            "title": "Tổng kết Năm dân vận chính quyền 2026",
            "slug": "",
            "kind": "news",
            "section": self.section.pk,
            "lead": "DXO – Ngày 18-2-2026, UBND tỉnh tổng kết Năm dân vận chính quyền.",
            "body": "<p>Đoạn một.</p><p>Đoạn hai <script>x()</script>.</p>",
            "tags": "dân vận, Bến Tre",
            "lead_photo": self.photo.pk,
            "lead_photo_caption": "",
            "source_name": "Baodongkhoi.vn",
            "source_url": "",
            "status": "published",
            "published_at_0": "",
            "published_at_1": "",
            "is_commentable": "on",
            **_inline_management("credits", 1),
            "credits-0-contributor": self.contributor.pk,
            "credits-0-roles": ["text", "photo"],
            "credits-0-order": "0",
            **_inline_management("body_photos", 0),
            **_inline_management("body_videos", 0),
            **_inline_management("gallery_photos", 0),
        }
        data.update(changes)
        return data

    def test_an_editor_creates_a_complete_article_that_readers_can_open(self):
        # The editor files it for review in the same save; an editor approves
        # and the chief editor publishes (the admin path is in test_workflow).
        response = self.client.post(
            reverse("admin:articles_article_add"), self._form(_transition="submit")
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        article = Article.objects.get()
        self.assertEqual(article.status, Article.Status.IN_REVIEW)
        article_transition(article=article, name="approve", by=self.editor)
        article_transition(article=article, name="publish", by=self.chief)
        self.assertEqual(article.slug, "tong-ket-nam-dan-van-chinh-quyen-2026")
        self.assertEqual(article.created_by, self.editor)
        self.assertNotIn("<script", article.body)
        self.assertEqual(
            sorted(t.name for t in article.tags.all()), ["Bến Tre", "dân vận"]
        )

        SiteSettings.objects.filter(pk=1).update(
            advertising_contact="Quảng cáo: 0906 000 000", tip_hotline="0909 111 222"
        )
        page = self.client.get(article.get_absolute_url()).content.decode()
        assert_in_order(
            self,
            page,
            [
                "Tổng kết Năm dân vận chính quyền 2026",
                "DXO – Ngày 18-2-2026, UBND tỉnh tổng kết",
                'alt="Lãnh đạo tỉnh trao bằng khen cho đại diện các tập thể"',
                "Trao bằng khen cho các tập thể tiêu biểu",
                "<p>Đoạn một.</p>",
                "Tin, ảnh: Thu Huyền",
                "Nguồn: Baodongkhoi.vn",
                ">Bình luận<",
                ">Họ tên<",
                ">Email<",
                "0909 111 222",
                "Quảng cáo: 0906 000 000",
            ],
        )

    def test_a_credit_without_a_role_is_refused_and_nothing_is_saved(self):
        response = self.client.post(
            reverse("admin:articles_article_add"), self._form(**{"credits-0-roles": []})
        )
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Chọn ít nhất một vai trò.")
        self.assertFalse(Article.objects.exists())

    def test_publishing_an_empty_article_is_refused(self):
        self.client.force_login(self.chief)
        response = self.client.post(
            reverse("admin:articles_article_add"),
            self._form(body="<p></p>", _transition="publish"),
        )
        self.assertContains(response, "Bài xuất bản phải có nội dung.")
        self.assertFalse(Article.objects.exists())

    def test_the_list_shows_section_status_date_and_authors(self):
        ArticleFactory(title="Bài có tác giả", section=self.section)
        response = self.client.get(reverse("admin:articles_article_changelist"))
        self.assertContains(response, "Bài có tác giả")
        self.assertContains(response, "Chính trị")
        self.assertContains(response, "Đã xuất bản")

    def test_the_editor_page_loads_the_rich_text_editor(self):
        response = self.client.get(reverse("admin:articles_article_add"))
        html = response.content.decode()
        self.assertIn("django_prose_editor/editor.js", html)
        # The Vietnamese slug prefill must replace Django's URLify, so it loads later.
        self.assertLess(html.index("admin/js/urlify.js"), html.index("urlify_vi.js"))

    def test_the_publish_action_goes_through_the_rules(self):
        self.client.force_login(self.chief)
        ready = ArticleFactory(status="draft", published_at=None)
        empty = ArticleFactory(status="draft", published_at=None, body="")
        self.client.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [ready.pk, empty.pk]},
        )
        ready.refresh_from_db()
        empty.refresh_from_db()
        self.assertEqual(ready.status, "published")
        self.assertEqual(empty.status, "draft")
