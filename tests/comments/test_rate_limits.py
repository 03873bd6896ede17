import os
import uuid
from multiprocessing import get_context
from unittest import mock, skipUnless

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from comments.defences import clock
from comments.models import Comment, CommentSettings
from pagecache.backends import LockingFileBasedCache
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, comment_post_data


class RateLimitTests(NewsroomTestCase):
    """Floods from one address or one email stop at the configured limits."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = ArticleFactory()

    def _post(self, n: int, *, ip="203.0.113.9", email=None):
        return self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(
                self.article,
                body=f"Bình luận số {n}",
                email=email or f"bandoc{n}@example.com",
            ),
            REMOTE_ADDR=ip,
        )

    def _burst(self, count: int) -> dict[int, int]:
        statuses: dict[int, int] = {}
        for n in range(count):
            code = self._post(n).status_code
            statuses[code] = statuses.get(code, 0) + 1
        return statuses

    def test_a_burst_of_1000_from_one_ip_stores_only_the_allowed_number(self):
        allowed = CommentSettings.load().ip_per_minute
        # Frozen time: the whole burst falls in one minute.
        with mock.patch("comments.defences.clock", return_value=clock()):
            statuses = self._burst(1000)
            last = self._post(1000)
        self.assertEqual(statuses, {302: allowed, 429: 1000 - allowed})
        self.assertEqual(Comment.objects.count(), allowed)
        self.assertContains(last, "Bạn gửi bình luận quá nhanh", status_code=429)
        # What the reader typed is still in the form.
        self.assertContains(last, "Bình luận số 1000", status_code=429)

    def test_the_next_minute_opens_again_until_the_daily_limit(self):
        config = CommentSettings.load()
        config.ip_per_minute, config.ip_per_day = 2, 3
        config.save()
        start = clock()
        with mock.patch("comments.defences.clock", return_value=start):
            codes = [self._post(n).status_code for n in range(3)]
        self.assertEqual(codes, [302, 302, 429])
        with mock.patch("comments.defences.clock", return_value=start + 61):
            codes = [self._post(n).status_code for n in range(3, 5)]
            self.assertEqual(codes, [302, 429])
            self.assertContains(
                self._post(9), "quá nhiều bình luận hôm nay", status_code=429
            )
        self.assertEqual(Comment.objects.count(), 3)

    def test_one_email_is_limited_across_addresses(self):
        allowed = CommentSettings.load().email_per_minute
        with mock.patch("comments.defences.clock", return_value=clock()):
            codes = [
                self._post(n, ip=f"198.51.100.{n}", email="mot@example.com").status_code
                for n in range(allowed + 2)
            ]
        self.assertEqual(codes, [302] * allowed + [429, 429])

    def test_a_refused_post_in_a_flood_costs_two_queries(self):
        with mock.patch("comments.defences.clock", return_value=clock()):
            for n in range(CommentSettings.load().ip_per_minute):
                self._post(n)
            # the article and the comment settings; nothing is written
            with self.assertNumQueries(2):
                response = self._post(99)
        self.assertEqual(response.status_code, 429)

    def test_the_cache_never_holds_a_readers_address_in_clear(self):
        self._post(1, ip="203.0.113.77")
        keys = list(cache._cache.keys())
        self.assertTrue(keys)
        self.assertFalse([key for key in keys if "203.0.113.77" in key])


@skipUnless(os.environ.get("REDIS_URL"), "REDIS_URL is not set")
class RedisRateLimitTests(RateLimitTests):
    """The same limits against the shared Redis that production uses."""

    def setUp(self):
        super().setUp()
        # A prefix of our own: earlier runs' counters never count, and
        # nothing else in this Redis is touched.
        redis = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["REDIS_URL"],
                "KEY_PREFIX": f"toasoan-test-{uuid.uuid4().hex}",
            }
        }
        override = override_settings(CACHES=redis)
        override.enable()
        self.addCleanup(override.disable)

    def test_the_cache_never_holds_a_readers_address_in_clear(self):
        self._post(1, ip="203.0.113.77")
        keys = cache._cache.get_client().keys(f"{cache.key_prefix}*")
        self.assertTrue(keys)
        self.assertFalse([key for key in keys if b"203.0.113.77" in key])


def _count_in_child(location: str, times: int) -> None:
    counter = LockingFileBasedCache(location, {})
    for _ in range(times):
        counter.add("hits", 0)
        counter.incr("hits")


class LockingFileCacheTests(NewsroomTestCase):
    def test_counts_from_several_processes_are_never_lost(self):
        location = os.path.join(self.enterContext(_tempdir()), "cache")
        processes = [
            get_context("fork").Process(target=_count_in_child, args=(location, 50))
            for _ in range(4)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        self.assertEqual(LockingFileBasedCache(location, {}).get("hits"), 200)


def _tempdir():
    import tempfile

    return tempfile.TemporaryDirectory(prefix="toasoan-cache-")
