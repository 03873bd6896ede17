"""Errors reach Sentry when SENTRY_DSN is set: a stand-in ingest endpoint on
this machine receives what sentry-sdk sends from a real process."""

import gzip
import http.server
import json
import os
import subprocess
import sys
import threading
import zlib
from pathlib import Path

import brotli
from django.test import SimpleTestCase

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


class _Ingest(http.server.BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"] or 0))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "br":
            body = brotli.decompress(body)
        elif encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        self.received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


class ErrorReportTests(SimpleTestCase):
    def test_an_error_logged_by_the_paper_is_sent_to_sentry(self):
        port = free_port()
        server = http.server.HTTPServer(("127.0.0.1", port), _Ingest)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.shutdown)
        env = {
            **os.environ,
            "SENTRY_DSN": f"http://publickey@127.0.0.1:{port}/42",
            "LOG_LEVEL": "WARNING",
        }
        script = (
            "import logging\n"
            "try:\n    1 / 0\n"
            "except ZeroDivisionError:\n"
            "    logging.getLogger('articles').exception('Không gửi được thư')\n"
        )

        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", "shell", "-c", script],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=60,
        )

        sent = b"".join(_Ingest.received).decode(errors="replace")
        self.assertIn("ZeroDivisionError", sent)
        self.assertIn(json.dumps("Không gửi được thư"), sent)
        # A frame's variables may hold a reader's email or address: not sent.
        self.assertNotIn('"vars"', sent)
