import re
from collections import Counter
from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ReadCount
from articles.reading import read_count_add, read_counts_flush
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, SectionFactory

Placement = Article.HomePlacement


def _article_links(html: str) -> list[str]:
    """Every link to an article in the page's main content."""
    main = html[html.index("<main") : html.index("</main>")]
    return re.findall(r'href="(/[a-z0-9-]+-\d+\.html)"', main)


class HomeCurationTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        now = timezone.now()
        cls.news = SectionFactory(name="Thời sự", slug="thoi-su", home_order=2)
        cls.sport = SectionFactory(name="Thể thao", slug="the-thao", home_order=1)
        cls.hidden_section = SectionFactory(
            name="Rao vặt", slug="rao-vat", is_on_home=False
        )
        cls.articles = [
            ArticleFactory(
                title=f"Tin thời sự {i}",
                section=cls.news if i % 2 else cls.sport,
                published_at=now - timedelta(minutes=10 * i),
            )
            for i in range(24)
        ]
        cls.lead = ArticleFactory(
            title="Tin chính hôm nay",
            section=cls.news,
            home_placement=Placement.LEAD,
            published_at=now - timedelta(days=3),
        )
        cls.featured = ArticleFactory(
            title="Tin nổi bật được ghim",
            section=cls.sport,
            home_placement=Placement.FEATURED,
        )
        cls.breaking = ArticleFactory(
            title="Bão số 9 đổ bộ",
            section=cls.news,
            is_breaking=True,
            breaking_until=now + timedelta(hours=2),
        )
        cls.expired = ArticleFactory(
            title="Tin nóng đã hết hạn",
            section=cls.news,
            is_breaking=True,
            breaking_until=now - timedelta(minutes=1),
            published_at=now - timedelta(days=9),
        )
        cls.classified = ArticleFactory(
            title="Rao vặt riêng", section=cls.hidden_section
        )
        cls.draft_lead = ArticleFactory(
            title="Bản nháp ghim",
            home_placement=Placement.LEAD,
            status=Article.Status.DRAFT,
            published_at=None,
        )
        # "Đọc nhiều": one article read today, one read earlier this week.
        hour = now.replace(minute=0, second=0, microsecond=0)
        ReadCount.objects.create(article=cls.articles[20], hour=hour, views=90)
        ReadCount.objects.create(
            article=cls.articles[22], hour=hour - timedelta(days=3), views=500
        )

    def test_no_article_appears_twice_on_the_home_page(self):
        html = self.client.get(reverse("articles:home")).content.decode()
        links = _article_links(html)
        self.assertGreater(len(links), 20)
        repeated = [url for url, n in Counter(links).items() if n > 1]
        self.assertEqual(repeated, [])

    def test_the_pinned_lead_and_featured_stories_lead_the_page(self):
        html = self.client.get(reverse("articles:home")).content.decode()
        links = _article_links(html)
        # The banner, then the lead, then the latest column, then featured.
        self.assertEqual(links[0], self.breaking.get_absolute_url())
        self.assertEqual(links[1], self.lead.get_absolute_url())
        self.assertLess(
            links.index(self.lead.get_absolute_url()),
            links.index(self.featured.get_absolute_url()),
        )
        self.assertNotIn("Bản nháp ghim", html)

    def test_the_breaking_banner_shows_until_its_expiry(self):
        response = self.client.get(reverse("articles:home"))
        self.assertContains(response, 'class="breaking"')
        self.assertContains(response, "Bão số 9 đổ bộ")
        self.assertNotContains(response, "Tin nóng đã hết hạn")
        expired = self.breaking.breaking_until + timedelta(seconds=1)
        with mock.patch("django.utils.timezone.now", return_value=expired):
            response = self.client.get(reverse("articles:home"))
        self.assertNotContains(response, 'class="breaking"')

    def test_section_blocks_follow_the_editors_order_and_choice(self):
        html = self.client.get(reverse("articles:home")).content.decode()
        self.assertLess(
            html.index('id="khoi-the-thao"'), html.index('id="khoi-thoi-su"')
        )
        self.assertNotIn('id="khoi-rao-vat"', html)

    def test_most_read_lists_the_day_and_the_week(self):
        html = self.client.get(reverse("articles:home")).content.decode()
        box = html[html.index('class="most-read"') :]
        self.assertIn("Trong 24 giờ", box)
        self.assertIn("Trong 7 ngày", box)
        self.assertLess(
            box.index(self.articles[20].title), box.index(self.articles[22].title)
        )

    def test_the_home_page_costs_seven_queries_with_everything_on_it(self):
        with self.assertPageQueries(7):
            self.client.get(reverse("articles:home"))

    def test_breaking_news_needs_an_expiry(self):
        article = ArticleFactory.build(
            section=self.news, is_breaking=True, breaking_until=None
        )
        with self.assertRaisesMessage(Exception, "Tin nóng cần thời hạn"):
            article.full_clean()


class ReadCountTests(NewsroomTestCase):
    def setUp(self):
        cache.clear()
        # Hold the flush lock so the beacon only counts, as between two flushes.
        cache.add("doc:flush-lock", 1, 600)

    def test_the_beacon_counts_in_the_cache_without_touching_the_database(self):
        article = ArticleFactory()
        url = reverse("articles:read_beacon", kwargs={"pk": article.pk})
        with self.assertPageQueries(0):
            for _ in range(3):
                self.assertEqual(self.client.post(url).status_code, 204)
        self.assertFalse(ReadCount.objects.exists())
        self.assertEqual(self.client.get(url).status_code, 405)

    def test_a_flush_writes_sums_in_bulk_and_can_run_again(self):
        first, second = ArticleFactory(), ArticleFactory()
        for _ in range(5):
            read_count_add(article_id=first.pk)
        read_count_add(article_id=second.pk)
        read_count_add(article_id=999_999)  # no such article: dropped
        self.assertEqual(read_counts_flush(), 6)
        self.assertEqual(read_counts_flush(), 0)
        read_count_add(article_id=first.pk)
        call_command("flush_read_counts", stdout=open("/dev/null", "w"))  # noqa: SIM115
        views = dict(ReadCount.objects.values_list("article_id", "views"))
        self.assertEqual(views, {first.pk: 6, second.pk: 1})

    def test_the_beacon_flushes_at_most_once_a_minute(self):
        article = ArticleFactory()
        url = reverse("articles:read_beacon", kwargs={"pk": article.pk})
        self.client.post(url)
        cache.delete("doc:flush-lock")
        self.client.post(url)
        self.client.post(url)  # lock taken again: counted, not yet flushed
        self.assertEqual(ReadCount.objects.get().views, 2)

    def test_made_up_ids_cannot_grow_the_cache_without_end(self):
        from articles import reading

        original = reading.MAX_ARTICLES_PER_HOUR
        reading.MAX_ARTICLES_PER_HOUR = 3
        try:
            for pk in range(100, 110):
                read_count_add(article_id=pk)
            bucket = reading._bucket(reading._hour(timezone.now()))
            self.assertEqual(cache.get(f"{bucket}:slot:3"), 102)
            self.assertIsNone(cache.get(f"{bucket}:slot:4"))
            self.assertEqual(read_counts_flush(), 0)  # none of them exist
        finally:
            reading.MAX_ARTICLES_PER_HOUR = original
