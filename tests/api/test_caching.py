"""The API's answers go through the page cache like the pages: kept for every
client alike, purged by the writes that change what they print, whatever
made the write."""

from datetime import datetime, timedelta
from unittest import mock

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_transition
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    PhotoFactory,
    SectionFactory,
)

S = Article.Status
EIGHT_AM = timezone.make_aware(datetime(2026, 3, 2, 8, 0, 0))
LIST = "/api/v1/articles/"


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


class KeptAnswerTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(name="Thời sự", slug="thoi-su")
        cls.other = SectionFactory(name="Thể thao", slug="the-thao")

    def setUp(self):
        self.writer = ContributorFactory(name="Thu Huyền", slug="thu-huyen")
        self.article = ArticleFactory(
            title="Đê bao Ba Tri giữ vững",
            section=self.section,
            tags=["đê bao"],
            lead_photo=PhotoFactory(caption="Đê bao mùa triều cường"),
        )
        CreditFactory(article=self.article, contributor=self.writer)
        self.detail = f"{LIST}{self.article.pk}/"

    def kept(self, url: str):
        """The answer as a second client gets it: from the cache."""
        self.client.get(url)
        response = self.client.get(url)
        self.assertEqual(response.get("X-Page-Cache"), "hit", url)
        return response

    def test_two_clients_get_the_same_bytes_the_second_for_no_query(self):
        first = self.client.get(self.detail)
        with self.assertNumQueries(0):
            second = Client().get(self.detail)
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(first.content, second.content)
        # A kept answer is still open to every origin, and revalidates.
        self.assertEqual(second["Access-Control-Allow-Origin"], "*")
        self.assertEqual(second["Content-Type"], "application/json; charset=utf-8")
        again = self.client.get(self.detail, HTTP_IF_NONE_MATCH=second["ETag"])
        self.assertEqual(again.status_code, 304)

    def test_answers_name_the_keys_of_the_pages_that_print_the_same(self):
        keys = set(self.kept(self.detail)["xkey"].split())
        self.assertLessEqual(
            {
                f"article:{self.article.pk}",
                f"photo:{self.article.lead_photo_id}",
                f"contributor:{self.writer.pk}",
                f"tag:{self.article.tags.get().pk}",
                "site",
            },
            keys,
        )
        listed = set(self.kept(f"{LIST}?section=thoi-su")["xkey"].split())
        self.assertIn(f"section-articles:{self.section.pk}", listed)
        self.assertIn(f"article:{self.article.pk}", listed)
        self.assertIn("feeds", self.kept(LIST)["xkey"].split())
        self.assertIn("search", self.kept(f"{LIST}?q=de+bao")["xkey"].split())
        self.assertIn("archive", self.kept(f"{LIST}?from=2026-01-01")["xkey"].split())

    def test_an_edit_in_the_admin_form_changes_every_answer_at_once(self):
        answers = [
            self.detail,
            f"{LIST}{self.article.slug}/",
            LIST,
            f"{LIST}?section=thoi-su",
            f"{LIST}?tag=de-bao",
            f"{LIST}?contributor=thu-huyen",
        ]
        for url in answers:
            self.assertContains(self.kept(url), "Đê bao Ba Tri giữ vững")
        untouched = f"{LIST}?section=the-thao"
        self.kept(untouched)
        chief = self.client_class()
        chief.force_login(self.chief)
        article = Article.objects.get(pk=self.article.pk)
        response = chief.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(article, title="Đê bao Ba Tri đã hoàn thành"),
        )
        self.assertEqual(response.status_code, 302)
        for url in answers:
            self.assertContains(self.client.get(url), "Đê bao Ba Tri đã hoàn thành")
        # Only what prints the article was purged.
        self.assertEqual(self.client.get(untouched)["X-Page-Cache"], "hit")

    def test_a_takedown_in_the_admin_form_is_a_410_at_once(self):
        self.kept(self.detail)
        self.assertContains(self.kept(LIST), self.article.title)
        chief = self.client_class()
        chief.force_login(self.chief)
        article = Article.objects.get(pk=self.article.pk)
        chief.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(
                article, _transition="take_down", workflow_note="Sai sự thật"
            ),
        )
        self.assertEqual(self.client.get(self.detail).status_code, 410)
        self.assertNotContains(self.client.get(LIST), self.article.title)

    def test_a_photo_caption_or_a_name_shows_on_the_next_request(self):
        self.kept(self.detail)
        self.kept(LIST)
        photo = self.article.lead_photo
        photo.caption = "Triều cường tháng mười"
        with self.committed():
            photo.save()
        for url in (self.detail, LIST):
            self.assertContains(self.client.get(url), "Triều cường tháng mười")
        self.kept(LIST)
        self.writer.name = "Nguyễn Thu Huyền"
        with self.committed():
            self.writer.save()
        for url in (self.detail, LIST, "/api/v1/contributors/"):
            self.assertContains(self.client.get(url), "Nguyễn Thu Huyền")

    def test_lists_of_tags_and_contributors_follow_publication(self):
        self.kept("/api/v1/tags/")
        self.kept("/api/v1/contributors/")
        draft = ArticleFactory(status=S.APPROVED, published_at=None, tags=["lũ"])
        newcomer = ContributorFactory(name="Minh Khoa", slug="minh-khoa")
        with self.committed():
            CreditFactory(article=draft, contributor=newcomer)
        self.assertNotContains(self.client.get("/api/v1/tags/"), '"lu"')
        self.assertNotContains(self.client.get("/api/v1/contributors/"), "Minh Khoa")
        with self.committed():
            article_transition(article=draft, name="publish", by=self.chief)
        self.assertContains(self.client.get("/api/v1/tags/"), '"lu"')
        self.assertContains(self.client.get("/api/v1/contributors/"), "Minh Khoa")
        # A tag added in the shell to a published story.
        self.kept("/api/v1/tags/")
        with self.committed():
            self.article.tags.add("triều cường")
        self.assertContains(self.client.get("/api/v1/tags/"), "triều cường")

    def test_a_scheduled_article_is_listed_at_its_second_with_no_command(self):
        with _at(EIGHT_AM - timedelta(days=1)), self.committed():
            scheduled = ArticleFactory(
                title="Bài hẹn giờ tám giờ", section=self.section, status=S.APPROVED
            )
            article_transition(
                article=scheduled, name="schedule", by=self.chief, at=EIGHT_AM
            )
        url = f"{LIST}?section=thoi-su"
        with _at(EIGHT_AM - timedelta(seconds=1)):
            self.assertNotContains(self.kept(url), "Bài hẹn giờ tám giờ")
            self.assertEqual(self.client.get(f"{LIST}{scheduled.pk}/").status_code, 404)
        with _at(EIGHT_AM):
            self.assertContains(self.client.get(url), "Bài hẹn giờ tám giờ")
            self.assertEqual(self.client.get(f"{LIST}{scheduled.pk}/").status_code, 200)
