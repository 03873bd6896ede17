from datetime import timedelta
from io import StringIO

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from comments.models import CommentSettings
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, UserFactory, comment_post_data


class DigestTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = ArticleFactory(title="Hạn mặn đến sớm")
        cls.moderator.email = "kiemduyet@baodongkhoi.vn"
        cls.moderator.save()
        # Staff without the comment permission are not told.
        UserFactory(username="thuky", is_staff=True, email="thuky@baodongkhoi.vn")

    def _post(self, n: int):
        self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(
                self.article, body=f"Ý kiến {n}", email=f"bandoc{n}@example.com"
            ),
            REMOTE_ADDR=f"198.51.100.{n}",
        )

    def test_several_comments_make_one_digest_per_interval(self):
        for n in range(4):
            self._post(n)
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["kiemduyet@baodongkhoi.vn"])
        self.assertIn("1 bình luận đang chờ duyệt", message.subject)
        self.assertIn("Hạn mặn đến sớm", message.body)
        self.assertIn("/quan-tri/comments/comment/?status__exact=pending", message.body)

        CommentSettings.objects.update(
            digest_sent_at=timezone.now() - timedelta(minutes=61)
        )
        self._post(9)
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("5 bình luận", mail.outbox[1].subject)

    def test_a_configured_list_replaces_the_moderators(self):
        config = CommentSettings.load()
        config.notify_emails = "toasoan@baodongkhoi.vn\n\ntruc@baodongkhoi.vn"
        config.save()
        self._post(1)
        self.assertEqual(
            mail.outbox[0].to, ["toasoan@baodongkhoi.vn", "truc@baodongkhoi.vn"]
        )

    def test_the_cron_command_sends_only_when_due(self):
        call_command("send_comment_digest", stdout=StringIO())
        self.assertEqual(len(mail.outbox), 0)  # nothing waiting
        self._post(1)
        call_command("send_comment_digest", stdout=StringIO())
        self.assertEqual(len(mail.outbox), 1)  # the post sent it; not due again

    def test_a_mail_outage_does_not_fail_the_readers_post(self):
        from unittest import mock

        with (
            mock.patch(
                "comments.services.send_mail", side_effect=ConnectionRefusedError
            ),
            self.assertLogs("comments.services", "ERROR"),
        ):
            self._post(1)
        self.assertEqual(self.article.comments.count(), 1)
