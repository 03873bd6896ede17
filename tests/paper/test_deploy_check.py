"""``manage.py check --deploy`` with the production variables the README
gives: clean, and failing loudly on the two classic mistakes."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from django.test import SimpleTestCase

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/toasoan",
    "ALLOWED_HOSTS": "baoduaxanh.vn",
    "HTTPS": "1",
}


def _check(**variables: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **PRODUCTION, "SECRET_KEY": secrets.token_urlsafe(50)}
    env.pop("DEBUG", None)
    env.update(variables)
    return subprocess.run(
        [
            sys.executable, "manage.py", "check", "--deploy",
            "--fail-level", "WARNING",
        ],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


class DeployCheckTests(SimpleTestCase):
    def test_the_production_settings_pass_with_no_warning(self):
        checked = _check()

        self.assertEqual(checked.returncode, 0, checked.stderr)
        self.assertIn("no issues", checked.stdout)

    def test_debug_left_on_fails_the_check(self):
        checked = _check(DEBUG="1")

        self.assertNotEqual(checked.returncode, 0)
        self.assertIn("security.W018", checked.stderr)

    def test_a_weak_key_fails_the_check(self):
        checked = _check(SECRET_KEY="toasoan")

        self.assertNotEqual(checked.returncode, 0)
        self.assertIn("security.W009", checked.stderr)
