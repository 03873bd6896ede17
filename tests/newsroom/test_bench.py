from django.test import Client, override_settings

from tests.base import NewsroomTestCase
from tests.newsroom.test_site import _manage


class BenchEndpointTests(NewsroomTestCase):
    def test_the_bare_view_is_off_by_default(self):
        response = Client().get("/__bench/bare")
        self.assertEqual(response.status_code, 404)

    @override_settings(BENCH_ENDPOINTS=True)
    def test_the_bare_view_answers_a_constant_without_queries(self):
        with self.assertNumQueries(0):
            response = Client().get("/__bench/bare")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.content, b"ok")


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
