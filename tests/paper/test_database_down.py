"""PostgreSQL stopped and started again under a running server, for real.

The paper runs under gunicorn on a PostgreSQL cluster of its own (initdb in a
temporary folder, as the ``postgres`` user), so stopping it touches nothing
else. Runs in the PostgreSQL pass of the suite (DATABASE_URL set).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

from tests.servers import free_port, start_gunicorn, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def _as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - fixed commands
        ["runuser", "-u", "postgres", "--", *command],  # noqa: S607
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def _get(url: str) -> tuple[int, dict, str, float]:
    started = time.monotonic()
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310
            status, headers, body = answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        status, headers, body = error.code, error.headers, error.read()
    return status, headers, body.decode(), time.monotonic() - started


@unittest.skipUnless(
    os.environ.get("DATABASE_URL") and PG_BIN and os.geteuid() == 0,
    "needs PostgreSQL's server binaries and root (for runuser); CI has both",
)
class DatabaseDownTests(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = Path(tempfile.mkdtemp(prefix="toasoan-pg-down-"))
        cls.addClassCleanup(shutil.rmtree, cls.folder, ignore_errors=True)
        cls.data = cls.folder / "data"
        cls.data.mkdir()
        shutil.chown(cls.folder, "postgres")
        shutil.chown(cls.data, "postgres")
        cls.pg_port = free_port()
        _as_postgres(
            str(PG_BIN / "initdb"), "-D", str(cls.data), "-A", "trust", "-U",
            "postgres", "--no-sync",
        )  # fmt: skip
        cls._start_postgres()
        cls.addClassCleanup(cls._stop_postgres)
        url = f"postgres://postgres@127.0.0.1:{cls.pg_port}"
        with psycopg.connect(f"{url}/postgres", autocommit=True) as connection:
            connection.execute("CREATE DATABASE paper")
        var = cls.folder / "var"
        env = {
            **os.environ,
            "DATABASE_URL": f"{url}/paper",
            "SECRET_KEY": "database-down-test-only-not-a-secret",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "0",
            "VAR_DIR": str(var),
            "STATIC_ROOT": str(var / "static"),
            "MEDIA_ROOT": str(var / "media"),
            "LOG_LEVEL": "CRITICAL",
        }
        env.pop("REDIS_URL", None)  # the file cache, shared by the workers
        for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
            subprocess.run(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True
            )
        port = free_port()
        cls.server = start_gunicorn(port, env, workers=2, log_level="critical")
        cls.addClassCleanup(cls._stop_server)
        cls.base = f"http://127.0.0.1:{port}"
        wait_until_up(cls.base + "/", cls.server)

    @classmethod
    def _start_postgres(cls):
        options = f"-p {cls.pg_port} -k {cls.folder} -c listen_addresses=127.0.0.1"
        _as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(cls.data), "-o", options, "-w",
            "-l", str(cls.folder / "postgres.log"), "start",
        )  # fmt: skip

    @classmethod
    def _stop_postgres(cls):
        _as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(cls.data), "-m", "fast", "stop")

    @classmethod
    def _stop_server(cls):
        cls.server.terminate()
        cls.server.wait(timeout=10)

    def test_readers_get_kept_pages_or_a_503_and_the_paper_comes_back(self):
        # The home page, kept by the page cache (the second answer).
        _get(self.base + "/")
        status, headers, kept_home, _ = _get(self.base + "/")
        self.assertEqual((status, headers["X-Page-Cache"]), (200, "hit"))

        self._stop_postgres()
        try:
            home = _get(self.base + "/")
            search = _get(self.base + "/tim-kiem?q=dan+van")
            section = _get(self.base + "/chuyen-muc/thoi-su/")
        finally:
            self._start_postgres()
        after = _get(self.base + "/tim-kiem?q=dan+van")

        self.assertEqual((home[0], home[2]), (200, kept_home))
        for status, headers, body, seconds in (search, section):
            self.assertEqual(status, 503)
            self.assertEqual(headers["Retry-After"], "30")
            self.assertIn("Báo tạm gián đoạn trong giây lát", body)
            self.assertLess(seconds, 1)
        # No restart: the workers connect again on the next request.
        self.assertEqual(after[0], 200)
