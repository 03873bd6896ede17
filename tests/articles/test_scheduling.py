"""Scheduled articles appear at their second, whatever runs; embargo holds."""

from datetime import datetime, timedelta
from io import StringIO
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry
from articles.services import article_transition
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    SectionFactory,
)

S = Article.Status
EIGHT_AM = timezone.make_aware(datetime(2026, 3, 2, 8, 0, 0))


def _at(moment):
    """Run the code under test as if it were ``moment``."""
    return mock.patch("django.utils.timezone.now", return_value=moment)


class SchedulingTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(slug="thoi-su")
        cls.contributor = ContributorFactory(slug="thu-huyen")

    def setUp(self):
        with _at(EIGHT_AM - timedelta(days=1)):
            self.article = ArticleFactory(
                title="Bài hẹn giờ tám giờ sáng",
                section=self.section,
                status=S.APPROVED,
                published_at=None,
                tags=["Bến Tre"],
            )
            CreditFactory(article=self.article, contributor=self.contributor)
            article_transition(
                article=self.article, name="schedule", by=self.chief, at=EIGHT_AM
            )

    def _public_urls(self):
        return [
            reverse("articles:home"),
            self.section.get_absolute_url(),
            reverse("articles:tag", kwargs={"slug": "ben-tre"}),
            self.contributor.get_absolute_url(),
        ]

    def test_it_is_hidden_one_second_before_and_visible_at_the_second(self):
        before = EIGHT_AM - timedelta(microseconds=1)
        self.assertFalse(Article.objects.published(before).exists())
        self.assertTrue(Article.objects.published(EIGHT_AM).exists())
        with _at(EIGHT_AM - timedelta(seconds=1)):
            self.assertEqual(
                self.client.get(self.article.get_absolute_url()).status_code, 404
            )
            for url in self._public_urls():
                self.assertNotContains(self.client.get(url), self.article.title)
        with _at(EIGHT_AM):
            # Nothing has run: the time alone makes it public.
            self.assertEqual(self.article.status, S.SCHEDULED)
            self.assertEqual(
                self.client.get(self.article.get_absolute_url()).status_code, 200
            )
            for url in self._public_urls():
                with self.subTest(url=url):
                    self.assertContains(self.client.get(url), self.article.title)

    def test_the_command_records_due_articles_once(self):
        with _at(EIGHT_AM - timedelta(seconds=1)):
            call_command("publish_scheduled", stdout=StringIO())
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, S.SCHEDULED)

        out = StringIO()
        with _at(EIGHT_AM):
            call_command("publish_scheduled", stdout=out)
            call_command("publish_scheduled", stdout=out)
        self.assertIn("1 scheduled article(s)", out.getvalue())
        self.assertIn("0 scheduled article(s)", out.getvalue())
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, S.PUBLISHED)
        self.assertEqual(self.article.published_at, EIGHT_AM)
        entry = AuditEntry.objects.filter(article=self.article, action="publish").get()
        self.assertIsNone(entry.actor)
        self.assertEqual(entry.from_status, S.SCHEDULED)

    def test_the_dry_run_changes_nothing(self):
        out = StringIO()
        with _at(EIGHT_AM + timedelta(minutes=5)):
            call_command("publish_scheduled", dry_run=True, stdout=out)
        self.assertIn(self.article.title, out.getvalue())
        self.article.refresh_from_db()
        self.assertEqual(self.article.status, S.SCHEDULED)

    def test_the_admin_warns_about_an_overdue_article(self):
        self.client.force_login(self.chief)
        with _at(EIGHT_AM + timedelta(minutes=3)):
            change = self.client.get(
                reverse("admin:articles_article_change", args=[self.article.pk])
            )
            listing = self.client.get(reverse("admin:articles_article_changelist"))
            index = self.client.get(reverse("admin:index"))
        self.assertContains(change, "Quá giờ hẹn")
        self.assertContains(listing, "quá giờ hẹn")
        self.assertContains(index, "Quá giờ hẹn")
        self.assertContains(index, self.article.title)

    def test_scheduling_in_the_past_is_refused(self):
        article = ArticleFactory(status=S.APPROVED, published_at=None)
        with self.assertRaisesMessage(ValidationError, "phải ở tương lai"):
            article_transition(
                article=article,
                name="schedule",
                by=self.chief,
                at=timezone.now() - timedelta(minutes=1),
            )


class EmbargoTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(slug="kinh-te")
        cls.contributor = ContributorFactory(slug="hoang-vu")
        cls.until = timezone.now() + timedelta(hours=2)
        # Published, dated in the past, but under embargo: whatever the state,
        # the embargo wins.
        cls.article = ArticleFactory(
            title="Số liệu GRDP quý I bị cấm đăng",
            section=cls.section,
            embargo_until=cls.until,
            tags=["GRDP"],
        )
        CreditFactory(article=cls.article, contributor=cls.contributor)

    def _surfaces(self):
        return [
            reverse("articles:home"),
            self.section.get_absolute_url(),
            reverse("articles:tag", kwargs={"slug": "grdp"}),
            self.contributor.get_absolute_url(),
        ]

    def test_it_keeps_the_article_off_every_public_surface_until_it_passes(self):
        self.assertEqual(
            self.client.get(self.article.get_absolute_url()).status_code, 404
        )
        for url in self._surfaces():
            with self.subTest(url=url):
                self.assertNotContains(self.client.get(url), self.article.title)
        preview = self.client.get(self.article.get_preview_url())
        self.assertEqual(preview.status_code, 403)
        self.assertNotContains(preview, self.article.title, status_code=403)
        comment = self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            {"name": "An", "email": "an@example.com", "body": "Sớm quá"},
        )
        self.assertEqual(comment.status_code, 404)

        with _at(self.until):
            self.assertEqual(
                self.client.get(self.article.get_absolute_url()).status_code, 200
            )
            for url in self._surfaces():
                with self.subTest(url=url, after=True):
                    self.assertContains(self.client.get(url), self.article.title)
            self.assertEqual(
                self.client.get(self.article.get_preview_url()).status_code, 200
            )

    def test_publishing_now_during_an_embargo_is_refused(self):
        article = ArticleFactory(
            status=S.APPROVED, published_at=None, embargo_until=self.until
        )
        with self.assertRaisesMessage(ValidationError, "cấm đăng"):
            article_transition(article=article, name="publish", by=self.chief)
        with self.assertRaisesMessage(ValidationError, "sớm hơn giờ cấm đăng"):
            article_transition(
                article=article,
                name="schedule",
                by=self.chief,
                at=self.until - timedelta(minutes=1),
            )
        article_transition(
            article=article, name="schedule", by=self.chief, at=self.until
        )
        article.refresh_from_db()
        self.assertEqual(article.status, S.SCHEDULED)


class DayFirstDateTests(NewsroomTestCase):
    """Vietnamese write the day first: 05/01 is the fifth of January."""

    def _schedule(self, day: str, time: str = "08:30"):
        article = ArticleFactory(status=S.APPROVED, published_at=None)
        self.client.force_login(self.chief)
        response = self.client.post(
            reverse("admin:articles_article_change", args=[article.pk]),
            article_form_data(
                article, _transition="schedule", schedule_at_0=day, schedule_at_1=time
            ),
        )
        article.refresh_from_db()
        return response, article

    def test_an_ambiguous_day_is_read_day_first(self):
        response, article = self._schedule("05/01/2099")

        self.assertEqual(response.status_code, 302)
        local = timezone.localtime(article.published_at)
        self.assertEqual((local.day, local.month, local.year), (5, 1, 2099))
        self.assertEqual((local.hour, local.minute), (8, 30))

    def test_a_day_past_the_twelfth_is_accepted(self):
        response, article = self._schedule("25/12/2099", "7h45")

        self.assertEqual(response.status_code, 302)
        local = timezone.localtime(article.published_at)
        self.assertEqual((local.day, local.month, local.hour), (25, 12, 7))

    def test_the_form_shows_a_date_day_first(self):
        article = ArticleFactory(
            embargo_until=timezone.make_aware(datetime(2099, 1, 5, 9, 0))
        )
        self.client.force_login(self.chief)

        page = self.client.get(
            reverse("admin:articles_article_change", args=[article.pk])
        )

        self.assertContains(page, 'value="05/01/2099"')
