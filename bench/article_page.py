"""Query count and render time of the article page on the current database.

Run after `make demo` (or `manage.py demo --no-serve`):

    .venv/bin/python bench/article_page.py [--rounds 200]

It renders every published article through Django's test client (no network, no
page cache unless PAGE_CACHE=1) and prints the query count per page and the
median and p95 times.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# Measure rendering, not the page cache (PAGE_CACHE=1 to time cache hits instead).
os.environ.setdefault("PAGE_CACHE", "0")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200, help="page renders to time")
    args = parser.parse_args()

    published = Article.objects.published().only("id", "slug")
    urls = [article.get_absolute_url() for article in published]
    if not urls:
        sys.exit("No published article: run `python manage.py demo --no-serve` first.")
    client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0])
    for url in urls:  # warm caches and templates
        status = client.get(url).status_code
        if status != 200:
            sys.exit(f"{url} answered {status}")

    query_counts = set()
    for url in urls:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        query_counts.add(len(queries))

    timings = []
    for i in range(args.rounds):
        url = urls[i % len(urls)]
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        if response.status_code != 200:
            sys.exit(f"{url} answered {response.status_code}")
    timings.sort()
    print(f"database: {connection.vendor}, pages: {len(urls)}, rounds: {args.rounds}")
    print(f"queries per article page: {sorted(query_counts)}")
    print(f"median render: {statistics.median(timings):.2f} ms")
    print(f"p95 render: {timings[int(len(timings) * 0.95) - 1]:.2f} ms")


if __name__ == "__main__":
    main()
