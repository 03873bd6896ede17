"""Mail through a real SMTP server on this machine (aiosmtpd), configured as
an operator would: one EMAIL_URL in the environment of a real process."""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from django.test import SimpleTestCase

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((session.auth_data, envelope))
        return "250 OK"


def _login(server, session, envelope, mechanism, auth_data):
    ok = (auth_data.login, auth_data.password) == (b"toasoan", b"mat khau:1")
    return AuthResult(success=ok, auth_data=auth_data.login)


def _send_test_email(email_url: str, *, timeout: int = 60):
    env = {**os.environ, "EMAIL_URL": email_url, "EMAIL_TIMEOUT": "2"}
    env.pop("EMAIL_BACKEND", None)
    return subprocess.run(
        [sys.executable, "manage.py", "sendtestemail", "bientap@baoduaxanh.vn"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


class MailTests(SimpleTestCase):
    def _server(self, **options) -> tuple[_Inbox, int]:
        inbox, port = _Inbox(), free_port()
        controller = Controller(inbox, hostname="127.0.0.1", port=port, **options)
        controller.start()
        self.addCleanup(controller.stop)
        return inbox, port

    def test_mail_reaches_the_server_named_by_email_url(self):
        inbox, port = self._server()

        sent = _send_test_email(f"smtp://127.0.0.1:{port}")

        self.assertEqual(sent.returncode, 0, sent.stderr)
        self.assertEqual(len(inbox.messages), 1)
        self.assertEqual(inbox.messages[0][1].rcpt_tos, ["bientap@baoduaxanh.vn"])

    def test_a_login_in_the_url_is_used_and_may_hold_any_character(self):
        inbox, port = self._server(authenticator=_login, auth_require_tls=False)

        sent = _send_test_email(f"smtp://toasoan:mat%20khau%3A1@127.0.0.1:{port}")

        self.assertEqual(sent.returncode, 0, sent.stderr)
        self.assertEqual(inbox.messages[0][0], b"toasoan")

    def test_a_server_that_never_answers_fails_the_send_within_the_timeout(self):
        # Accepts the connection, then says nothing (a hung mail server).
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        self.addCleanup(listener.close)
        held = []
        threading.Thread(
            target=lambda: held.append(listener.accept()), daemon=True
        ).start()
        port = listener.getsockname()[1]

        started = time.monotonic()
        sent = _send_test_email(f"smtp://127.0.0.1:{port}")

        self.assertNotEqual(sent.returncode, 0)
        self.assertIn("timed out", sent.stderr)
        # The process start and Django's set-up take most of this.
        self.assertLess(time.monotonic() - started, 15)

    def test_a_mistyped_url_stops_the_start_with_the_reason(self):
        sent = _send_test_email("smpt://mail.baoduaxanh.vn")

        self.assertNotEqual(sent.returncode, 0)
        self.assertIn("EMAIL_URL must look like smtp://", sent.stderr)
