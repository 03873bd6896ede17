"""The settings module: environment variables, read in a fresh process."""

import os
import subprocess
import sys
from pathlib import Path

from tests.base import NewsroomTestCase

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "DATABASE_REPLICA_URL",
            "SECRET_KEY",
            "DEBUG",
            "ALLOWED_HOSTS",
            "HTTPS",
        }
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


class SettingsTests(NewsroomTestCase):
    def test_a_deployment_without_secret_key_refuses_to_start(self):
        result = _manage("check", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY is not set", result.stderr)

    def test_the_deploy_check_is_clean_with_production_settings(self):
        result = _manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DATABASE_URL="postgres://u@127.0.0.1:5432/x",
            SECRET_KEY="a-real-deployment-would-use-a-long-random-value-0123456789abcdef",
            ALLOWED_HOSTS="baoduaxanh.vn",
            HTTPS="1",
        )
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_a_bad_boolean_is_a_clear_error(self):
        result = _manage("check", DEBUG="maybe")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DEBUG='maybe' is not a boolean", result.stderr)


class ConnectionSettingsTests(NewsroomTestCase):
    def _database_settings(self, **env: str) -> str:
        result = _manage(
            "shell",
            "-c",
            "from django.conf import settings; d = settings.DATABASES['default'];"
            "print(d['CONN_MAX_AGE'], d.get('OPTIONS', {}).get('pool'))",
            DATABASE_URL="postgres://u@127.0.0.1:5432/x",
            SECRET_KEY="x" * 50,
            **env,
        )
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout.strip().splitlines()[-1]

    def test_workers_keep_their_connection_by_default(self):
        self.assertEqual(self._database_settings(), "60 None")

    def test_db_pool_uses_psycopgs_pool_without_persistent_connections(self):
        self.assertEqual(
            self._database_settings(DB_POOL="1"),
            "0 {'min_size': 2, 'max_size': 4}",
        )


class ReplicaSettingsTests(NewsroomTestCase):
    SHOW = (
        "from django.conf import settings;"
        "r = settings.DATABASES.get('replica');"
        "print(r and (r['HOST'], r['NAME'], r['TEST']['MIRROR'],"
        " r['OPTIONS']['connect_timeout']), settings.DATABASE_ROUTERS,"
        " [m for m in settings.MIDDLEWARE if 'Replica' in m][0])"
    )

    def test_a_replica_url_adds_the_replica_and_its_router(self):
        result = _manage(
            "shell",
            "-c",
            self.SHOW,
            DATABASE_URL="postgres://u@10.0.0.1:5432/paper",
            DATABASE_REPLICA_URL="postgres://u@10.0.0.2:5432/paper",
            SECRET_KEY="x" * 50,
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(
            result.stdout.strip().splitlines()[-1],
            "('10.0.0.2', 'paper', 'default', 3) ['paper.routers.PrimaryReplicaRouter']"
            " paper.routers.ReplicaMiddleware",
        )

    def test_without_one_there_is_no_replica_and_no_router(self):
        result = _manage(
            "shell",
            "-c",
            self.SHOW,
            DATABASE_URL="postgres://u@10.0.0.1:5432/paper",
            SECRET_KEY="x" * 50,
        )

        self.assertEqual(result.returncode, 0, result.stderr)
        # The middleware is listed but removes itself (MiddlewareNotUsed).
        self.assertEqual(
            result.stdout.strip().splitlines()[-1],
            "None [] paper.routers.ReplicaMiddleware",
        )

    def test_a_replica_needs_its_primary(self):
        result = _manage("check", DATABASE_REPLICA_URL="postgres://u@10.0.0.2:5432/x")

        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DATABASE_REPLICA_URL is set without DATABASE_URL", result.stderr)
