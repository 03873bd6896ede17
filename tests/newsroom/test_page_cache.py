"""The page cache: fast for readers, never stale, never shared where it must not be."""

import re
import tempfile
from collections import Counter
from datetime import datetime, timedelta
from multiprocessing import get_context
from unittest import mock

from django.conf import settings
from django.core.management import call_command
from django.http import HttpResponse
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CsrfViewMiddleware,
    _unmask_cipher_token,
)
from django.template.loader import render_to_string
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import article_publish, article_save, article_transition
from comments.models import Comment
from comments.services import comments_approve, comments_reject
from newsroom import pagecache
from newsroom.cache import LockingFileBasedCache
from newsroom.models import SiteSettings
from tests.base import HOME_PAGE_QUERIES, NewsroomTestCase
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    PhotoFactory,
    SectionFactory,
    UserFactory,
)

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

    def test_pages_and_fragments_kept_by_an_earlier_deploy_are_not_served(self):
        url = self.article.get_absolute_url()
        self._twice(url)
        with (
            mock.patch("newsroom.pagecache.build_id", return_value="next-deploy"),
            mock.patch(
                "articles.views.render_to_string", wraps=render_to_string
            ) as rendered,
        ):
            response = self._get(url)
        self.assertEqual(response["X-Page-Cache"], "miss")
        # The related stories are rendered again, not taken from the old deploy.
        rendered.assert_any_call("articles/_related.html", mock.ANY)

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

    def test_a_photo_caption_saved_in_the_admin_shows_on_the_next_request(self):
        photo = PhotoFactory(caption="Bến phà cũ", make_renditions=True)
        self.article.lead_photo = photo
        self.article.save()
        url = self.article.get_absolute_url()
        self.assertContains(self._twice(url), "Bến phà cũ")
        staff = Client()
        staff.force_login(self.editor)
        response = staff.post(
            reverse("admin:articles_photo_change", args=[photo.pk]),
            {
                "caption": "Cầu Rạch Miễu mới",
                "alt_text": "Cầu",
                "photographer": "",
                "credit_text": "",
                "focus_x": "0.5",
                "focus_y": "0.5",
            },
        )
        self.assertEqual(response.status_code, 302)
        self.assertContains(self._get(url), "Cầu Rạch Miễu mới")

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
        # The new reader's CSRF secret goes out as Django sends it.
        self.assertIn(settings.CSRF_COOKIE_NAME, page.cookies)
        self.assertIn("Cookie", page["Vary"])
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

    def test_a_reader_with_a_csrf_cookie_keeps_it_on_a_cached_page(self):
        url = self.article.get_absolute_url()
        self._get(url)
        reader = Client(enforce_csrf_checks=True)
        reader.get(reverse("articles:home"))  # no form: no cookie yet
        self.assertNotIn(settings.CSRF_COOKIE_NAME, reader.cookies)
        reader.get(url)
        secret = reader.cookies[settings.CSRF_COOKIE_NAME].value
        pages = [reader.get(url) for _ in range(2)]
        tokens = [
            _hidden(page.content.decode(), "csrfmiddlewaretoken") for page in pages
        ]
        for page, token in zip(pages, tokens, strict=True):
            self.assertEqual(page["X-Page-Cache"], "hit")
            # The same secret, sent again to renew the cookie, masked anew.
            self.assertEqual(page.cookies[settings.CSRF_COOKIE_NAME].value, secret)
            self.assertEqual(_unmask_cipher_token(token), secret)
        self.assertNotEqual(tokens[0], tokens[1])
        response = reader.post(
            reverse("comments:create", args=[self.article.pk]),
            {
                "csrfmiddlewaretoken": tokens[0],
                "token": _hidden(pages[0].content.decode(), "token"),
                "name": "Lê Văn Hùng",
                "email": "hung.le@example.com",
                "body": "Mong tòa soạn theo dõi tiếp.",
                "website": "",
            },
        )
        self.assertEqual(response.status_code, 302)

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


def _post_view(request):
    return HttpResponse("Đã nhận")


class CsrfTokenTests(NewsroomTestCase):
    """The page cache's CSRF tokens are Django's: its middleware takes them."""

    def _served(self, cookie: str | None = None) -> tuple[str, str]:
        """A page carrying ``csrf_token()``: its token and the cookie it sets."""
        factory = RequestFactory()
        if cookie is not None:
            factory.cookies[settings.CSRF_COOKIE_NAME] = cookie
        request = factory.get("/")
        middleware = CsrfViewMiddleware(lambda request: HttpResponse())
        middleware.process_request(request)
        token = pagecache.csrf_token(request)
        response = middleware.process_response(request, HttpResponse())
        return token, response.cookies[settings.CSRF_COOKIE_NAME].value

    def _posted(self, token: str, cookie: str) -> HttpResponse | None:
        """None when Django's CsrfViewMiddleware lets the form post through."""
        factory = RequestFactory()
        factory.cookies[settings.CSRF_COOKIE_NAME] = cookie
        request = factory.post("/binh-luan", {"csrfmiddlewaretoken": token})
        middleware = CsrfViewMiddleware(_post_view)
        middleware.process_request(request)
        return middleware.process_view(request, _post_view, (), {})

    def test_django_accepts_the_token_and_the_cookie(self):
        token, cookie = self._served()
        self.assertEqual(len(token), 64)
        self.assertEqual(len(cookie), 32)
        self.assertTrue(set(token + cookie) <= set(CSRF_ALLOWED_CHARS))
        self.assertEqual(_unmask_cipher_token(token), cookie)
        self.assertIsNone(self._posted(token, cookie))

    def test_django_refuses_a_tampered_token_or_another_readers(self):
        token, cookie = self._served()
        chars = CSRF_ALLOWED_CHARS
        last = chars[(chars.index(token[-1]) + 1) % len(chars)]
        other_token, _other_cookie = self._served()
        for forged in [token[:-1] + last, other_token]:
            with self.subTest(forged=forged):
                self.assertEqual(self._posted(forged, cookie).status_code, 403)

    def test_a_readers_existing_secret_is_kept_and_masked_anew(self):
        _token, cookie = self._served()
        first, same = self._served(cookie)
        second, _same = self._served(cookie)
        self.assertEqual(same, cookie)
        self.assertNotEqual(first, second)
        self.assertEqual(_unmask_cipher_token(first), cookie)
        self.assertIsNone(self._posted(second, cookie))

    def test_every_character_is_equally_likely(self):
        # Each of the 62 characters stands for exactly 4 of the 256 byte values;
        # the other 8 are dropped.
        kept = bytes(range(256)).translate(
            pagecache._BYTE_TO_CHAR, pagecache._BIASED_BYTES
        )
        self.assertEqual(len(kept), 248)
        self.assertEqual(Counter(kept), dict.fromkeys(CSRF_ALLOWED_CHARS.encode(), 4))

    def test_dropped_bytes_are_drawn_again(self):
        draws = [bytes(range(248, 256)) * 5, bytes(range(62)) * 2]
        with mock.patch("secrets.token_bytes", side_effect=draws) as token_bytes:
            chars = pagecache._random_csrf_chars(32)
        self.assertEqual(chars, CSRF_ALLOWED_CHARS[:32])
        self.assertEqual(token_bytes.call_count, 2)


def _write_version(location: str, version: str) -> None:
    LockingFileBasedCache(location, {}).set(
        pagecache.STATE_KEY, pagecache.State(version, None), timeout=None
    )


class ContentVersionAcrossProcessesTests(NewsroomTestCase):
    """The version in the file cache is read from memory until a write."""

    def setUp(self):
        self.location = self.enterContext(
            tempfile.TemporaryDirectory(prefix="toasoan-cache-")
        )
        self.cache = LockingFileBasedCache(self.location, {})

    def _in_another_process(self, version: str) -> None:
        child = get_context("fork").Process(
            target=_write_version, args=(self.location, version)
        )
        child.start()
        child.join(timeout=60)
        self.assertEqual(child.exitcode, 0)

    def test_a_version_written_by_another_process_is_seen_by_the_next_read(self):
        for version in ["v1", "v2", "v3"]:
            self._in_another_process(version)
            self.assertEqual(self.cache.get_kept(pagecache.STATE_KEY).version, version)

    def test_back_to_back_writes_within_one_clock_tick_are_all_seen(self):
        # Another instance keeps no memory of ours: it stands for another process.
        writer = LockingFileBasedCache(self.location, {})
        for n in range(200):
            writer.set("pagecache:state", f"version {n}", timeout=None)
            self.assertEqual(self.cache.get_kept("pagecache:state"), f"version {n}")

    def test_an_unchanged_version_is_not_read_again(self):
        self.cache.set("pagecache:state", "v1", timeout=None)
        self.assertEqual(self.cache.get_kept("pagecache:state"), "v1")
        with mock.patch("newsroom.cache.open", create=True, side_effect=AssertionError):
            self.assertEqual(self.cache.get_kept("pagecache:state"), "v1")

    def test_a_deleted_or_expiring_value_is_not_kept(self):
        self.cache.set("pagecache:state", "v1", timeout=None)
        self.cache.get_kept("pagecache:state")
        self.cache.delete("pagecache:state")
        self.assertIsNone(self.cache.get_kept("pagecache:state"))
        self.cache.set("pagecache:state", "v2", timeout=60)
        self.assertEqual(self.cache.get_kept("pagecache:state"), "v2")
        later = timezone.now().timestamp() + 120
        with mock.patch("time.time", return_value=later):
            self.assertIsNone(self.cache.get_kept("pagecache:state"))

    @override_settings(PAGE_CACHE=True)
    def test_a_cached_page_is_renewed_when_another_process_starts_a_version(self):
        with override_settings(
            CACHES={
                "default": {
                    "BACKEND": "newsroom.cache.LockingFileBasedCache",
                    "LOCATION": self.location,
                },
                "pages": {
                    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                    "LOCATION": "pages-across-processes",
                },
            }
        ):
            self.client.get("/")
            self.assertEqual(self.client.get("/")["X-Page-Cache"], "hit")
            for version in ["khac-1", "khac-2"]:
                self._in_another_process(version)
                self.assertEqual(self.client.get("/")["X-Page-Cache"], "miss")
                self.assertEqual(self.client.get("/")["X-Page-Cache"], "hit")
