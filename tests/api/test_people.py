"""/api/v1/sections/, /tags/, /contributors/: what a client builds its menus
and author pages from. Tags and contributors are listed only once an article
readers may see carries them."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from tests.base import NewsroomTestCase
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    SectionFactory,
)


class SectionListTests(NewsroomTestCase):
    def test_sections_come_in_navigation_order_with_their_subsections(self):
        economy = SectionFactory(name="Kinh tế", slug="kinh-te", order=2)
        SectionFactory(name="Thời sự", slug="thoi-su", order=1)
        SectionFactory(name="Nông nghiệp", slug="nong-nghiep", parent=economy, order=1)
        with self.assertPageQueries(1):
            response = self.client.get("/api/v1/sections/")
        items = response.json()["items"]
        self.assertEqual(
            [(s["slug"], s["parent"]) for s in items],
            [("thoi-su", None), ("kinh-te", None), ("nong-nghiep", "kinh-te")],
        )
        self.assertEqual(items[1]["url"], "http://testserver/chuyen-muc/kinh-te/")
        self.assertEqual(
            items[1]["articles_url"],
            "http://testserver/api/v1/articles/?section=kinh-te",
        )
        self.assertIsNone(response.json()["next"])


class TagListTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        ArticleFactory(tags=["Bến Tre", "dừa", "Chợ Lách"])
        ArticleFactory(tags=["dừa", "Ba Tri"])
        # Tags that would tell what unpublished stories are about.
        ArticleFactory(status=Article.Status.DRAFT, published_at=None, tags=["vụ án X"])
        ArticleFactory(
            embargo_until=timezone.now() + timedelta(hours=1), tags=["kết quả thi"]
        )

    def test_only_tags_of_public_articles_are_listed_by_slug_a_page_at_a_time(self):
        url = "/api/v1/tags/?page_size=3"
        slugs = []
        while url:
            with self.assertPageQueries(1):
                data = self.client.get(url).json()
            slugs += [tag["slug"] for tag in data["items"]]
            url = data["next"]
        self.assertEqual(slugs, ["ba-tri", "ben-tre", "cho-lach", "dua"])

    def test_a_tag_links_its_page_and_its_articles(self):
        tag = self.client.get("/api/v1/tags/").json()["items"][1]
        self.assertEqual(tag["name"], "Bến Tre")
        self.assertEqual(tag["url"], "http://testserver/chu-de/ben-tre/")
        articles = self.client.get(tag["articles_url"]).json()["items"]
        self.assertEqual(len(articles), 1)


class ContributorTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.huyen = ContributorFactory(
            name="Thu Huyền", slug="thu-huyen", bio="Phóng viên thời sự."
        )
        cls.hiep = ContributorFactory(name="Hữu Hiệp", slug="huu-hiep")
        cls.newcomer = ContributorFactory(name="Minh Khoa", slug="minh-khoa")
        CreditFactory(contributor=cls.huyen)
        CreditFactory(contributor=cls.hiep)
        CreditFactory(
            contributor=cls.newcomer,
            article=ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        )

    def test_contributors_of_public_articles_are_listed(self):
        with self.assertPageQueries(1):
            data = self.client.get("/api/v1/contributors/").json()
        self.assertEqual(
            [person["slug"] for person in data["items"]], ["huu-hiep", "thu-huyen"]
        )

    def test_a_contributor_is_found_by_id_or_slug_as_their_page_is(self):
        with self.assertPageQueries(1):
            by_slug = self.client.get("/api/v1/contributors/thu-huyen/").json()
        by_id = self.client.get(f"/api/v1/contributors/{self.huyen.pk}/").json()
        self.assertEqual(by_slug, by_id)
        self.assertEqual(by_slug["name"], "Thu Huyền")
        self.assertEqual(by_slug["bio"], "Phóng viên thời sự.")
        self.assertEqual(by_slug["url"], "http://testserver/tac-gia/thu-huyen/")
        articles = self.client.get(by_slug["articles_url"]).json()["items"]
        self.assertEqual(len(articles), 1)
        # Like /tac-gia/minh-khoa/: the page exists before the first story.
        self.assertEqual(
            self.client.get("/api/v1/contributors/minh-khoa/").status_code, 200
        )
        missing = self.client.get("/api/v1/contributors/khong-co/")
        self.assertEqual(missing.status_code, 404)
        self.assertEqual(missing.json(), {"detail": "Không có tác giả này."})
