"""Search page timings, on a synthetic archive or on the database as it is.

    DATABASE_URL=postgres://... SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \
        .venv/bin/python bench/search.py [--articles 20000] [--rounds 10]

    DATABASE_URL=postgres://.../<copy of toasoan_bench> SECRET_KEY=x \
        ALLOWED_HOSTS=127.0.0.1 .venv/bin/python bench/search.py --archive --rounds 200

By default, inside one transaction that is rolled back at the end (the database
keeps nothing), it adds ``--articles`` articles written from a small Vietnamese
vocabulary, so common words are in nearly every article (the worst case),
plus 30 articles with the rare phrase "Xẻo Quít". With ``--archive`` it adds
nothing and reads the articles already there (the benchmark archive: run
``collectstatic`` first, as production settings need its manifest).

Each query's search page is fetched through Django's test client with the
page cache off; it prints the hits ("500+" when the list is capped, see
articles/search.py), the SQL queries per page, and the median and p95 times.
On PostgreSQL it ends with EXPLAIN ANALYZE of the ranking query of the first
query and of the rare phrase (the GIN index at work).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# Measure the search, not the page cache.
os.environ.setdefault("PAGE_CACHE", "0")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from articles.search import Query, search, search_lines  # noqa: E402

_VOCABULARY = (
    "Bến Tre dân vận hòa giải thủy lợi nông dân dừa bưởi sầu riêng cầu Rạch Miễu "
    "triều cường bán hàng bạn bè ban chỉ đạo giáo dục y tế tuyển sinh hội nghị "
    "tổng kết công tác chính quyền xã phường ấp cù lao sông Hàm Luông Cổ Chiên"
)
WORDS = _VOCABULARY.split()
QUERIES = ["dan van", "dân vận", "ben tre", "hoà giải", "bạn", "xeo quit", "tre o ben"]
RARE = "xeo quit"


class Rollback(Exception):
    pass


def _fill(count: int) -> None:
    rng = random.Random(1)  # noqa: S311 - sample text
    section = Section.objects.create(name="Bench", slug="bench-search")
    now = timezone.now()
    batch = []
    for i in range(count):
        title = " ".join(rng.choices(WORDS, k=9)) + (" Xẻo Quít" if i < 30 else "")
        lead = " ".join(rng.choices(WORDS, k=35))
        body = "".join(f"<p>{' '.join(rng.choices(WORDS, k=60))}</p>" for _ in range(8))
        article = Article(
            title=title,
            slug=f"bench-{i}",
            section=section,
            lead=lead,
            body=body,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=37 * i),
        )
        # bulk_create skips save(), which writes the search lines.
        article.search_text, article.search_exact = search_lines(
            title=title, lead=lead, body_html=body
        )
        batch.append(article)
    Article.objects.bulk_create(batch, batch_size=1000)


def _explain(client: Client, q: str) -> None:
    """EXPLAIN ANALYZE of the query that ranks ``q``, as the page sends it."""
    with CaptureQueriesContext(connection) as captured:
        client.get("/tim-kiem", {"q": q})
    ranking = next(
        query["sql"] for query in captured if "search_vector" in query["sql"]
    )
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {ranking}")
        print(f"\nThe ranking query of {q!r}:")
        print("\n".join(row[0] for row in cursor.fetchall()))


def _measure(client: Client, rounds: int) -> None:
    # Other work on the machine shows in the times: print its load.
    print(
        f"{Article.objects.count()} articles on {connection.vendor}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    for q in QUERIES:
        client.get("/tim-kiem", {"q": q})  # warm caches and templates
        with CaptureQueriesContext(connection) as captured:
            status = client.get("/tim-kiem", {"q": q}).status_code
        # Now: each request empties the connection's query log.
        query_count = len(captured)
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            client.get("/tim-kiem", {"q": q})
            times.append((time.perf_counter() - start) * 1000)
        times.sort()
        found = search(Article.objects.published(), Query.parse(q))
        hits = f"{len(found)}+" if found.is_capped else str(len(found))
        print(
            f"{q!r:>12}: {hits:>6} hits, {query_count} queries, "
            f"p50 {statistics.median(times):6.1f} ms, "
            f"p95 {times[max(0, int(len(times) * 0.95) - 1)]:6.1f} ms "
            f"(HTTP {status})"
        )
    print(f"load average {os.getloadavg()[0]:.2f}")
    if connection.vendor == "postgresql":
        _explain(client, QUERIES[0])
        _explain(client, RARE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--archive",
        action="store_true",
        help="time the articles already in the database; add none",
    )
    args = parser.parse_args()
    client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0])
    if args.archive:
        _measure(client, args.rounds)
        return
    try:
        with transaction.atomic():
            _fill(args.articles)
            if connection.vendor == "postgresql":
                # As after autovacuum: planner statistics, GIN pending list merged.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE articles_article")
                    cursor.execute(
                        "SELECT gin_clean_pending_list('article_search_idx')"
                    )
            _measure(client, args.rounds)
            raise Rollback
    except Rollback:
        print("Rolled back: the database is as it was.")


if __name__ == "__main__":
    main()
