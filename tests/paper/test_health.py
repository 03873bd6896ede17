import io
import json
import logging
from datetime import timedelta
from unittest import mock

from django.db import OperationalError
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from comments.tasks import send_comment_digest
from paper.logs import JsonFormatter, RequestIdFilter
from tests.base import NewsroomTestCase, run_tasks


class HealthTests(NewsroomTestCase):
    def test_every_part_answers(self):
        response = self.client.get("/healthz")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {
                "status": "ok",
                "database": "ok",
                "cache": "ok",
                "storage": "ok",
                "worker": "ok",
            },
        )
        self.assertIn("no-store", response["Cache-Control"])

    def test_a_failing_part_is_named_with_a_503(self):
        with mock.patch(
            "django.db.backends.utils.CursorWrapper.execute",
            side_effect=OperationalError("connection refused"),
        ):
            response = self.client.get("/healthz")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["database"], "error: OperationalError")
        self.assertEqual(response.json()["cache"], "ok")

    def test_it_is_never_kept_by_the_page_cache(self):
        self.client.get("/healthz")
        second = self.client.get("/healthz")

        self.assertNotIn("X-Page-Cache", second)
        self.assertNotIn("public", second["Cache-Control"])

    def test_each_answer_names_its_request_for_the_logs(self):
        first = self.client.get("/healthz")
        second = self.client.get("/healthz")

        self.assertRegex(first["X-Request-ID"], r"^[0-9a-f]{16}$")
        self.assertNotEqual(first["X-Request-ID"], second["X-Request-ID"])


@override_settings(WORKER_LATE_AFTER=300)
class WorkerHealthTests(NewsroomTestCase):
    """The worker is seen through the task table: a task ready for over five
    minutes means no worker takes tasks."""

    def _waiting_since(self, minutes: float, **using) -> None:
        result = send_comment_digest.using(**using).enqueue()
        DBTaskResult.objects.filter(pk=result.id).update(
            enqueued_at=timezone.now() - timedelta(minutes=minutes)
        )

    def test_a_task_waiting_too_long_names_the_worker_with_a_503(self):
        self._waiting_since(6)

        with self.assertLogs("paper.views", "WARNING") as logs:
            response = self.client.get("/healthz")

        self.assertEqual(response.status_code, 503)
        self.assertEqual(response.json()["worker"], "error: WorkerAbsent")
        self.assertEqual(response.json()["database"], "ok")
        self.assertIn("1 task(s) ready for over 300 s", logs.output[0])

    def test_tasks_just_enqueued_or_set_for_later_are_not_late(self):
        self._waiting_since(1)
        # A retry set for two minutes from now, enqueued long ago.
        self._waiting_since(30, run_after=timezone.now() + timedelta(minutes=2))

        response = self.client.get("/healthz")

        self.assertEqual(response.status_code, 200)

    def test_a_retry_is_late_only_that_long_after_its_time(self):
        self._waiting_since(60, run_after=timezone.now() - timedelta(minutes=6))

        self.assertEqual(self.client.get("/healthz").status_code, 503)

    def test_once_a_worker_has_run_the_tasks_it_is_ok(self):
        self._waiting_since(6)
        self.assertEqual(self.client.get("/healthz").status_code, 503)

        run_tasks()

        self.assertEqual(self.client.get("/healthz").status_code, 200)


class LogLineTests(NewsroomTestCase):
    def test_a_json_line_carries_the_request_id_of_its_answer(self):
        stream = io.StringIO()
        handler = logging.StreamHandler(stream)
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(JsonFormatter())
        logger = logging.getLogger("paper.views")
        logger.addHandler(handler)
        self.addCleanup(logger.removeHandler, handler)

        with mock.patch(
            "django.db.backends.utils.CursorWrapper.execute",
            side_effect=OperationalError("connection refused"),
        ):
            response = self.client.get("/healthz")

        line = json.loads(stream.getvalue().splitlines()[0])
        self.assertEqual(line["request_id"], response["X-Request-ID"])
        self.assertEqual((line["level"], line["logger"]), ("WARNING", "paper.views"))
        self.assertIn("database", line["message"])
        self.assertTrue(line["time"].endswith("+00:00"))
