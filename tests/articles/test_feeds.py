import json
import re
import xml.etree.ElementTree as ET  # our own pages, not untrusted XML
from datetime import timedelta
from unittest import mock

from django.core.files.storage import FileSystemStorage, default_storage
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from paper.models import SiteSettings
from tests.base import NewsroomTestCase
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    PhotoFactory,
    SectionFactory,
)

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


class _PaperWithHiddenArticles(NewsroomTestCase):
    """Published articles in two sections, and ones readers must never see."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        settings = SiteSettings.load()
        settings.name = "Báo Dừa Xanh"
        settings.save()
        cls.economy = SectionFactory(name="Kinh tế", slug="kinh-te")
        cls.farming = SectionFactory(
            name="Nông nghiệp", slug="nong-nghiep", parent=cls.economy
        )
        cls.politics = SectionFactory(name="Chính trị", slug="chinh-tri")
        cls.coconut = ArticleFactory(
            title="Giá dừa khô tăng",
            lead="Dừa & bưởi <đắt> hơn.",
            section=cls.farming,
            lead_photo=PhotoFactory(),
        )
        cls.meeting = ArticleFactory(title="Hội nghị dân vận", section=cls.politics)
        cls.old = ArticleFactory(
            title="Bài cũ năm trước",
            section=cls.politics,
            published_at=timezone.now() - timedelta(days=5),
        )
        cls.draft = ArticleFactory(
            title="Bản nháp", status=Article.Status.DRAFT, published_at=None
        )
        cls.future = ArticleFactory(
            title="Bài hẹn giờ", published_at=timezone.now() + timedelta(hours=3)
        )
        # Published, but under embargo for two more hours (issue 3's rule).
        cls.embargoed = ArticleFactory(
            title="Tin cấm đăng về cồn Phụng",
            section=cls.politics,
            embargo_until=timezone.now() + timedelta(hours=2),
        )
        cls.withdrawn = ArticleFactory(
            title="Tin thu hồi về cồn Phụng",
            section=cls.politics,
            status=Article.Status.TAKEN_DOWN,
        )
        cls.hidden = [cls.draft, cls.future, cls.embargoed, cls.withdrawn]


class FeedTests(_PaperWithHiddenArticles):
    def _items(self, url: str) -> list[ET.Element]:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn("application/rss+xml", response["Content-Type"])
        root = ET.fromstring(response.content)  # noqa: S314
        channel = root.find("channel")
        self.assertEqual(channel.findtext("language"), "vi")
        return channel.findall("item")

    def test_the_paper_feed_has_every_published_article_and_nothing_else(self):
        items = self._items(reverse("articles:feed"))
        titles = [item.findtext("title") for item in items]
        self.assertEqual(
            titles, ["Hội nghị dân vận", "Giá dừa khô tăng", "Bài cũ năm trước"]
        )
        coconut = items[1]
        # Feed readers render a description as HTML: the lead is escaped text.
        self.assertEqual(
            coconut.findtext("description"), "Dừa &amp; bưởi &lt;đắt&gt; hơn."
        )
        self.assertTrue(
            coconut.findtext("link").endswith(self.coconut.get_absolute_url())
        )
        self.assertTrue(coconut.findtext("pubDate"))
        enclosure = coconut.find("enclosure")
        self.assertTrue(enclosure.get("url").startswith("http://testserver/media/"))
        self.assertEqual(enclosure.get("type"), "image/jpeg")
        self.assertEqual(
            int(enclosure.get("length")),
            default_storage.size(self.coconut.lead_photo.image.name),
        )

    def test_the_feed_asks_the_media_storage_nothing(self):
        # The enclosure's length was noted at upload: on S3 each storage call
        # is a request (tests/paper/test_object_storage.py counts them there).
        refuse = mock.Mock(side_effect=AssertionError("the feed asked the storage"))
        with (
            mock.patch.object(FileSystemStorage, "size", refuse),
            mock.patch.object(FileSystemStorage, "exists", refuse),
            mock.patch.object(FileSystemStorage, "_open", refuse),
            mock.patch.object(FileSystemStorage, "path", refuse),
        ):
            response = self.client.get(reverse("articles:feed"))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "<enclosure")

    def test_a_section_feed_includes_its_subsections(self):
        items = self._items("/rss/kinh-te.rss")
        self.assertEqual([i.findtext("title") for i in items], ["Giá dừa khô tăng"])
        self.assertEqual(self.client.get("/rss/khong-co.rss").status_code, 404)

    def test_feed_query_counts_are_pinned(self):
        # site settings, the articles (with section and photo)
        with self.assertPageQueries(2):
            self.client.get(reverse("articles:feed"))
        # ... and the section
        with self.assertPageQueries(3):
            self.client.get("/rss/kinh-te.rss")


class SitemapTests(_PaperWithHiddenArticles):
    def _locs(self, url: str) -> list[str]:
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200)
        root = ET.fromstring(response.content)  # noqa: S314
        return [loc.text for loc in root.iterfind(".//sm:loc", NS)]

    def test_the_index_lists_sections_and_paginated_articles(self):
        locs = self._locs(reverse("articles:sitemap"))
        self.assertIn("http://testserver/sitemap-chuyen-muc.xml", locs)
        self.assertIn("http://testserver/sitemap-bai-viet.xml", locs)

    def test_the_article_sitemap_lists_only_what_readers_may_see(self):
        locs = self._locs("/sitemap-bai-viet.xml")
        expected = [self.meeting, self.coconut, self.old]
        self.assertCountEqual(
            locs, [f"http://testserver{a.get_absolute_url()}" for a in expected]
        )
        sections = self._locs("/sitemap-chuyen-muc.xml")
        self.assertIn("http://testserver/chuyen-muc/nong-nghiep/", sections)

    def test_large_archives_are_split_into_pages(self):
        from articles.sitemaps import ArticleSitemap

        original = ArticleSitemap.limit
        ArticleSitemap.limit = 2
        try:
            locs = self._locs(reverse("articles:sitemap"))
            second = self._locs("/sitemap-bai-viet.xml?p=2")
        finally:
            ArticleSitemap.limit = original
        self.assertIn("http://testserver/sitemap-bai-viet.xml?p=2", locs)
        self.assertEqual(len(second), 1)

    def test_the_news_sitemap_has_the_last_two_days_with_name_and_language(self):
        response = self.client.get(reverse("articles:news_sitemap"))
        root = ET.fromstring(response.content)  # noqa: S314
        urls = root.findall("sm:url", NS)
        self.assertEqual(
            [u.findtext("news:news/news:title", namespaces=NS) for u in urls],
            ["Hội nghị dân vận", "Giá dừa khô tăng"],
        )
        news = urls[0].find("news:news", NS)
        self.assertEqual(
            news.findtext("news:publication/news:name", namespaces=NS), "Báo Dừa Xanh"
        )
        self.assertEqual(
            news.findtext("news:publication/news:language", namespaces=NS), "vi"
        )
        self.assertTrue(news.findtext("news:publication_date", namespaces=NS))

    def test_robots_txt_points_to_both_sitemaps(self):
        response = self.client.get("/robots.txt")
        self.assertEqual(response["Content-Type"], "text/plain; charset=utf-8")
        body = response.content.decode()
        self.assertIn("Sitemap: http://testserver/sitemap.xml", body)
        self.assertIn("Sitemap: http://testserver/sitemap-news.xml", body)
        self.assertIn("Disallow: /quan-tri/", body)

    def test_sitemap_query_counts_are_pinned(self):
        for url, expected in (
            # sections count; articles count and latest change
            (reverse("articles:sitemap"), 3),
            ("/sitemap-bai-viet.xml", 2),  # count, page
            ("/sitemap-chuyen-muc.xml", 2),
            (reverse("articles:news_sitemap"), 2),  # site settings, articles
            ("/robots.txt", 0),
        ):
            with self.subTest(url=url), self.assertPageQueries(expected):
                self.assertEqual(self.client.get(url).status_code, 200)


class SharingTests(_PaperWithHiddenArticles):
    def test_json_ld_describes_the_news_article(self):
        CreditFactory(
            article=self.coconut,
            contributor=ContributorFactory(name="Thu Huyền", slug="thu-huyen"),
            order=0,
        )
        CreditFactory(
            article=self.coconut, contributor=ContributorFactory(name="Hữu Hiệp")
        )
        html = self.client.get(self.coconut.get_absolute_url()).content.decode()
        raw = re.search(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        ).group(1)
        self.assertNotIn("<", raw)  # "<đắt>" is escaped inside the script
        data = json.loads(raw)
        self.assertEqual(data["@type"], "NewsArticle")
        self.assertEqual(data["headline"], "Giá dừa khô tăng")
        self.assertEqual(data["description"], "Dừa & bưởi <đắt> hơn.")
        self.assertEqual(
            data["mainEntityOfPage"],
            f"http://testserver{self.coconut.get_absolute_url()}",
        )
        self.assertEqual([a["name"] for a in data["author"]], ["Thu Huyền", "Hữu Hiệp"])
        self.assertEqual(
            data["author"][0]["url"], "http://testserver/tac-gia/thu-huyen/"
        )
        self.assertEqual(data["publisher"]["name"], "Báo Dừa Xanh")
        self.assertTrue(data["publisher"]["logo"]["url"].endswith("/img/logo.png"))
        self.assertTrue(data["image"][0]["url"].startswith("http://testserver/media/"))
        self.assertEqual(data["image"][0]["width"], self.coconut.lead_photo.width)
        self.assertEqual(data["datePublished"], self.coconut.published_at.isoformat())
        self.assertGreaterEqual(data["dateModified"], data["datePublished"])

    def test_open_graph_and_twitter_tags_give_a_proper_preview(self):
        response = self.client.get(self.coconut.get_absolute_url())
        url = f"http://testserver{self.coconut.get_absolute_url()}"
        photo = self.coconut.lead_photo
        for tag in (
            '<meta property="og:type" content="article">',
            '<meta property="og:title" content="Giá dừa khô tăng">',
            '<meta property="og:description" '
            'content="Dừa &amp; bưởi &lt;đắt&gt; hơn.">',
            f'<meta property="og:url" content="{url}">',
            f'<meta property="og:image" content="http://testserver{photo.image.url}">',
            f'<meta property="og:image:width" content="{photo.width}">',
            '<meta property="og:site_name" content="Báo Dừa Xanh">',
            '<meta name="twitter:card" content="summary_large_image">',
            f'<link rel="canonical" href="{url}">',
        ):
            self.assertContains(response, tag, html=False)

    def test_the_preview_image_is_the_share_crop_when_there_is_one(self):
        photo = PhotoFactory(make_renditions=True)
        article = ArticleFactory(title="Có ảnh chia sẻ", lead_photo=photo)
        photo.refresh_from_db()
        url, width, height = photo.share_image
        self.assertIn("share-", url)
        html = self.client.get(article.get_absolute_url()).content.decode()
        self.assertIn(
            f'<meta property="og:image" content="http://testserver{url}">', html
        )
        self.assertIn(f'<meta property="og:image:width" content="{width}">', html)
        self.assertIn(f'<meta property="og:image:height" content="{height}">', html)
        self.assertIn(
            f'<meta name="twitter:image" content="http://testserver{url}">', html
        )


class EveryReaderSurfaceTests(_PaperWithHiddenArticles):
    """Drafts, scheduled, embargoed and withdrawn stories show nowhere."""

    def test_no_reader_surface_shows_a_hidden_story(self):
        today = timezone.localdate()
        urls = [
            reverse("articles:home"),
            self.politics.get_absolute_url(),
            reverse("articles:feed"),
            "/rss/chinh-tri.rss",
            "/sitemap-bai-viet.xml",
            reverse("articles:news_sitemap"),
            reverse("articles:search") + "?q=con+phung",
            reverse("articles:search") + "?q=ban+nhap",
            f"/luu-tru/{today.year}/{today.month}/{today.day}/",
            f"/luu-tru/{today.year}/{today.month}/",
        ]
        for url in urls:
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                html = response.content.decode()
                for article in self.hidden:
                    self.assertNotIn(article.title, html)
                    self.assertNotIn(article.get_absolute_url(), html)

    def test_a_story_appears_everywhere_once_its_embargo_passes(self):
        Article.objects.filter(pk=self.embargoed.pk).update(
            embargo_until=timezone.now() - timedelta(seconds=1)
        )
        for url in (
            reverse("articles:feed"),
            "/sitemap-bai-viet.xml",
            reverse("articles:search") + "?q=con+phung",
        ):
            with self.subTest(url=url):
                self.assertContains(
                    self.client.get(url), self.embargoed.get_absolute_url()
                )
