"""The front cache, deploy/varnish/default.vcl, in front of the real Django app.

A real ``varnishd`` (Debian's varnish and varnish-modules; CI installs them)
serves the live test server. Writes made here commit, so Django's on-commit
purges reach Varnish through ``PURGE_URLS`` as they would in production.
"""

import http.client
import json
import shutil
import subprocess
import tempfile
import threading
import time
import unittest
from dataclasses import dataclass
from datetime import timedelta
from email.message import Message
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

from django.test import LiveServerTestCase, override_settings
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from pagecache import purge

from ..base import TEST_SETTINGS
from ..factories import ArticleFactory, CommentFactory, comment_post_data
from ..servers import free_port

VARNISHD = Path("/usr/sbin/varnishd")
VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"
# The backend line of default.vcl, pointed at the live server instead.
GUNICORN_PORT = '.port = "8000";'


@dataclass
class Answer:
    status: int
    reason: str
    headers: Message
    body: bytes

    @property
    def cache(self) -> str | None:
        return self.headers["X-Cache"]

    def cookie(self, name: str) -> str:
        """The ``name=value`` part of the cookie this answer sets."""
        for header in self.headers.get_all("Set-Cookie") or []:
            pair = header.split(";", 1)[0]
            if pair.startswith(f"{name}="):
                return pair
        raise AssertionError(f"no {name} cookie set")


@unittest.skipUnless(
    VARNISHD.exists(),
    "varnishd not installed: apt-get install varnish varnish-modules",
)
@override_settings(**TEST_SETTINGS)
class VarnishTests(LiveServerTestCase):
    # The VCL's backend is an address, not a name that may resolve to ::1.
    host = "127.0.0.1"
    # Flushing after each test would drop the rows the data migrations made
    # (roles, site settings) for the tests that run after these.
    serialized_rollback = True

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workdir = Path(tempfile.mkdtemp(prefix="toasoan-varnish-"))
        cls.addClassCleanup(shutil.rmtree, cls.workdir, ignore_errors=True)
        vcl = VCL.read_text()
        assert GUNICORN_PORT in vcl, "default.vcl no longer names port 8000"
        vcl_copy = cls.workdir / "default.vcl"
        vcl_copy.write_text(
            vcl.replace(GUNICORN_PORT, f'.port = "{cls.server_thread.port}";', 1)
        )
        cls.port = free_port()
        log = (cls.workdir / "varnishd.log").open("wb")
        cls.addClassCleanup(log.close)
        cls.varnishd = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(VARNISHD),
                "-F",
                # As whoever runs the tests, root in CI or not.
                "-j",
                "none",
                "-n",
                str(cls.workdir / "instance"),
                "-a",
                f"127.0.0.1:{cls.port}",
                "-f",
                str(vcl_copy),
                "-s",
                "malloc,32m",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        cls.addClassCleanup(cls._stop_varnishd)
        cls._wait_for_varnishd()
        cls.enterClassContext(
            override_settings(PURGE_URLS=[f"http://127.0.0.1:{cls.port}"])
        )
        # Each purge is sent again a moment later (pagecache.purge): soon, so
        # a test's own writes are done purging before it reads.
        cls.enterClassContext(mock.patch.object(purge, "PURGE_AGAIN_AFTER", 0.05))

    @staticmethod
    def purges_landed():
        """Wait for the purges sent again (PURGE_AGAIN_AFTER): one landing
        between two fetches would make the second a MISS."""
        for thread in threading.enumerate():
            if isinstance(thread, threading.Timer):
                thread.join(timeout=10)

    @classmethod
    def _stop_varnishd(cls):
        cls.purges_landed()
        cls.varnishd.terminate()
        try:
            cls.varnishd.wait(timeout=10)
        except subprocess.TimeoutExpired:
            cls.varnishd.kill()
            cls.varnishd.wait()

    @classmethod
    def _wait_for_varnishd(cls, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if cls.varnishd.poll() is not None:
                log = (cls.workdir / "varnishd.log").read_text(errors="replace")
                raise RuntimeError(f"varnishd exited while starting:\n{log}")
            try:
                # Answered by the VCL itself, without asking Django.
                cls.fetch("/", method="PURGE")
                return
            except (ConnectionError, TimeoutError, http.client.HTTPException):
                time.sleep(0.2)
        raise RuntimeError(f"varnishd did not answer on port {cls.port}")

    @classmethod
    def fetch(
        cls,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        body: str | None = None,
    ) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", cls.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            return Answer(
                response.status, response.reason, response.headers, response.read()
            )
        finally:
            connection.close()

    def setUp(self):
        # Every page shows "site": an empty cache for each test.
        self.fetch("/", method="PURGE", headers={"xkey-purge": "site"})
        self.article = ArticleFactory(title="Khánh thành cầu Rạch Miễu 2")
        self.url = self.article.get_absolute_url()
        self.purges_landed()

    def cached_page(self) -> Answer:
        """The article page, once fetched from Django and then from Varnish."""
        first = self.fetch(self.url)
        self.assertEqual((first.status, first.cache), (200, "MISS"))
        second = self.fetch(self.url)
        self.assertEqual((second.status, second.cache), (200, "HIT"))
        return second

    def test_a_second_reader_is_served_by_varnish(self):
        first = self.fetch(self.url)
        second = self.fetch(self.url)

        self.assertEqual(first.cache, "MISS")
        self.assertEqual(second.cache, "HIT")
        self.assertEqual(second.body, first.body)
        self.assertIn("Khánh thành cầu Rạch Miễu 2", second.body.decode())
        # The purge keys are between Django and Varnish.
        self.assertIsNone(first.headers["xkey"])
        self.assertIsNone(second.headers["xkey"])

    def test_a_saved_article_is_fetched_again_as_soon_as_the_save_returns(self):
        self.cached_page()

        self.article.title = "Khánh thành cầu Rạch Miễu 2 sau ba năm thi công"
        self.article.save()
        after = self.fetch(self.url)

        self.assertEqual(after.cache, "MISS")
        self.assertIn("sau ba năm thi công", after.body.decode())

    def test_approving_a_comment_purges_its_article_page(self):
        comment = CommentFactory(
            article=self.article,
            status=Comment.Status.PENDING,
            body="Cầu mới giúp bà con Bến Tre đi lại dễ hơn nhiều.",
        )
        before = self.cached_page()
        self.assertNotIn(comment.body, before.body.decode())

        comment.status = Comment.Status.APPROVED
        comment.save()
        after = self.fetch(self.url)

        self.assertEqual(after.cache, "MISS")
        self.assertIn(comment.body, after.body.decode())

    def test_a_page_expires_when_a_scheduled_article_comes_due(self):
        # Far enough ahead for the home page to be kept at least a second.
        due_at = timezone.now() + timedelta(seconds=4)
        ArticleFactory(
            title="Tỉnh công bố quy hoạch mới",
            status=Article.Status.SCHEDULED,
            published_at=due_at,
        )
        self.purges_landed()
        before = self.fetch("/")
        self.assertNotIn("stale-while-revalidate", before.headers["Cache-Control"])
        self.assertEqual(self.fetch("/").cache, "HIT")

        time.sleep((due_at - timezone.now()).total_seconds() + 0.3)
        after = self.fetch("/")

        # Not the old home page from grace while a new one is fetched.
        self.assertEqual(after.cache, "MISS")
        self.assertIn("Tỉnh công bố quy hoạch mới", after.body.decode())

    def test_pages_asked_over_https_and_http_are_kept_apart(self):
        self.cached_page()

        https = self.fetch(self.url, headers={"X-Forwarded-Proto": "https"})

        self.assertEqual(https.cache, "MISS")

    def test_a_signed_in_reader_always_gets_their_own_page(self):
        self.cached_page()

        for _ in range(2):
            answer = self.fetch(
                self.url, headers={"Cookie": "csrftoken=abc; sessionid=xyz"}
            )
            self.assertEqual(answer.status, 200)
            self.assertEqual(answer.cache, "MISS")
            self.assertIn("private", answer.headers["Cache-Control"])
        # Their page did not replace the one kept for everyone else.
        self.assertEqual(self.fetch(self.url).cache, "HIT")

    def test_a_reader_with_a_message_waiting_gets_their_own_page(self):
        self.cached_page()

        answer = self.fetch(self.url, headers={"Cookie": "messages=abc"})

        self.assertEqual(answer.cache, "MISS")

    def test_a_reader_who_has_just_written_gets_their_own_page(self):
        # With a database replica, their next pages read from the primary.
        self.cached_page()

        answer = self.fetch(self.url, headers={"Cookie": "read_primary=1"})

        self.assertEqual(answer.cache, "MISS")

    def test_a_csrf_cookie_alone_does_not_keep_a_reader_from_the_cache(self):
        self.cached_page()

        answer = self.fetch(self.url, headers={"Cookie": "csrftoken=abc"})

        self.assertEqual(answer.cache, "HIT")

    def test_a_draft_preview_is_never_kept(self):
        self.article.status = self.article.Status.DRAFT
        self.article.save()
        preview = self.article.get_preview_url()

        answers = [self.fetch(preview), self.fetch(preview)]

        self.assertEqual([a.status for a in answers], [200, 200])
        self.assertEqual([a.cache for a in answers], ["MISS", "MISS"])

    def test_a_purge_names_what_to_purge(self):
        self.cached_page()

        refused = self.fetch(self.url, method="PURGE")
        self.assertEqual(refused.status, 405)
        self.assertEqual(self.fetch(self.url).cache, "HIT")

        purged = self.fetch(
            "/", method="PURGE", headers={"xkey-purge": f"article:{self.article.pk}"}
        )
        self.assertEqual((purged.status, purged.reason), (200, "Purged 1"))
        self.assertEqual(self.fetch(self.url).cache, "MISS")

    def test_a_browser_revalidating_with_its_etag_gets_a_304_from_varnish(self):
        etag = self.cached_page().headers["ETag"]
        self.assertTrue(etag)

        unchanged = self.fetch(self.url, headers={"If-None-Match": etag})
        changed = self.fetch(self.url, headers={"If-None-Match": '"older"'})

        self.assertEqual((unchanged.status, unchanged.cache), (304, "HIT"))
        self.assertEqual(unchanged.body, b"")
        self.assertEqual((changed.status, changed.cache), (200, "HIT"))

    def post_comment(self, body: str) -> Answer:
        """A reader's comment as the browser sends it from a kept page: tokens
        from the small uncached endpoint first (static/comments/tokens.js)."""
        tokens = self.fetch(f"/binh-luan/{self.article.pk}/ma/")
        self.assertEqual(tokens.cache, "MISS")
        data = comment_post_data(self.article, body=body)
        data["csrfmiddlewaretoken"] = json.loads(tokens.body)["csrf"]
        return self.fetch(
            f"/binh-luan/{self.article.pk}/gui/",
            method="POST",
            body=urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": tokens.cookie("csrftoken"),
                # Added by the TLS terminator in front of Varnish.
                "X-Forwarded-For": "203.0.113.7",
            },
        )

    @override_settings(BEHIND_PROXY=True)
    def test_a_comment_reaches_django_with_the_readers_address(self):
        self.cached_page()

        answer = self.post_comment("Mong cầu sớm thông xe cho bà con.")

        self.assertEqual((answer.status, answer.cache), (302, "MISS"))
        comment = Comment.objects.get(article=self.article)
        self.assertEqual(comment.body, "Mong cầu sớm thông xe cho bà con.")
        self.assertEqual(comment.ip_address, "203.0.113.7")
        # Back on the article, the reader sees their own "thank you".
        back = self.fetch(self.url, headers={"Cookie": answer.cookie("messages")})
        self.assertEqual(back.cache, "MISS")
        self.assertIn("Cảm ơn bạn!", back.body.decode())
