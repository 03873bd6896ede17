"""The page cache: fast for readers, never stale, never shared where it must not be."""

import re
from datetime import datetime, timedelta
from unittest import mock

from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish, article_save, article_transition
from comments.models import Comment
from comments.services import comments_approve, comments_reject
from newsroom.models import SiteSettings
from tests.base import HOME_PAGE_QUERIES, NewsroomTestCase
from tests.factories import ArticleFactory, CommentFactory, SectionFactory, UserFactory

S = Article.Status
EIGHT_AM = timezone.make_aware(datetime(2026, 3, 2, 8, 0, 0))


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


def _hidden(html: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


@override_settings(PAGE_CACHE=True, FRAGMENT_CACHE=True)
class PageCacheTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(name="Thời sự", slug="thoi-su", is_on_home=True)

    def setUp(self):
        self.article = ArticleFactory(
            title="Đê bao Ba Tri giữ vững", section=self.section
        )

    def _get(self, url: str, client: Client | None = None):
        return (client or self.client).get(url)

    def _twice(self, url: str):
        """The second answer, served from the cache."""
        self._get(url)
        response = self._get(url)
        self.assertEqual(response.get("X-Page-Cache"), "hit", url)
        return response

    def test_a_second_reader_gets_the_same_page_from_the_cache(self):
        first = self._get("/")
        second = self._get("/")
        self.assertEqual(first["X-Page-Cache"], "miss")
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(first.content, second.content)

    def test_public_pages_carry_cdn_headers_and_answer_304(self):
        response = self._twice("/")
        self.assertIn("public", response["Cache-Control"])
        self.assertIn("max-age=", response["Cache-Control"])
        self.assertTrue(response["ETag"])
        self.assertTrue(response["Last-Modified"])
        again = self.client.get("/", headers={"if-none-match": response["ETag"]})
        self.assertEqual(again.status_code, 304)
        since = self.client.get(
            "/", headers={"if-modified-since": response["Last-Modified"]}
        )
        self.assertEqual(since.status_code, 304)

    def test_every_public_listing_is_cached(self):
        self.article.tags.set(["Bến Tre"])
        for url in [
            self.section.get_absolute_url(),
            reverse("articles:tag", kwargs={"slug": "ben-tre"}),
            reverse("articles:search") + "?q=ba+tri",
            reverse("articles:feed"),
            reverse("articles:sitemap"),
        ]:
            self._twice(url)

    def test_a_publication_shows_on_the_next_request(self):
        self._twice("/")
        draft = ArticleFactory(
            title="Tin mới xuất bản", section=self.section, status=S.APPROVED
        )
        article_transition(article=draft, name="publish", by=self.chief)
        self.assertContains(self._get("/"), "Tin mới xuất bản")

    def test_an_edit_shows_on_the_next_request(self):
        url = self.article.get_absolute_url()
        self._twice(url)
        self._twice(self.section.get_absolute_url())
        self.article.lead = "Lời dẫn đã sửa sau khi đăng."
        article_save(article=self.article, by=self.chief)
        self.assertContains(self._get(url), "Lời dẫn đã sửa sau khi đăng.")
        self.assertContains(
            self._get(self.section.get_absolute_url()), "Lời dẫn đã sửa sau khi đăng."
        )

    def test_a_takedown_shows_on_the_next_request(self):
        url = self.article.get_absolute_url()
        self._twice(url)
        self._twice("/")
        article_transition(
            article=self.article, name="take_down", by=self.chief, note="Sai sự thật"
        )
        self.assertEqual(self._get(url).status_code, 410)
        self.assertNotContains(self._get("/"), "Đê bao Ba Tri giữ vững")

    def test_comment_approval_and_rejection_show_on_the_next_request(self):
        url = self.article.get_absolute_url()
        comment = CommentFactory(
            article=self.article, body="Cảm ơn tòa soạn.", status=Comment.Status.PENDING
        )
        self.assertNotContains(self._twice(url), "Cảm ơn tòa soạn.")
        comments_approve(comments=[comment], by=self.moderator)
        self.assertContains(self._get(url), "Cảm ơn tòa soạn.")
        self._twice(url)
        comments_reject(comments=[comment], by=self.moderator)
        self.assertNotContains(self._get(url), "Cảm ơn tòa soạn.")

    def test_site_settings_saved_in_the_admin_show_on_the_next_request(self):
        from django.contrib import admin

        from newsroom.admin import SiteSettingsAdmin

        self._twice("/")
        paper = SiteSettings.load()
        paper.name = "Báo Đồng Khởi điện tử"
        request = RequestFactory().post("/")
        request.user = self.chief
        SiteSettingsAdmin(SiteSettings, admin.site).save_model(
            request, paper, form=None, change=True
        )
        self.assertContains(self._get("/"), "Báo Đồng Khởi điện tử")

    def test_a_section_saved_in_the_admin_shows_on_the_next_request(self):
        self._twice("/")
        admin_user = UserFactory(username="quantri", is_staff=True, is_superuser=True)
        staff = Client()
        staff.force_login(admin_user)
        response = staff.post(
            reverse("admin:articles_section_change", args=[self.section.pk]),
            {
                "name": "Thời sự – Chính trị",
                "slug": self.section.slug,
                "order": 0,
                "is_on_home": "on",
                "home_order": 0,
                "description": "",
                "comments_close_after_days": "",
            },
        )
        self.assertEqual(response.status_code, 302, response.content[:3000])
        self.assertContains(self._get("/"), "Thời sự – Chính trị")

    def test_a_scheduled_article_appears_at_its_time_on_cached_pages(self):
        with _at(EIGHT_AM - timedelta(days=1)):
            scheduled = ArticleFactory(
                title="Bài hẹn giờ tám giờ", section=self.section, status=S.APPROVED
            )
            article_transition(
                article=scheduled, name="schedule", by=self.chief, at=EIGHT_AM
            )
        # No command runs: the cached pages end at the article's second.
        urls = ["/", self.section.get_absolute_url()]
        with _at(EIGHT_AM - timedelta(seconds=1)):
            for url in urls:
                self.assertNotContains(self._twice(url), "Bài hẹn giờ tám giờ")
        with _at(EIGHT_AM):
            for url in urls:
                self.assertContains(self._get(url), "Bài hẹn giờ tám giờ")

    def test_publish_scheduled_starts_a_new_version(self):
        with _at(EIGHT_AM - timedelta(days=1)):
            scheduled = ArticleFactory(
                title="Bài hẹn giờ", section=self.section, status=S.APPROVED
            )
            article_transition(
                article=scheduled, name="schedule", by=self.chief, at=EIGHT_AM
            )
        with _at(EIGHT_AM + timedelta(minutes=1)):
            self._twice("/")
            call_command("publish_scheduled", stdout=mock.Mock())
            self.assertEqual(self._get("/")["X-Page-Cache"], "miss")

    def test_staff_are_never_served_from_nor_stored_into_the_cache(self):
        staff = Client()
        staff.force_login(self.editor)
        for _ in range(2):
            response = self._get("/", client=staff)
            self.assertNotIn("X-Page-Cache", response)
            self.assertIn("private", response["Cache-Control"])
        # Nothing the editor saw was kept for readers.
        self.assertEqual(self._get("/")["X-Page-Cache"], "miss")
        self._twice("/")
        self.assertNotIn("X-Page-Cache", self._get("/", client=staff))

    def test_the_comment_form_of_a_cached_page_posts(self):
        url = self.article.get_absolute_url()
        self._get(url)
        reader = Client(enforce_csrf_checks=True)
        page = reader.get(url)
        self.assertEqual(page["X-Page-Cache"], "hit")
        self.assertIn("private", page["Cache-Control"])
        self.assertNotIn("ETag", page)
        html = page.content.decode()
        self.assertNotIn("\x00", html)
        # A fresh signed token, dated this request.
        with mock.patch("comments.defences.clock", return_value=10**9):
            later = self._get(url).content.decode()
        self.assertNotEqual(_hidden(html, "token"), _hidden(later, "token"))
        # Posted at once: held for a moderator as too fast, but accepted.
        response = reader.post(
            reverse("comments:create", args=[self.article.pk]),
            {
                "csrfmiddlewaretoken": _hidden(html, "csrfmiddlewaretoken"),
                "token": _hidden(html, "token"),
                "name": "Trần Thị Mai",
                "email": "mai.tran@example.com",
                "body": "Bài viết rất hay.",
                "website": "",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertTrue(Comment.objects.filter(body="Bài viết rất hay.").exists())

    def test_a_page_showing_a_message_is_not_cached(self):
        url = self.article.get_absolute_url()
        self._twice(url)
        reader = Client()
        from tests.factories import comment_post_data

        reader.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(self.article),
        )
        with_message = reader.get(url)
        self.assertContains(with_message, "Cảm ơn bạn!")
        self.assertNotIn("X-Page-Cache", with_message)
        after = reader.get(url)
        self.assertNotContains(after, "Cảm ơn bạn!")
        self.assertNotContains(self._get(url), "Cảm ơn bạn!")


@override_settings(FRAGMENT_CACHE=True)
class FragmentCacheTests(NewsroomTestCase):
    """Without the page cache, pages still skip site settings, navigation,
    comment settings and related stories while the content version holds."""

    def test_the_article_page_runs_one_query_once_fragments_are_kept(self):
        article = ArticleFactory(tags=["Bến Tre", "Ba Tri"])
        CommentFactory(article=article)
        url = article.get_absolute_url()
        self.client.get(url)
        # The article with its stored story; the rest is kept per version.
        with self.assertNumQueries(1):
            self.assertEqual(self.client.get(url).status_code, 200)

    def test_related_stories_kept_for_an_article_change_with_the_next_publication(
        self,
    ):
        section = SectionFactory()
        article = ArticleFactory(section=section)
        url = article.get_absolute_url()
        self.assertNotContains(self.client.get(url), "Tin liên quan")
        newer = ArticleFactory(section=section, status=Article.Status.DRAFT)
        article_publish(article=newer, by=self.chief)
        self.assertContains(self.client.get(url), newer.title)

    def test_the_home_page_runs_two_queries_fewer_once_fragments_are_kept(self):
        ArticleFactory(section=SectionFactory(is_on_home=True))
        self.client.get("/")
        with self.assertNumQueries(HOME_PAGE_QUERIES - 2):
            self.client.get("/")

    def test_a_new_section_shows_in_the_navigation_after_its_admin_save(self):
        self.client.get("/")
        admin_user = UserFactory(username="quantri", is_staff=True, is_superuser=True)
        staff = Client()
        staff.force_login(admin_user)
        response = staff.post(
            reverse("admin:articles_section_add"),
            {"name": "Kinh tế", "slug": "kinh-te", "order": 3, "home_order": 0},
        )
        self.assertEqual(response.status_code, 302)
        self.assertContains(self.client.get("/"), 'href="/chuyen-muc/kinh-te/"')
