"""Kept reader pages: the same for every reader, purged by what changed,
whatever wrote it, and never served stale."""

import threading
import time
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from unittest import mock

from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_transition
from comments.models import Comment
from pagecache import purge
from paper.models import SiteSettings
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    ContributorFactory,
    CreditFactory,
    PhotoFactory,
    SectionFactory,
)

S = Article.Status
EIGHT_AM = timezone.make_aware(datetime(2026, 3, 2, 8, 0, 0))


def _at(moment):
    return mock.patch("django.utils.timezone.now", return_value=moment)


class KeptPageTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(name="Thời sự", slug="thoi-su", is_on_home=True)
        cls.other_section = SectionFactory(name="Thể thao", slug="the-thao")

    def setUp(self):
        self.article = ArticleFactory(
            title="Đê bao Ba Tri giữ vững", section=self.section
        )
        self.url = self.article.get_absolute_url()

    def kept(self, url: str):
        """The page as a second reader gets it: from the cache."""
        self.client.get(url)
        response = self.client.get(url)
        self.assertEqual(response.get("X-Page-Cache"), "hit", url)
        return response

    def test_two_readers_get_the_same_bytes_and_the_second_costs_no_query(self):
        first = self.client.get(self.url)
        with self.assertNumQueries(0):
            second = Client().get(self.url)
        self.assertEqual(first["X-Page-Cache"], "miss")
        self.assertEqual(second["X-Page-Cache"], "hit")
        self.assertEqual(first.content, second.content)
        self.assertNotIn("Set-Cookie", second)

    def test_a_kept_page_says_what_it_shows_and_browsers_revalidate(self):
        response = self.kept(self.url)
        self.assertIn(f"article:{self.article.pk}", response["xkey"].split())
        self.assertIn("site", response["xkey"].split())
        self.assertIn("max-age=0, must-revalidate", response["Cache-Control"])
        self.assertIn("s-maxage=", response["Cache-Control"])
        again = self.client.get(self.url, HTTP_IF_NONE_MATCH=response["ETag"])
        self.assertEqual(again.status_code, 304)

    def test_staff_and_readers_with_a_message_are_never_served_a_kept_page(self):
        self.kept(self.url)
        staff = self.client_class()
        staff.force_login(self.editor)
        with_message = self.client_class()
        with_message.cookies["messages"] = "x"
        for client in (staff, with_message):
            response = client.get(self.url)
            self.assertNotIn("X-Page-Cache", response)
            self.assertIn("private", response["Cache-Control"])

    def test_a_shell_save_shows_on_the_next_request(self):
        self.kept(self.url)
        self.article.title = "Đê bao Ba Tri vững vàng"
        with self.committed():
            self.article.save()
        self.assertContains(self.client.get(self.url), "Đê bao Ba Tri vững vàng")
        self.assertContains(self.client.get("/"), "Đê bao Ba Tri vững vàng")

    def test_a_rolled_back_write_purges_nothing(self):
        self.kept(self.url)
        with self.committed():
            try:
                with transaction.atomic():
                    self.article.title = "Không bao giờ lưu"
                    self.article.save()
                    raise RuntimeError
            except RuntimeError:
                pass
        self.assertEqual(self.client.get(self.url)["X-Page-Cache"], "hit")

    def test_an_edit_in_the_admin_form_shows_on_every_page_that_prints_it(self):
        tag_page = "/chu-de/mekong/"
        self.article.tags.add("Mekong")
        pages = [self.url, "/", self.section.get_absolute_url(), tag_page]
        for url in pages:
            self.kept(url)
        editor = self.client_class()
        editor.force_login(self.chief)
        article = Article.objects.get(pk=self.article.pk)
        response = editor.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(article, title="Đê bao Ba Tri đã hoàn thành"),
        )
        self.assertEqual(response.status_code, 302)
        for url in pages:
            self.assertContains(self.client.get(url), "Đê bao Ba Tri đã hoàn thành")

    def test_a_publication_shows_on_its_home_section_tag_and_contributor_pages(self):
        reporter = ContributorFactory(name="Thu Huyền", slug="thu-huyen")
        draft = ArticleFactory(
            title="Cầu Rạch Miễu 2 hợp long",
            section=self.section,
            status=S.APPROVED,
            published_at=None,
        )
        draft.tags.add("Giao thông")
        CreditFactory(article=draft, contributor=reporter)
        pages = ["/", self.section.get_absolute_url(), reporter.get_absolute_url()]
        for url in pages:
            self.assertNotContains(self.kept(url), "Cầu Rạch Miễu 2 hợp long")
        with self.committed():
            article_transition(article=draft, name="publish", by=self.chief)
        for url in [*pages, "/chu-de/giao-thong/", "/rss/tin-moi-nhat.rss"]:
            self.assertContains(self.client.get(url), "Cầu Rạch Miễu 2 hợp long")

    def test_a_comment_rejected_in_its_admin_change_form_leaves_the_page(self):
        comment = CommentFactory(
            article=self.article, body="Cảm ơn tòa soạn.", status="approved"
        )
        self.assertContains(self.kept(self.url), "Cảm ơn tòa soạn.")
        self.kept(self.other_section.get_absolute_url())
        moderator = self.client_class()
        moderator.force_login(self.moderator)
        response = moderator.post(
            reverse("admin:comments_comment_change", args=[comment.pk]),
            {
                "name": comment.name,
                "email": comment.email,
                "body": comment.body,
                "status": Comment.Status.REJECTED,
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertNotContains(self.client.get(self.url), "Cảm ơn tòa soạn.")
        # Only what prints the article was purged.
        other = self.client.get(self.other_section.get_absolute_url())
        self.assertEqual(other["X-Page-Cache"], "hit")

    def test_a_bulk_approval_in_the_queue_shows_the_comments(self):
        comments = CommentFactory.create_batch(
            2, article=self.article, status="pending", body="Đồng tình."
        )
        self.assertNotContains(self.kept(self.url), "Đồng tình.")
        moderator = self.client_class()
        moderator.force_login(self.moderator)
        moderator.post(
            reverse("admin:comments_comment_changelist"),
            {"action": "approve", "_selected_action": [c.pk for c in comments]},
        )
        self.assertContains(self.client.get(self.url), "Bình luận (2)")

    def test_a_photo_caption_or_a_photographers_name_shows_on_the_next_request(self):
        photographer = ContributorFactory(name="Hoàng Vũ", slug="hoang-vu")
        photo = PhotoFactory(caption="Bến phà cũ", photographer=photographer)
        self.article.lead_photo = photo
        with self.committed():
            self.article.save()
        self.assertContains(self.kept(self.url), "Bến phà cũ")
        photo.caption = "Cầu Rạch Miễu mới"
        with self.committed():
            photo.save()
        self.assertContains(self.client.get(self.url), "Cầu Rạch Miễu mới")
        self.kept(self.url)
        photographer.name = "Hoàng Văn Vũ"
        with self.committed():
            photographer.save()
        self.assertContains(self.client.get(self.url), "Hoàng Văn Vũ")

    def test_site_settings_and_sections_show_on_every_page(self):
        pages = ["/", self.url, self.other_section.get_absolute_url()]
        for url in pages:
            self.kept(url)
        paper = SiteSettings.load()
        paper.name = "Báo Đồng Khởi điện tử"
        with self.committed():
            paper.save()
            SectionFactory(name="Bạn đọc", slug="ban-doc")
        for url in pages:
            response = self.client.get(url)
            self.assertContains(response, "Báo Đồng Khởi điện tử")
            self.assertContains(response, "Bạn đọc")

    def test_a_scheduled_article_appears_at_its_second_with_no_command(self):
        with _at(EIGHT_AM - timedelta(days=1)), self.committed():
            scheduled = ArticleFactory(
                title="Bài hẹn giờ tám giờ", section=self.section, status=S.APPROVED
            )
            article_transition(
                article=scheduled, name="schedule", by=self.chief, at=EIGHT_AM
            )
        pages = ["/", self.section.get_absolute_url()]
        with _at(EIGHT_AM - timedelta(seconds=1)):
            for url in pages:
                response = self.kept(url)
                self.assertNotContains(response, "Bài hẹn giờ tám giờ")
                # A front cache keeps it no longer, and serves nothing stale.
                self.assertIn("s-maxage=1", response["Cache-Control"])
                self.assertNotIn("stale-while-revalidate", response["Cache-Control"])
        with _at(EIGHT_AM):
            for url in pages:
                self.assertContains(self.client.get(url), "Bài hẹn giờ tám giờ")

    def test_a_page_purged_while_it_rendered_is_not_kept(self):
        from articles import views

        real = views.front_page

        def purged_meanwhile():
            front = real()
            purge.purge_now(["home"])  # a write committed while we rendered
            return front

        with mock.patch.object(views, "front_page", purged_meanwhile):
            response = self.client.get("/")
        self.assertEqual(response["Cache-Control"], "private, no-cache")
        self.assertEqual(self.client.get("/")["X-Page-Cache"], "miss")


class _PurgeRecorder(BaseHTTPRequestHandler):
    received: list[str] = []

    def do_PURGE(self):
        self.received.append(self.headers["xkey-purge"])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


class FrontCachePurgeTests(NewsroomTestCase):
    def test_a_write_purges_front_caches_by_key_after_the_commit(self):
        server = HTTPServer(("127.0.0.1", 0), _PurgeRecorder)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        _PurgeRecorder.received = []
        url = f"http://127.0.0.1:{server.server_port}"
        with (
            override_settings(PURGE_URLS=[url]),
            mock.patch.object(purge, "PURGE_AGAIN_AFTER", 0.05),
            self.committed(),
        ):
            article = ArticleFactory(title="Tin mới")
            self.assertEqual(_PurgeRecorder.received, [])  # not before commit
        purged = [p for p in _PurgeRecorder.received if "home" in p.split()]
        keys = purged[0].split()
        self.assertIn(f"article:{article.pk}", keys)
        self.assertIn(f"section-articles:{article.section_id}", keys)
        # Again a moment later, for a page that was on its way in.
        for _ in range(100):
            if _PurgeRecorder.received.count(purged[0]) > 1:
                break
            time.sleep(0.01)
        self.assertEqual(_PurgeRecorder.received.count(purged[0]), 2)
