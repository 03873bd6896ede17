"""Reads from a replica, writes to the primary (paper/routers.py).

The replica is Django's test mirror of ``default`` (``TEST["MIRROR"]``, set up
in tests/conftest.py): the same database under a second name, so each query
is counted on the connection, hence the alias, it was sent to. Rows must be
committed for the mirror's own connection to see them, hence a
TransactionTestCase. A real lagging replica is not started here.
"""

from contextlib import ExitStack, contextmanager
from datetime import timedelta
from unittest import mock

from django.contrib.auth.models import Group
from django.core.exceptions import MiddlewareNotUsed
from django.db import OperationalError, connections, router, transaction
from django.http import HttpResponse
from django.test import (
    Client,
    RequestFactory,
    TransactionTestCase,
    override_settings,
)
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from comments.models import Comment
from pagecache.purge import purge_now
from paper import routers
from tests.base import TEST_SETTINGS, NewsroomTestCase, article_form_data
from tests.factories import ArticleFactory, UserFactory, comment_post_data

LAG = 5


class Queries:
    """The queries sent to each alias while the block ran."""

    def __init__(self):
        self.by_alias: dict[str, list[str]] = {}

    def __getitem__(self, alias: str) -> list[str]:
        return self.by_alias[alias]


@contextmanager
def queries():
    found = Queries()
    with ExitStack() as stack:
        captured = {
            alias: stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in ("default", "replica")
        }
        yield found
    found.by_alias = {
        alias: [query["sql"] for query in capture.captured_queries]
        for alias, capture in captured.items()
    }


@override_settings(
    **TEST_SETTINGS,
    DATABASE_ROUTERS=[routers.ROUTER],
    DATABASE_REPLICA_MAX_LAG=LAG,
)
class ReplicaTests(TransactionTestCase):
    databases = {"default", "replica"}
    # Flushing after each test would drop the rows the data migrations made
    # (roles, site settings) for the tests that run after these.
    serialized_rollback = True

    def setUp(self):
        self.article = ArticleFactory(title="Khánh thành cầu Rạch Miễu 2")
        self.url = self.article.get_absolute_url()
        self.addCleanup(setattr, routers, "_replica_down_until", 0.0)

    def editor_client(self) -> Client:
        editor = UserFactory(username="bientap", is_staff=True)
        editor.groups.set([Group.objects.get(name="Biên tập viên")])
        client = Client()
        client.force_login(editor)
        return client

    def post_comment(self, client: Client):
        return client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(self.article, body="Mong cầu sớm thông xe."),
        )

    def test_a_readers_article_page_reads_from_the_replica(self):
        with queries() as sent:
            page = self.client.get(self.url)

        self.assertContains(page, "Khánh thành cầu Rạch Miễu 2")
        self.assertEqual(sent["default"], [])
        self.assertGreater(len(sent["replica"]), 0)

    def test_the_home_page_and_a_feed_read_from_the_replica(self):
        for url in ("/", "/rss/tin-moi-nhat.rss"):
            with self.subTest(url), queries() as sent:
                self.assertEqual(self.client.get(url).status_code, 200)
            self.assertEqual(sent["default"], [])
            self.assertGreater(len(sent["replica"]), 0)

    def test_an_editor_reads_and_writes_on_the_primary(self):
        client = self.editor_client()
        self.article.status = Article.Status.IN_REVIEW
        self.article.save()
        change = reverse("admin:articles_article_change", args=[self.article.pk])

        with queries() as sent:
            form = client.get(change)
            saved = client.post(
                change, article_form_data(self.article, title="Cầu Rạch Miễu 2")
            )
            public = client.get("/")

        self.assertEqual(form.status_code, 200)
        self.assertEqual(saved.status_code, 302)
        self.assertEqual(public.status_code, 200)
        self.assertEqual(sent["replica"], [])
        self.article.refresh_from_db()
        self.assertEqual(self.article.title, "Cầu Rạch Miễu 2")

    def test_a_reader_who_commented_reads_from_the_primary_for_a_while(self):
        with queries() as sent:
            posted = self.post_comment(self.client)
        self.assertEqual(posted.status_code, 302)
        self.assertEqual(Comment.objects.count(), 1)
        self.assertEqual(sent["replica"], [])
        cookie = posted.cookies[routers.COOKIE]
        self.assertEqual(cookie["max-age"], LAG)
        self.assertTrue(cookie["httponly"])

        # Back on the article (with the "thank you" message), then another page.
        with queries() as soon:
            self.client.get(self.url)
            self.client.get("/")
        self.assertGreater(len(soon["default"]), 0)
        self.assertEqual(soon["replica"], [])

        later = timezone.now() + timedelta(seconds=LAG + 1)
        clock = mock.patch("django.utils.timezone.now", return_value=later)
        with clock, queries() as after:
            self.assertEqual(self.client.get("/").status_code, 200)
        self.assertEqual(after["default"], [])
        self.assertGreater(len(after["replica"]), 0)

    def test_a_post_that_writes_nothing_sets_no_cookie(self):
        refused = self.client.post(
            reverse("comments:create", args=[self.article.pk]), {"body": ""}
        )

        self.assertEqual(Comment.objects.count(), 0)
        self.assertNotIn(routers.COOKIE, refused.cookies)

    def test_a_cookie_dated_beyond_the_window_is_not_ours(self):
        far = int(timezone.now().timestamp()) + 3600
        self.client.cookies[routers.COOKIE] = str(far)

        with queries() as sent:
            self.client.get(self.url)

        self.assertEqual(sent["default"], [])

    def test_the_admin_sign_in_page_reads_from_the_primary(self):
        with queries() as sent:
            self.client.get(reverse("admin:login"))

        self.assertEqual(sent["replica"], [])

    def test_reads_after_a_write_or_inside_a_transaction_use_the_primary(self):
        seen = []

        def view(request):
            seen.append(Article.objects.all().db)
            with transaction.atomic():
                seen.append(Article.objects.all().db)
            seen.append(Article.objects.all().db)
            Comment.objects.filter(pk=0).update(body="")
            seen.append(Article.objects.all().db)
            return HttpResponse()

        answer = routers.ReplicaMiddleware(view)(RequestFactory().get(self.url))

        self.assertEqual(seen, ["replica", "default", "replica", "default"])
        # A GET that wrote is not a "write response".
        self.assertNotIn(routers.COOKIE, answer.cookies)
        # Outside a request (a command, a worker): the primary.
        self.assertEqual(Article.objects.all().db, "default")

    def test_a_replica_that_does_not_answer_sends_readers_to_the_primary(self):
        failing = mock.patch.object(
            connections["replica"],
            "ensure_connection",
            side_effect=OperationalError("connection refused"),
        )
        logged = self.assertLogs("paper.routers", "WARNING")
        with queries() as sent, failing, logged:
            page = self.client.get(self.url)
            health = self.client.get("/healthz")

        self.assertEqual(page.status_code, 200)
        self.assertEqual(sent["replica"], [])
        self.assertEqual(health.status_code, 503)
        self.assertEqual(health.json()["replica"], "error: OperationalError")
        self.assertEqual(health.json()["database"], "ok")
        # Not tried again at every request.
        with queries() as next_page:
            self.client.get("/")
        self.assertEqual(next_page["replica"], [])

    def test_health_names_the_replica(self):
        health = self.client.get("/healthz")

        self.assertEqual(health.status_code, 200)
        self.assertEqual(health.json()["replica"], "ok")

    def test_a_page_read_just_after_a_purge_is_kept_only_as_long_as_the_lag(self):
        purge_now([f"article:{self.article.pk}"])

        page = self.client.get(self.url)

        # Kept, but no longer than the replica may take to show the purge's
        # write, and with no stale-while-revalidate grace for a front cache.
        control = page["Cache-Control"]
        self.assertEqual(page["X-Page-Cache"], "miss")
        self.assertNotIn("stale-while-revalidate", control)
        shared_for = int(control.split("s-maxage=")[1].split(",")[0])
        self.assertLessEqual(shared_for, LAG)
        later = timezone.now() + timedelta(seconds=LAG + 1)
        with mock.patch("django.utils.timezone.now", return_value=later):
            again = self.client.get(self.url)
        self.assertEqual(again["X-Page-Cache"], "miss")
        self.assertIn("stale-while-revalidate", again["Cache-Control"])

    def test_migrations_run_on_the_primary_only_and_rows_relate_across(self):
        self.assertTrue(router.allow_migrate("default", "articles"))
        self.assertFalse(router.allow_migrate("replica", "articles"))
        from_replica = Article.objects.using("replica").get(pk=self.article.pk)
        comment = Comment(article=from_replica, body="Hay.")

        self.assertTrue(router.allow_relation(comment, from_replica))


class WithoutReplicaTests(NewsroomTestCase):
    """No DATABASE_REPLICA_URL (the test settings): nothing changes."""

    def test_the_middleware_removes_itself_and_no_router_is_set(self):
        self.assertEqual(router.routers, [])
        with self.assertRaises(MiddlewareNotUsed):
            routers.ReplicaMiddleware(lambda request: None)

    def test_a_comment_post_sets_no_cookie(self):
        article = ArticleFactory()

        posted = self.client.post(
            reverse("comments:create", args=[article.pk]), comment_post_data(article)
        )

        self.assertEqual(posted.status_code, 302)
        self.assertNotIn(routers.COOKIE, posted.cookies)
        self.assertNotIn("replica", self.client.get("/healthz").json())
