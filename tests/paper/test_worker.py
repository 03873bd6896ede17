"""Background work for real: mail leaves with the worker, never with the
reader's request, reaches an SMTP server on this machine (aiosmtpd), is tried
again when the server fails, and no task is lost when workers stop, start or
die (real ``manage.py run_worker`` processes on PostgreSQL)."""

import email
import email.policy
import logging
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest
from datetime import timedelta
from pathlib import Path
from unittest import mock

from aiosmtpd.controller import Controller
from django.core import mail
from django.db import OperationalError, connection
from django.test import TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from comments.models import Comment, CommentSettings
from paper.tasks import ATTEMPTS, send_admins_mail
from tests.base import TEST_SETTINGS, NewsroomTestCase, run_tasks
from tests.factories import ArticleFactory, comment_post_data
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
MODERATORS = "kiemduyet@baodongkhoi.vn"


class _Inbox:
    """An SMTP server's mailbox that refuses the first ``refuse`` messages
    with a temporary error, as a busy or restarting server does."""

    def __init__(self, refuse: int = 0):
        self.refuse = refuse
        self.refused = 0
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        if self.refused < self.refuse:
            self.refused += 1
            return "451 4.3.0 Try again later"
        self.messages.append(
            (
                envelope.rcpt_tos,
                email.message_from_bytes(
                    envelope.original_content, policy=email.policy.default
                ),
            )
        )
        return "250 OK"


def _smtp_server(test, refuse: int = 0) -> tuple[_Inbox, int]:
    inbox, port = _Inbox(refuse), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    test.addCleanup(controller.stop)
    return inbox, port


def _hung_smtp_server(test) -> tuple[int, threading.Event]:
    """Accepts a connection, then says nothing: a hung mail server."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    test.addCleanup(listener.close)
    connected, held = threading.Event(), []

    def accept():
        try:
            held.append(listener.accept()[0])
        except OSError:
            return  # closed by the cleanup
        connected.set()

    # The accepted connection stays open (and silent) until the test ends.
    test.addCleanup(lambda: [client.close() for client in held])

    threading.Thread(target=accept, daemon=True).start()
    return listener.getsockname()[1], connected


def _smtp_settings(port: int, timeout: int = 2):
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
        EMAIL_TIMEOUT=timeout,
    )


def _retries_come_due() -> None:
    """The wait before each retry has passed."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
        run_after=timezone.now()
    )


class WorkerMailTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.article = ArticleFactory(title="Hạn mặn đến sớm")
        CommentSettings.objects.update_or_create(
            pk=1, defaults={"notify_emails": MODERATORS, "require_approval": True}
        )

    def _post(self, n: int = 1):
        started = time.monotonic()
        response = self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(
                self.article, body=f"Ý kiến {n}", email=f"bandoc{n}@example.com"
            ),
            REMOTE_ADDR=f"198.51.100.{n}",
        )
        self.assertLess(response.status_code, 400)
        return time.monotonic() - started

    def test_the_digest_leaves_with_the_worker_not_with_the_readers_post(self):
        inbox, port = _smtp_server(self)
        with _smtp_settings(port):
            self._post()
            self.assertEqual(inbox.messages, [])
            task = DBTaskResult.objects.get()
            self.assertEqual(task.status, TaskResultStatus.READY)
            self.assertEqual(task.task_path, "comments.tasks.send_comment_digest")

            run_tasks()

        self.assertEqual(len(inbox.messages), 1)
        recipients, message = inbox.messages[0]
        self.assertEqual(recipients, [MODERATORS])
        self.assertIn("[Tòa soạn] 1 bình luận đang chờ duyệt", message["Subject"])
        self.assertIn("Hạn mặn đến sớm", message.get_content())
        task.refresh_from_db()
        self.assertEqual(task.status, TaskResultStatus.SUCCESSFUL)

    def test_a_hung_mail_server_does_not_hold_the_reader(self):
        port, connected = _hung_smtp_server(self)
        with _smtp_settings(port, timeout=4):
            took = self._post()
            # The send would wait EMAIL_TIMEOUT (4 s) before failing.
            self.assertLess(took, 3)
            self.assertFalse(connected.is_set())  # never even connected

            with self.assertLogs("paper.tasks", "WARNING"):
                run_tasks()  # the worker waits, fails, and will try again

        self.assertTrue(connected.is_set())
        self.assertEqual(Comment.objects.count(), 1)
        self.assertTrue(DBTaskResult.objects.filter(status="READY").exists())

    def test_a_refusing_mail_server_is_tried_again_later_then_the_digest_arrives(
        self,
    ):
        inbox, port = _smtp_server(self, refuse=2)
        with _smtp_settings(port):
            self._post()
            for attempt, wait in ((1, 30), (2, 120)):
                with self.assertLogs("paper.tasks", "WARNING") as logs:
                    run_tasks()
                self.assertIn(f"attempt {attempt} of {ATTEMPTS}", logs.output[0])
                retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
                self.assertEqual(retry.args_kwargs["kwargs"], {"attempt": attempt + 1})
                self.assertAlmostEqual(
                    (retry.run_after - timezone.now()).total_seconds(), wait, delta=5
                )
                run_tasks()  # not due yet: nothing happens
                self.assertEqual(inbox.refused, attempt)
                _retries_come_due()
            run_tasks()

        self.assertEqual(len(inbox.messages), 1)
        rows = DBTaskResult.objects.order_by("enqueued_at")
        self.assertEqual(
            [row.status for row in rows],
            [TaskResultStatus.FAILED, TaskResultStatus.FAILED, "SUCCESSFUL"],
        )
        self.assertIn("SMTPDataError", rows[0].exception_class_path)

    def test_a_mail_server_that_never_takes_it_is_given_up_after_the_last_attempt(
        self,
    ):
        inbox, port = _smtp_server(self, refuse=1000)
        with _smtp_settings(port), self.assertLogs("paper.tasks", "WARNING") as logs:
            self._post()
            for _ in range(ATTEMPTS + 2):
                run_tasks()
                _retries_come_due()

        self.assertEqual(inbox.refused, ATTEMPTS)
        self.assertEqual(
            DBTaskResult.objects.filter(status=TaskResultStatus.FAILED).count(),
            ATTEMPTS,
        )
        self.assertFalse(DBTaskResult.objects.ready().exists())
        self.assertIn(
            f"ERROR:paper.tasks:Task send_comment_digest failed {ATTEMPTS}",
            logs.output[-1],
        )


@override_settings(ADMINS=[("Quản trị", "quantri@baodongkhoi.vn")])
class ErrorMailTests(NewsroomTestCase):
    def _error(self):
        logging.getLogger("django.request").error("Internal Server Error: /loi/")

    def test_error_mail_is_sent_by_the_worker(self):
        inbox, port = _smtp_server(self)
        with _smtp_settings(port):
            self._error()
            self.assertEqual(inbox.messages, [])

            run_tasks()

        recipients, message = inbox.messages[0]
        self.assertEqual(recipients, ["quantri@baodongkhoi.vn"])
        self.assertIn("Internal Server Error: /loi/", message["Subject"])

    def test_when_the_queue_is_away_the_error_is_logged_and_no_mail_is_sent(self):
        with (
            mock.patch(
                "django_tasks_db.backend.DatabaseBackend.enqueue",
                side_effect=OperationalError("down"),
            ),
            self.assertLogs("paper.logs", "WARNING") as logs,
        ):
            self._error()  # raises nothing

        self.assertIn("Error mail not queued (down)", logs.output[0])
        self.assertEqual(mail.outbox, [])

    def test_without_admins_nothing_is_enqueued(self):
        with override_settings(ADMINS=[]):
            self._error()

        self.assertFalse(DBTaskResult.objects.exists())


def _database_url() -> str:
    db = connection.settings_dict
    return (
        f"postgres://{db['USER'] or 'postgres'}"
        f"{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
        f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@unittest.skipUnless(
    os.environ.get("DATABASE_URL"),
    "worker processes share the test database on PostgreSQL (SQLite's is in memory)",
)
@override_settings(**TEST_SETTINGS)
class WorkerRestartTests(TransactionTestCase):
    """Real worker processes, started and stopped (or killed) by the test."""

    def setUp(self):
        self.var = Path(tempfile.mkdtemp(prefix="toasoan-worker-"))
        self.article = ArticleFactory(title="Hạn mặn đến sớm")
        CommentSettings.objects.update_or_create(
            pk=1, defaults={"notify_emails": MODERATORS, "require_approval": True}
        )

    def _worker(self, smtp_port: int, email_timeout: int = 2) -> subprocess.Popen:
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "SECRET_KEY": "worker-test-only-not-a-secret",
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": str(email_timeout),
            "VAR_DIR": str(self.var),
            "LOG_LEVEL": "INFO",
        }
        env.pop("REDIS_URL", None)
        env.pop("EMAIL_BACKEND", None)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "run_worker", "--no-reload",
             "--interval", "0.2", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        lines = []

        def read():
            for line in worker.stderr:
                lines.append(line)

        threading.Thread(target=read, daemon=True).start()
        self.addCleanup(self._stop, worker, signal.SIGKILL)
        worker.log = lines
        self._wait(lambda: any("Starting worker" in line for line in lines), worker)
        return worker

    def _stop(self, worker: subprocess.Popen, how=signal.SIGTERM) -> int:
        if worker.poll() is None:
            worker.send_signal(how)
        return worker.wait(timeout=30)

    def _wait(self, condition, worker: subprocess.Popen, seconds: float = 60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if condition():
                return
            if worker.poll() is not None:
                self.fail("the worker exited:\n" + "".join(worker.log))
            time.sleep(0.1)
        self.fail("timed out; the worker said:\n" + "".join(worker.log))

    def _reader_posts(self):
        response = self.client.post(
            reverse("comments:create", args=[self.article.pk]),
            comment_post_data(self.article, body="Ý kiến của tôi"),
            REMOTE_ADDR="198.51.100.7",
        )
        self.assertLess(response.status_code, 400)
        return DBTaskResult.objects.get()

    def test_a_task_enqueued_while_no_worker_runs_is_done_by_the_next_one(self):
        inbox, port = _smtp_server(self)
        first = self._worker(port)
        self.assertEqual(self._stop(first), 0)  # SIGTERM: a clean stop

        task = self._reader_posts()
        time.sleep(1)
        task.refresh_from_db()
        self.assertEqual(task.status, TaskResultStatus.READY)
        self.assertEqual(inbox.messages, [])

        second = self._worker(port)
        self._wait(lambda: inbox.messages, second)

        task.refresh_from_db()
        self.assertEqual(task.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(task.worker_ids, [f"{socket.gethostname()}:{second.pid}"])
        self.assertEqual(self._stop(second), 0)

    def test_a_task_cut_off_by_a_killed_worker_is_taken_back_by_the_next_one(self):
        hung_port, connected = _hung_smtp_server(self)
        first = self._worker(hung_port, email_timeout=120)
        task = self._reader_posts()
        self._wait(connected.is_set, first)  # the digest is being sent
        task.refresh_from_db()
        self.assertEqual(task.status, TaskResultStatus.RUNNING)

        self.assertEqual(self._stop(first, signal.SIGKILL), -signal.SIGKILL)
        task.refresh_from_db()
        self.assertEqual(task.status, TaskResultStatus.RUNNING)

        inbox, port = _smtp_server(self)
        second = self._worker(port)
        self._wait(lambda: inbox.messages, second)

        self.assertIn("Took back 1 task(s)", "".join(second.log))
        task.refresh_from_db()
        self.assertEqual(task.status, TaskResultStatus.SUCCESSFUL)
        self.assertEqual(len(task.worker_ids), 2)  # tried by both
        self.assertIsNotNone(CommentSettings.load().digest_sent_at)
        self.assertEqual(self._stop(second), 0)


class TakeBackTests(NewsroomTestCase):
    def test_only_tasks_of_dead_workers_of_this_server_are_taken_back(self):
        from paper.management.commands.run_worker import take_back_cut_off_tasks

        host = socket.gethostname()
        gone = subprocess.Popen(["true"])  # noqa: S607
        gone.wait()
        me = f"{host}:{os.getpid() + 1}"  # the worker that starts now
        claims = {
            "dead here": f"{host}:{gone.pid}",
            "a previous life of mine": me,  # a container's worker has one pid
            "alive here": f"{host}:{os.getpid()}",
            "elsewhere": f"another-server:{gone.pid}",
            "named by hand": "worker-1",
        }
        for name, worker_id in claims.items():
            result = send_admins_mail.enqueue(name, "")
            DBTaskResult.objects.filter(pk=result.id).update(
                status=TaskResultStatus.RUNNING,
                worker_ids=[worker_id],
                started_at=timezone.now() - timedelta(minutes=1),
            )

        taken = take_back_cut_off_tasks(me)

        self.assertEqual(taken, 2)
        ready = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        self.assertEqual(
            sorted(row.args_kwargs["args"][0] for row in ready),
            ["a previous life of mine", "dead here"],
        )
