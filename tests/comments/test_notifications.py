from datetime import timedelta
from io import StringIO
from unittest import mock

from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, CommentSettings
from tests.base import NewsroomTestCase, run_tasks
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
        self.assertEqual(len(mail.outbox), 0)  # no reader waits for the mail
        run_tasks()
        self.assertEqual(len(mail.outbox), 1)
        message = mail.outbox[0]
        self.assertEqual(message.to, ["kiemduyet@baodongkhoi.vn"])
        self.assertIn("4 bình luận đang chờ duyệt", message.subject)
        self.assertIn("Hạn mặn đến sớm", message.body)
        self.assertIn("/quan-tri/comments/comment/?status__exact=pending", message.body)

        CommentSettings.objects.update(
            digest_sent_at=timezone.now() - timedelta(minutes=61)
        )
        self._post(9)
        run_tasks()
        self.assertEqual(len(mail.outbox), 2)
        self.assertIn("5 bình luận", mail.outbox[1].subject)

    def test_within_the_interval_a_held_comment_enqueues_nothing(self):
        self._post(1)
        run_tasks()
        self._post(2)

        self.assertFalse(DBTaskResult.objects.ready().exists())

    def test_a_configured_list_replaces_the_moderators(self):
        config = CommentSettings.load()
        config.notify_emails = "toasoan@baodongkhoi.vn\n\ntruc@baodongkhoi.vn"
        config.save()
        self._post(1)
        run_tasks()
        self.assertEqual(
            mail.outbox[0].to, ["toasoan@baodongkhoi.vn", "truc@baodongkhoi.vn"]
        )

    def test_a_report_that_sends_a_comment_back_enqueues_the_digest(self):
        CommentSettings.objects.update(report_threshold=1)
        shown = Comment.objects.create(
            article=self.article,
            name="Bạn đọc",
            email="bandoc@example.com",
            body="Ý kiến đã duyệt",
            status=Comment.Status.APPROVED,
        )
        self.client.post(reverse("comments:report", args=[shown.pk]))
        self.assertEqual(len(mail.outbox), 0)

        run_tasks()

        self.assertIn("1 bình luận đang chờ duyệt", mail.outbox[0].subject)

    def test_the_periodic_command_sends_only_when_due(self):
        call_command("send_comment_digest", stdout=StringIO())
        self.assertEqual(len(mail.outbox), 0)  # nothing waiting
        self._post(1)
        run_tasks()
        call_command("send_comment_digest", stdout=StringIO())
        self.assertEqual(len(mail.outbox), 1)  # the worker sent it; not due again

    def test_the_periodic_command_sends_without_a_worker(self):
        self._post(1)

        call_command("send_comment_digest", stdout=StringIO())
        self.assertEqual(len(mail.outbox), 1)
        run_tasks()  # the worker finds it sent
        self.assertEqual(len(mail.outbox), 1)

    def test_a_mail_outage_is_tried_again_and_the_digest_still_goes(self):
        with mock.patch(
            "comments.services.send_mail", side_effect=ConnectionRefusedError
        ) as refused:
            self._post(1)
            self.assertEqual(self.article.comments.count(), 1)
            refused.assert_not_called()  # not in the reader's request

            with self.assertLogs("paper.tasks", "WARNING") as logs:
                run_tasks()
            refused.assert_called_once()
            with self.assertRaises(CommandError):
                call_command("send_comment_digest", stdout=StringIO())
        self.assertIn("attempt 1 of 5", logs.output[0])
        # The failed send claimed no interval: the retry is due.
        self.assertIsNone(CommentSettings.load().digest_sent_at)
        retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
        self.assertEqual(retry.args_kwargs["kwargs"], {"attempt": 2})

        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_tasks()

        self.assertEqual(len(mail.outbox), 1)
        self.assertIsNotNone(CommentSettings.load().digest_sent_at)
