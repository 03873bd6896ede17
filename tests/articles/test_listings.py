from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, SectionFactory


def _at(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


class ArchiveTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        # 23:30 and 00:30 in Vietnam: the day boundary is the paper's, not UTC's.
        cls.late = ArticleFactory(
            title="Tin đêm 16", published_at=_at(2026, 2, 16, 23, 30)
        )
        cls.early = ArticleFactory(
            title="Tin sáng 17", published_at=_at(2026, 2, 17, 0, 30)
        )
        cls.march = ArticleFactory(
            title="Tin tháng ba", published_at=_at(2026, 3, 1, 8)
        )
        ArticleFactory(
            title="Nháp ngày 17",
            published_at=_at(2026, 2, 17, 9),
            status=Article.Status.DRAFT,
        )

    def test_a_day_lists_that_days_published_articles(self):
        url = reverse(
            "articles:archive_day", kwargs={"year": 2026, "month": 2, "day": 17}
        )
        response = self.client.get(url)
        self.assertContains(response, "Tin sáng 17")
        self.assertNotContains(response, "Tin đêm 16")
        self.assertNotContains(response, "Nháp ngày 17")
        self.assertContains(response, "Tin ngày 17/02/2026")

    def test_a_month_lists_the_month(self):
        url = reverse("articles:archive_month", kwargs={"year": 2026, "month": 2})
        response = self.client.get(url)
        self.assertContains(response, "Tin đêm 16")
        self.assertContains(response, "Tin sáng 17")
        self.assertNotContains(response, "Tin tháng ba")
        december = reverse("articles:archive_month", kwargs={"year": 2025, "month": 12})
        self.assertEqual(self.client.get(december).status_code, 200)

    def test_impossible_dates_are_404_and_the_picker_redirects(self):
        self.assertEqual(self.client.get("/luu-tru/2026/2/30/").status_code, 404)
        self.assertEqual(self.client.get("/luu-tru/2026/13/").status_code, 404)
        for far in ("/luu-tru/9999/12/31/", "/luu-tru/99999999999999999999/1/1/"):
            self.assertEqual(self.client.get(far).status_code, 404)
        response = self.client.get("/luu-tru/", {"ngay": "2026-02-17"})
        self.assertRedirects(response, "/luu-tru/2026/2/17/")
        response = self.client.get("/luu-tru/", {"ngay": "không phải ngày"})
        self.assertEqual(response.status_code, 302)

    def test_archive_query_counts_are_pinned(self):
        # site settings, navigation, page (not counted: articles/paging.py)
        with self.assertPageQueries(3):
            self.client.get("/luu-tru/2026/2/")
        with self.assertPageQueries(3):
            self.client.get("/luu-tru/2026/2/17/")


class SectionTreeTests(NewsroomTestCase):
    def test_a_section_page_shows_its_subsections_and_breadcrumbs(self):
        economy = SectionFactory(name="Kinh tế", slug="kinh-te")
        SectionFactory(name="Nông nghiệp", slug="nong-nghiep", parent=economy)
        SectionFactory(name="Du lịch", slug="du-lich", parent=economy)
        response = self.client.get("/chuyen-muc/nong-nghiep/")
        html = response.content.decode()
        sub_nav = html[html.index('class="subsections-nav"') :]
        self.assertIn('href="/chuyen-muc/du-lich/"', sub_nav)
        self.assertIn('href="/chuyen-muc/nong-nghiep/" aria-current="page"', sub_nav)
        self.assertContains(
            response, '<a href="/chuyen-muc/kinh-te/" aria-current="page">'
        )
        self.assertContains(response, 'href="/rss/nong-nghiep.rss"')


class RelatedArticleTests(NewsroomTestCase):
    def test_editor_picks_come_first_then_shared_tags_then_the_section(self):
        section, other = SectionFactory(), SectionFactory()
        article = ArticleFactory(section=section, tags=["Bến Tre", "dừa"])
        same_section = ArticleFactory(section=section, title="Cùng chuyên mục")
        one_tag = ArticleFactory(section=other, title="Một từ khóa", tags=["dừa"])
        two_tags = ArticleFactory(
            section=other, title="Hai từ khóa", tags=["dừa", "Bến Tre"]
        )
        picked = ArticleFactory(
            section=other, title="Biên tập chọn", published_at=_at(2020, 1, 1)
        )
        ArticleFactory(section=other, title="Không liên quan")
        draft = ArticleFactory(
            section=section, status=Article.Status.DRAFT, published_at=None
        )
        article.related_articles.set([picked, draft])
        related = list(
            Article.objects.published().related_to(
                Article.objects.for_detail().get(pk=article.pk)
            )
        )
        self.assertEqual(related, [picked, two_tags, one_tag, same_section])
        response = self.client.get(article.get_absolute_url())
        self.assertContains(response, "Tin liên quan")
        self.assertContains(response, "Biên tập chọn")
        self.assertNotContains(response, "Không liên quan")
