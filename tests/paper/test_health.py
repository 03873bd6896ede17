import io
import json
import logging
from unittest import mock

from django.db import OperationalError

from paper.logs import JsonFormatter, RequestIdFilter
from tests.base import NewsroomTestCase


class HealthTests(NewsroomTestCase):
    def test_every_part_answers(self):
        response = self.client.get("/healthz")

        self.assertEqual(response.status_code, 200)
        self.assertEqual(
            response.json(),
            {"status": "ok", "database": "ok", "cache": "ok", "storage": "ok"},
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
