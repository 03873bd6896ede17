"""/api/v1/articles/: the published articles, newest first, filtered as the
reader's pages filter them, a page at a time by cursor."""

from datetime import datetime, timedelta

from django.core.files.storage import default_storage
from django.test import override_settings
from django.utils import timezone

from articles.models import Article
from tests.base import NewsroomTestCase
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    PhotoFactory,
    SectionFactory,
)

LIST = "/api/v1/articles/"


def local(*args) -> datetime:
    return timezone.make_aware(datetime(*args))


class ArticleListTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.economy = SectionFactory(name="Kinh tế", slug="kinh-te")
        cls.farming = SectionFactory(
            name="Nông nghiệp", slug="nong-nghiep", parent=cls.economy
        )
        cls.sport = SectionFactory(name="Thể thao", slug="the-thao")
        now = timezone.now()
        cls.coconut = ArticleFactory(
            title="Giá dừa khô tăng mạnh",
            section=cls.farming,
            published_at=now - timedelta(hours=3),
            tags=["dừa", "Bến Tre"],
        )
        cls.market = ArticleFactory(
            title="Chợ nổi Cái Bè đón khách",
            section=cls.economy,
            published_at=now - timedelta(hours=2),
            tags=["Bến Tre"],
        )
        cls.match = ArticleFactory(
            title="Đội bóng tỉnh thắng trận mở màn",
            section=cls.sport,
            published_at=now - timedelta(hours=1),
        )

    def items(self, query: str = "") -> list[dict]:
        response = self.client.get(f"{LIST}?{query}")
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()["items"]

    def titles(self, query: str = "") -> list[str]:
        return [item["title"] for item in self.items(query)]

    def test_it_lists_published_articles_newest_first(self):
        self.assertEqual(
            self.titles(),
            [self.match.title, self.market.title, self.coconut.title],
        )

    def test_a_section_takes_in_its_subsections_but_a_subsection_only_itself(self):
        self.assertEqual(
            self.titles("section=kinh-te"), [self.market.title, self.coconut.title]
        )
        self.assertEqual(self.titles("section=nong-nghiep"), [self.coconut.title])

    def test_it_filters_by_tag_and_by_contributor(self):
        self.assertEqual(self.titles("tag=dua"), [self.coconut.title])
        self.assertEqual(
            self.titles("tag=ben-tre"), [self.market.title, self.coconut.title]
        )
        huyen = ContributorFactory(name="Thu Huyền", slug="thu-huyen")
        CreditFactory(article=self.match, contributor=huyen)
        self.assertEqual(self.titles("contributor=thu-huyen"), [self.match.title])
        self.assertEqual(
            self.titles("tag=ben-tre&section=nong-nghiep"), [self.coconut.title]
        )

    def test_dates_are_days_of_the_papers_time_zone(self):
        # 00:30 on 2 March in Vietnam is still 1 March in UTC, and 23:30 on
        # 1 March in Vietnam is 16:30 UTC: each belongs to its Vietnamese day.
        early = ArticleFactory(
            title="Tin rạng sáng", published_at=local(2026, 3, 2, 0, 30)
        )
        late = ArticleFactory(
            title="Tin đêm khuya", published_at=local(2026, 3, 1, 23, 30)
        )
        self.assertEqual(self.titles("from=2026-03-02&to=2026-03-02"), [early.title])
        self.assertEqual(self.titles("from=2026-03-01&to=2026-03-01"), [late.title])
        self.assertEqual(
            self.titles("from=2026-03-01&to=2026-03-02"), [early.title, late.title]
        )
        self.assertEqual(self.titles("to=2026-03-01"), [late.title])

    def test_search_ignores_diacritics_as_the_search_page_does(self):
        # Every factory lead speaks of "công tác dân vận".
        self.assertEqual(len(self.titles("q=dan+van")), 3)
        mediation = ArticleFactory(
            title="Tổ hòa giải ở cơ sở làm tốt",
            lead="Cán bộ đến từng nhà.",
            body="<p>Nội dung.</p>",
        )
        ArticleFactory(title="Giải bóng hòa nhau", lead="Hai đội.", body="<p>x</p>")
        self.assertEqual(self.titles("q=hoa+giai"), [mediation.title])
        self.assertEqual(self.titles("q=H%C3%92A+GI%E1%BA%A2I"), [mediation.title])
        # A phrase, not two words anywhere.
        self.assertEqual(self.titles("q=giai+hoa"), [])
        self.assertEqual(self.titles("q=hoa+giai&section=the-thao"), [])

    def test_an_item_says_what_the_article_page_says(self):
        photo = PhotoFactory(
            make_renditions=True,
            caption="Thương lái cân dừa",
            alt_text="Người đàn ông cân dừa khô",
            photographer=ContributorFactory(name="Hữu Hiệp"),
        )
        self.coconut.lead_photo = photo
        self.coconut.lead_photo_caption = "Cân dừa ở Giồng Trôm"
        self.coconut.kind = Article.Kind.FEATURE
        self.coconut.save()
        writer = ContributorFactory(name="Thu Huyền", slug="thu-huyen")
        CreditFactory(article=self.coconut, contributor=writer, roles=["text"])
        CreditFactory(
            article=self.coconut, contributor=photo.photographer, roles=["photo"]
        )
        item = self.items("section=nong-nghiep")[0]
        self.assertEqual(item["title"], "Giá dừa khô tăng mạnh")
        self.assertEqual(
            item["canonical_url"],
            f"http://testserver{self.coconut.get_absolute_url()}",
        )
        self.assertEqual(item["api_url"], f"http://testserver{LIST}{self.coconut.pk}/")
        self.assertEqual(item["section"]["slug"], "nong-nghiep")
        self.assertEqual({t["slug"] for t in item["tags"]}, {"dua", "ben-tre"})
        self.assertEqual(item["byline"], "Bài: Thu Huyền - Ảnh: Hữu Hiệp")
        self.assertEqual(
            [
                (c["contributor"]["name"], c["roles"], c["role_labels"])
                for c in item["credits"]
            ],
            [("Thu Huyền", ["text"], ["Nội dung"]), ("Hữu Hiệp", ["photo"], ["Ảnh"])],
        )
        published = timezone.localtime(self.coconut.published_at).replace(microsecond=0)
        self.assertEqual(item["published_at"], published.isoformat())
        self.assertTrue(item["published_at"].endswith("+07:00"))
        lead = item["lead_photo"]
        self.assertEqual(lead["caption"], "Cân dừa ở Giồng Trôm")
        self.assertEqual(lead["alt"], "Người đàn ông cân dừa khô")
        self.assertEqual(lead["credit"], "Hữu Hiệp")
        formats = {(r["crop"], r["format"]) for r in lead["renditions"]}
        self.assertLessEqual(
            {("full", "webp"), ("full", "jpeg"), ("card", "webp")}, formats
        )
        for rendition in lead["renditions"]:
            name = rendition["url"].removeprefix("http://testserver/media/")
            self.assertNotEqual(name, rendition["url"])
            self.assertTrue(default_storage.exists(name), name)
        self.assertNotIn("body_html", item)

    @override_settings(MEDIA_URL="https://anh.baoduaxanh.vn/")
    def test_photo_addresses_follow_the_media_url(self):
        self.coconut.lead_photo = PhotoFactory(make_renditions=True)
        self.coconut.save()
        lead = self.items("section=nong-nghiep")[0]["lead_photo"]
        for rendition in lead["renditions"]:
            self.assertTrue(
                rendition["url"].startswith("https://anh.baoduaxanh.vn/photos/"),
                rendition["url"],
            )

    def test_a_photo_without_renditions_is_given_as_its_original(self):
        self.coconut.lead_photo = PhotoFactory()
        self.coconut.save()
        lead = self.items("section=nong-nghiep")[0]["lead_photo"]
        self.assertEqual(
            [(r["crop"], r["format"], r["width"]) for r in lead["renditions"]],
            [("original", "jpeg", 64)],
        )


class CursorTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        moment = timezone.now() - timedelta(days=1)
        # Two share one publication time: the id breaks the tie.
        cls.articles = [
            ArticleFactory(
                title=f"Bài số {n}",
                published_at=moment + timedelta(minutes=n // 2 * 10),
            )
            for n in range(7)
        ]

    def walk(self, url: str) -> list[list[str]]:
        pages = []
        while url:
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200)
            pages.append([item["title"] for item in response.json()["items"]])
            url = response.json()["next"]
        return pages

    def test_following_next_gives_every_article_once_in_order(self):
        pages = self.walk(f"http://testserver{LIST}?page_size=3")
        expected = [
            a.title
            for a in Article.objects.published().order_by("-published_at", "-id")
        ]
        self.assertEqual([len(page) for page in pages], [3, 3, 1])
        self.assertEqual([title for page in pages for title in page], expected)

    def test_the_next_link_keeps_the_filters(self):
        response = self.client.get(f"{LIST}?page_size=2&from=2000-01-01")
        self.assertIn("from=2000-01-01", response.json()["next"])
        self.assertIn("page_size=2", response.json()["next"])

    def test_articles_published_meanwhile_do_not_shift_the_next_page(self):
        first = self.client.get(f"{LIST}?page_size=3").json()
        for n in range(4):
            ArticleFactory(title=f"Tin mới {n}")
        second = self.client.get(first["next"]).json()
        shown = [item["title"] for item in first["items"] + second["items"]]
        expected = [
            a.title
            for a in sorted(
                self.articles, key=lambda a: (a.published_at, a.pk), reverse=True
            )
        ]
        self.assertEqual(shown, expected[:6])

    def test_the_last_page_has_no_next(self):
        response = self.client.get(f"{LIST}?page_size=7")
        self.assertEqual(len(response.json()["items"]), 7)
        self.assertIsNone(response.json()["next"])


class ArticleListQueryTests(NewsroomTestCase):
    def test_twenty_articles_with_photos_credits_and_tags_cost_three_queries(self):
        section = SectionFactory(slug="thoi-su")
        for n in range(21):
            article = ArticleFactory(
                section=section,
                lead_photo=PhotoFactory(make_renditions=n < 3),
                tags=[f"từ khóa {n}", "Bến Tre"],
            )
            CreditFactory(article=article, roles=["text"])
            CreditFactory(article=article, roles=["photo"])
        # The articles with section and lead photo, their credits, their tags.
        with self.assertPageQueries(3):
            response = self.client.get(f"{LIST}?page_size=20")
        self.assertEqual(len(response.json()["items"]), 20)
        # A filter adds the one query that finds what it names.
        with self.assertPageQueries(4):
            self.client.get(f"{LIST}?section=thoi-su&page_size=20")
        with self.assertPageQueries(3):
            self.client.get(response.json()["next"])
