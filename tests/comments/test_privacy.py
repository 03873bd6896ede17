from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.utils import timezone

from comments.models import Comment
from tests.base import NewsroomTestCase
from tests.factories import CommentFactory


class PrivacyTests(NewsroomTestCase):
    def setUp(self):
        self.old = CommentFactory(
            status=Comment.Status.SPAM,
            ip_address="203.0.113.5",
            user_agent="Bot/1.0",
        )
        self.recent = CommentFactory(ip_address="203.0.113.6", user_agent="Mobile")
        Comment.objects.filter(pk=self.old.pk).update(
            created_at=timezone.now() - timedelta(days=91)
        )

    def _purge(self, *args) -> str:
        out = StringIO()
        call_command("purge_comment_personal_data", *args, stdout=out)
        return out.getvalue()

    def test_a_dry_run_counts_and_changes_nothing(self):
        self.assertIn("1 comment(s)", self._purge("--dry-run"))
        self.old.refresh_from_db()
        self.assertEqual(self.old.ip_address, "203.0.113.5")

    def test_old_addresses_and_user_agents_are_erased_and_comments_kept(self):
        self.assertIn("1 comment(s)", self._purge())
        self.old.refresh_from_db()
        self.recent.refresh_from_db()
        self.assertIsNone(self.old.ip_address)
        self.assertEqual(self.old.user_agent, "")
        self.assertEqual(self.old.status, Comment.Status.SPAM)
        self.assertEqual(self.recent.ip_address, "203.0.113.6")
        self.assertIn("0 comment(s)", self._purge())

    def test_the_retention_is_configurable(self):
        self._purge("--days", "1")
        self.recent.refresh_from_db()
        self.assertEqual(self.recent.ip_address, "203.0.113.6")
        Comment.objects.filter(pk=self.recent.pk).update(
            created_at=timezone.now() - timedelta(days=2)
        )
        self._purge("--days", "1")
        self.recent.refresh_from_db()
        self.assertIsNone(self.recent.ip_address)

    def test_emails_are_never_on_the_public_page(self):
        page = self.client.get(self.recent.article.get_absolute_url())
        self.assertContains(page, self.recent.name)
        self.assertNotContains(page, self.recent.email)
        self.assertNotContains(page, "203.0.113.6")

    def test_a_purged_comment_does_not_make_new_ones_duplicates(self):
        from django.urls import reverse

        from tests.factories import comment_post_data

        self._purge()
        response = self.client.post(
            reverse("comments:create", args=[self.old.article.pk]),
            comment_post_data(
                self.old.article, body=self.old.body, email="khac@example.com"
            ),
            REMOTE_ADDR="",
        )
        self.assertEqual(response.status_code, 302)
