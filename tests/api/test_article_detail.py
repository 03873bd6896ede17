"""/api/v1/articles/<id or slug>/: one article as its page prints it, under
the page's visibility rule."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article, Correction
from articles.services import article_transition, correction_publish
from tests.base import NewsroomTestCase
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    ContributorFactory,
    CreditFactory,
    GalleryPhotoFactory,
    PhotoFactory,
    SectionFactory,
)

S = Article.Status


def detail(pk_or_slug) -> str:
    return f"/api/v1/articles/{pk_or_slug}/"


class ArticleDetailTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(name="Thời sự", slug="thoi-su")
        cls.article = ArticleFactory(
            title="Cầu Rạch Miễu 2 hợp long",
            section=cls.section,
            lead="DXO – Sáng nay, cầu Rạch Miễu 2 hợp long nhịp chính.",
            body=(
                "<p>Đoạn một.</p><script>alert(1)</script>"
                '<p onclick="x()">Đoạn <a href="javascript:x()">hai</a>.</p>'
                "<h2>Tiến độ</h2><p>Đoạn ba.</p>"
            ),
            source_name="Baodongkhoi.vn",
            source_url="https://baodongkhoi.vn/cau",
            tags=["cầu Rạch Miễu"],
            lead_photo=PhotoFactory(make_renditions=True, caption="Nhịp chính"),
        )
        cls.writer = ContributorFactory(name="Thu Huyền", slug="thu-huyen")
        CreditFactory(
            article=cls.article, contributor=cls.writer, roles=["text", "photo"]
        )
        ArticlePhotoFactory(
            article=cls.article,
            photo=PhotoFactory(caption="Công nhân trên trụ", alt_text="Hai công nhân"),
            after_paragraph=2,
            caption="Công nhân làm việc trên trụ tháp",
        )
        for order in (2, 1):
            GalleryPhotoFactory(
                article=cls.article,
                photo=PhotoFactory(caption=f"Ảnh phóng sự {order}"),
                order=order,
            )

    def test_it_prints_what_the_article_page_prints(self):
        data = self.client.get(detail(self.article.pk)).json()
        self.assertEqual(data["title"], "Cầu Rạch Miễu 2 hợp long")
        self.assertEqual(data["lead"], self.article.lead)
        self.assertEqual(data["byline"], "Tin, ảnh: Thu Huyền")
        self.assertEqual(data["credits"][0]["roles"], ["text", "photo"])
        self.assertEqual(
            data["source"],
            {"name": "Baodongkhoi.vn", "url": "https://baodongkhoi.vn/cau"},
        )
        self.assertEqual([t["name"] for t in data["tags"]], ["cầu Rạch Miễu"])
        self.assertEqual(data["lead_photo"]["caption"], "Nhịp chính")
        [placed] = data["body_photos"]
        self.assertEqual(placed["caption"], "Công nhân làm việc trên trụ tháp")
        self.assertEqual(placed["alt"], "Hai công nhân")
        self.assertEqual(placed["after_paragraph"], 2)
        self.assertEqual(
            [photo["caption"] for photo in data["gallery"]],
            ["Ảnh phóng sự 1", "Ảnh phóng sự 2"],
        )
        self.assertTrue(data["published_at"].endswith("+07:00"))
        self.assertTrue(data["updated_at"].endswith("+07:00"))
        self.assertEqual(data["corrections"], [])

    def test_the_body_is_the_sanitised_body_the_page_prints(self):
        body = self.client.get(detail(self.article.pk)).json()["body_html"]
        self.assertEqual(body, Article.objects.get(pk=self.article.pk).body)
        self.assertIn("<h2>Tiến độ</h2>", body)
        for hostile in ("<script", "onclick", "javascript:"):
            self.assertNotIn(hostile, body)
        self.assertContains(
            self.client.get(self.article.get_absolute_url()), "Đoạn ba."
        )

    def test_it_is_found_by_id_or_by_slug_and_a_slug_gives_the_newest(self):
        by_id = self.client.get(detail(self.article.pk)).json()
        by_slug = self.client.get(detail(self.article.slug)).json()
        self.assertEqual(by_id, by_slug)
        with self.committed():
            newer = ArticleFactory(title=self.article.title, section=self.section)
        self.assertEqual(
            self.client.get(detail(self.article.slug)).json()["id"], newer.pk
        )
        self.assertEqual(self.client.get(detail("khong-co-bai")).status_code, 404)
        self.assertEqual(self.client.get(detail(10**30)).status_code, 404)

    def test_corrections_are_listed_with_the_standalone_ones_linked(self):
        correction_publish(
            correction=Correction(
                article=self.article,
                kind=Correction.Kind.LEGAL,
                text="Báo xin cải chính.",
                false_content="Nhịp chính dài 200 m.",
                corrected_content="Nhịp chính dài 270 m.",
                is_standalone=True,
            ),
            by=self.chief,
        )
        [correction] = self.client.get(detail(self.article.pk)).json()["corrections"]
        self.assertEqual(correction["kind"], "legal")
        self.assertEqual(correction["label"], "Thông tin cải chính, xin lỗi")
        self.assertEqual(correction["corrected_content"], "Nhịp chính dài 270 m.")
        self.assertTrue(correction["url"].startswith("http://testserver/cai-chinh/"))

    def test_its_query_count_is_pinned(self):
        # The article with section and lead photo; credits, body photos, photo
        # story, body videos, tags, corrections: the article page's
        # prefetches, no more.
        with self.assertPageQueries(7):
            response = self.client.get(detail(self.article.pk))
        self.assertEqual(response.status_code, 200)
        with self.assertPageQueries(7):
            self.client.get(detail(self.article.slug))


class ArticleVisibilityTests(NewsroomTestCase):
    """The visibility rule of the pages, in the API: each hidden state is a 404
    on the detail and absent from the list; a taken-down article is a 410."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        cls.visible = ArticleFactory(title="Bài bạn đọc thấy")
        cls.hidden = {
            "draft": ArticleFactory(status=S.DRAFT, published_at=None),
            "in review": ArticleFactory(status=S.IN_REVIEW, published_at=None),
            "approved": ArticleFactory(status=S.APPROVED, published_at=None),
            "scheduled, not yet": ArticleFactory(
                status=S.SCHEDULED, published_at=now + timedelta(hours=2)
            ),
            "embargoed": ArticleFactory(embargo_until=now + timedelta(hours=2)),
            "unpublished": ArticleFactory(status=S.UNPUBLISHED),
        }
        cls.due = ArticleFactory(
            title="Bài hẹn giờ đã đến",
            status=S.SCHEDULED,
            published_at=now - timedelta(minutes=1),
        )
        cls.embargo_over = ArticleFactory(
            title="Hết cấm đăng", embargo_until=now - timedelta(minutes=1)
        )

    def listed(self) -> set[int]:
        return {
            item["id"] for item in self.client.get("/api/v1/articles/").json()["items"]
        }

    def test_hidden_articles_are_404_by_id_and_by_slug_and_never_listed(self):
        listed = self.listed()
        for state, article in self.hidden.items():
            with self.subTest(state):
                for ref in (article.pk, article.slug):
                    response = self.client.get(detail(ref))
                    self.assertEqual(response.status_code, 404)
                    self.assertEqual(
                        response.json(),
                        {"detail": "Không có bài viết này, hoặc bài chưa được đăng."},
                    )
                self.assertNotIn(article.pk, listed)

    def test_a_scheduled_article_whose_time_came_and_an_ended_embargo_show(self):
        listed = self.listed()
        for article in (self.visible, self.due, self.embargo_over):
            self.assertEqual(self.client.get(detail(article.pk)).status_code, 200)
            self.assertIn(article.pk, listed)

    def test_a_taken_down_article_is_gone_like_its_page(self):
        article = ArticleFactory(title="Bài sai sự thật", slug="bai-sai-su-that")
        correction = correction_publish(
            correction=Correction(
                article=article,
                text="Cải chính.",
                false_content="a",
                corrected_content="b",
                kind="legal",
                is_standalone=True,
            ),
            by=self.chief,
        )
        with self.committed():
            article_transition(
                article=article, name="take_down", by=self.chief, note="Sai sự thật"
            )
        self.assertEqual(self.client.get(article.get_absolute_url()).status_code, 410)
        for ref in (article.pk, "bai-sai-su-that"):
            response = self.client.get(detail(ref))
            self.assertEqual(response.status_code, 410)
            self.assertEqual(response.json()["detail"], "Bài viết đã bị thu hồi.")
            self.assertEqual(
                response.json()["corrections"],
                [f"http://testserver{correction.get_absolute_url()}"],
            )
            self.assertNotIn(article.title, response.content.decode())
        self.assertNotIn(article.pk, self.listed())
