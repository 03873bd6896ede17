import re
from datetime import datetime, timedelta

from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.base import (
    ARTICLE_PAGE_QUERIES,
    HOME_PAGE_QUERIES,
    NewsroomTestCase,
    assert_in_order,
)
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    CommentFactory,
    ContributorFactory,
    CreditFactory,
    GalleryPhotoFactory,
    PhotoFactory,
    SectionFactory,
)


def _rich_article(section, n: int, **kwargs):
    """An article with n tags, credits, approved comments, body and gallery photos."""
    kwargs.setdefault("tags", [f"Từ khóa {i}" for i in range(n)])
    article = ArticleFactory(section=section, lead_photo=PhotoFactory(), **kwargs)
    for i in range(n):
        CreditFactory(
            article=article, roles=["text"] if i else ["text", "photo"], order=i
        )
        CommentFactory(article=article)
        ArticlePhotoFactory(article=article, after_paragraph=i)
        GalleryPhotoFactory(article=article, order=i)
    return article


class PublicPageQueryTests(NewsroomTestCase):
    """Every public page runs a fixed number of queries, whatever it shows."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.parent = SectionFactory(name="Kinh tế", slug="kinh-te")
        cls.child = SectionFactory(
            name="Nông nghiệp", slug="nong-nghiep", parent=cls.parent
        )
        cls.contributor = ContributorFactory(slug="thu-huyen")
        cls.small = _rich_article(cls.parent, 1)
        cls.large = _rich_article(cls.child, 5)
        for _ in range(6):
            article = _rich_article(cls.child, 2, tags=["Bến Tre"])
            CreditFactory(article=article, contributor=cls.contributor, order=9)

    def _count(self, url: str, expected: int):
        with self.assertPageQueries(expected):
            response = self.client.get(url)
        self.assertEqual(response.status_code, 200)

    def test_the_article_page_costs_the_same_with_one_or_many_related_items(self):
        for article in (self.small, self.large):
            self._count(article.get_absolute_url(), ARTICLE_PAGE_QUERIES)
            # The second reader is served the kept page.
            self._count(article.get_absolute_url(), 0)

    def test_the_home_page_query_count_is_pinned(self):
        # site settings, navigation, pinned and breaking stories, most read in
        # 24 hours, most read in 7 days, latest, latest per section (with
        # their sections): curation and "Đọc nhiều" need three more queries.
        self._count(reverse("articles:home"), HOME_PAGE_QUERIES)

    def test_listing_pages_query_counts_are_pinned(self):
        # site settings, navigation, the subject, page (a listing is not
        # counted: articles/paging.py)
        self._count(self.parent.get_absolute_url(), 4)
        self._count(self.child.get_absolute_url(), 4)
        self._count(reverse("articles:tag", kwargs={"slug": "ben-tre"}), 4)
        self._count(self.contributor.get_absolute_url(), 4)


class ArticlePageTests(NewsroomTestCase):
    def test_it_prints_every_part_of_the_article_in_reading_order(self):
        section = SectionFactory(name="Chính trị", slug="chinh-tri")
        photo = PhotoFactory(
            caption="Chủ tịch UBND tỉnh trao bằng khen cho các tập thể",
            alt_text="Lãnh đạo tỉnh trao bằng khen trên sân khấu hội trường",
        )
        article = ArticleFactory(
            title="Tổng kết năm dân vận khéo",
            section=section,
            lead="DXO – Ngày 18-2-2026, hội nghị tổng kết công tác dân vận.",
            body="<p>Đoạn mở đầu thân bài.</p><p>Đoạn kết thân bài.</p>",
            lead_photo=photo,
            source_name="Baodongkhoi.vn",
            published_at=timezone.make_aware(datetime(2026, 2, 17, 10, 30)),
            tags=["dân vận"],
        )
        CreditFactory(
            article=article,
            contributor=ContributorFactory(name="Thu Huyền"),
            roles=["text", "photo"],
        )
        html = self.client.get(article.get_absolute_url()).content.decode()
        parts = [
            'class="breadcrumb"',
            "Tổng kết năm dân vận khéo",
            "Thứ Ba, 17/02/2026 10:30",
            "DXO – Ngày 18-2-2026",
            'alt="Lãnh đạo tỉnh trao bằng khen trên sân khấu hội trường"',
            "Chủ tịch UBND tỉnh trao bằng khen cho các tập thể",
            "Đoạn mở đầu thân bài.",
            "Đoạn kết thân bài.",
            "Tin, ảnh: Thu Huyền",
            "Nguồn:",
            "Baodongkhoi.vn",
            "dân vận",
            'id="binh-luan"',
            "Bình luận",
            "Họ tên",
            "Email",
            'class="site-footer"',
        ]
        assert_in_order(self, html, parts)

    def test_body_photos_stand_between_paragraphs_with_caption_and_credit(self):
        article = ArticleFactory(body="<p>Một.</p><p>Hai.</p><p>Ba.</p>")
        photo = PhotoFactory(
            caption="Cầu Rạch Miễu 2 nhìn từ trên cao",
            photographer=ContributorFactory(name="Hữu Hiệp"),
        )
        ArticlePhotoFactory(article=article, photo=photo, after_paragraph=2)
        html = self.client.get(article.get_absolute_url()).content.decode()
        self.assertRegex(
            html,
            re.compile(
                r"<p>Hai\.</p>\s*<figure.*Cầu Rạch Miễu 2 nhìn từ trên cao.*"
                r"Ảnh: Hữu Hiệp.*</figure>\s*<p>Ba\.</p>",
                re.DOTALL,
            ),
        )

    def test_a_use_of_a_photo_may_override_its_caption(self):
        article = ArticleFactory()
        ArticlePhotoFactory(
            article=article,
            photo=PhotoFactory(caption="Chú thích gốc"),
            caption="Chú thích riêng",
        )
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "Chú thích riêng")
        self.assertNotContains(response, "Chú thích gốc")

    def test_an_unknown_page_number_is_a_404(self):
        section = SectionFactory()
        ArticleFactory(section=section)
        self.assertEqual(
            self.client.get(section.get_absolute_url() + "?trang=9").status_code, 404
        )
        for number in ("abc", "0", "-1", "1.5", "99999999999999999999"):
            with self.subTest(trang=number):
                self.assertEqual(
                    self.client.get(
                        section.get_absolute_url(), {"trang": number}
                    ).status_code,
                    404,
                )

    @override_settings(ARTICLES_PER_PAGE=2)
    def test_a_listing_pages_forward_and_back_without_counting(self):
        section = SectionFactory()
        titles = [f"Bài số {n}" for n in range(5)]
        for n, title in enumerate(titles):
            ArticleFactory(
                section=section,
                title=title,
                published_at=timezone.now() - timedelta(minutes=10 - n),
            )
        url = section.get_absolute_url()
        first = self.client.get(url)
        self.assertContains(first, "Trang 1</span>")
        self.assertContains(first, 'rel="next" href="?trang=2"')
        self.assertNotContains(first, 'rel="prev"')
        middle = self.client.get(url, {"trang": 2})
        self.assertContains(middle, 'rel="prev" href="?trang=1"')
        self.assertContains(middle, 'rel="next" href="?trang=3"')
        self.assertContains(middle, titles[2])
        self.assertNotContains(middle, titles[4])
        last = self.client.get(url, {"trang": 3})
        self.assertContains(last, titles[0])
        self.assertNotContains(last, 'rel="next"')
        self.assertEqual(self.client.get(url, {"trang": 4}).status_code, 404)

    def test_section_pages_include_their_subsections(self):
        parent = SectionFactory(name="Kinh tế")
        child = SectionFactory(name="Nông nghiệp", parent=parent)
        article = ArticleFactory(section=child, title="Giá dừa khô tăng mạnh")
        self.assertContains(self.client.get(parent.get_absolute_url()), article.title)
