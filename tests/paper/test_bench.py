from django.test import Client, override_settings

from tests.base import NewsroomTestCase


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
