"""EXPLAIN (ANALYZE, BUFFERS) of every query of the hot listing pages.

    DATABASE_URL=postgres://.../toasoan_bench SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \
        .venv/bin/python bench/explain.py

Fetches each page marked ``explain`` in bench/pages.py through Django's test
client, captures the SQL it ran, and prints each statement with its plan, so
the plans are those of the real page, not of a hand-copied query.
"""

from pages import PAGES, setup_django

setup_django()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("EXPLAIN ANALYZE needs PostgreSQL (set DATABASE_URL).")
    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    for page in PAGES:
        if not page.explain:
            continue
        url = page.url()
        client.get(url)  # warm the buffer cache: plans of a serving database
        with CaptureQueriesContext(connection) as captured:
            status = client.get(url).status_code
        print(f"\n===== {page.name}: {url} (HTTP {status}, {len(captured)} queries)")
        if status != 200:
            print("not available")
            continue
        for number, query in enumerate(captured, 1):
            sql = query["sql"]
            print(f"\n--- query {number}: {sql[:300]}{'...' if len(sql) > 300 else ''}")
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                for (line,) in cursor.fetchall():
                    print(line)


if __name__ == "__main__":
    main()
