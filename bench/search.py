"""Search page timings, on a synthetic archive or on the database as it is.

    DATABASE_URL=postgres://... SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \
        .venv/bin/python bench/search.py [--articles 20000] [--rounds 10]

    DATABASE_URL=postgres://.../<copy of toasoan_bench> SECRET_KEY=x \
        ALLOWED_HOSTS=127.0.0.1 .venv/bin/python bench/search.py --archive --rounds 200

    DATABASE_URL=postgres://.../<copy of toasoan_bench> SECRET_KEY=x \
        ALLOWED_HOSTS=127.0.0.1 .venv/bin/python bench/search.py --archive-queries \
        [--rounds 5] [--explain]

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

``--archive-queries`` times, on the benchmark archive, the search part of the
page alone (the ranked window, its count and the first page's articles: what
``articles.views.search_results`` asks of the database) for ``ARCHIVE_QUERIES``:
common words, names of common syllables, places, long phrases, rare and
missing words, with and without diacritics, in a section or between dates.
Each query is run once to warm up, then ``--rounds`` times; the median is
printed, and the median CPU time of this process and of the database's (what
the query costs alone, when other work on the machine keeps it waiting for a
core). ``--explain`` adds EXPLAIN ANALYZE of the slowest query's SQL; ``--ids``
writes each query's ranked ids, to compare two versions' results.
"""

import argparse
import json
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
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.forms import SearchForm  # noqa: E402
from articles.models import Article, Section  # noqa: E402
from articles.search import Query, Results, search, search_lines  # noqa: E402

_VOCABULARY = (
    "Bến Tre dân vận hòa giải thủy lợi nông dân dừa bưởi sầu riêng cầu Rạch Miễu "
    "triều cường bán hàng bạn bè ban chỉ đạo giáo dục y tế tuyển sinh hội nghị "
    "tổng kết công tác chính quyền xã phường ấp cù lao sông Hàm Luông Cổ Chiên"
)
WORDS = _VOCABULARY.split()
QUERIES = ["dan van", "dân vận", "ben tre", "hoà giải", "bạn", "xeo quit", "tre o ben"]
RARE = "xeo quit"

# (query, section slug, from day, to day): see --archive-queries.
ARCHIVE_QUERIES = [
    # The list.
    ("nguyen van hung", "", "", ""),
    ("nguyễn văn hùng", "", "", ""),
    ("dan van", "", "", ""),
    ("ben tre", "", "", ""),
    ("hoa giai", "", "", ""),
    ("cau rach mieu", "", "", ""),
    ("xay dung nong thon moi", "", "", ""),
    # The default list above.
    ("dân vận", "", "", ""),
    ("hoà giải", "", "", ""),
    ("bạn", "", "", ""),
    ("xeo quit", "", "", ""),
    ("tre o ben", "", "", ""),
    # Common words of one to three syllables.
    ("dan", "", "", ""),
    ("ngay", "", "", ""),
    ("xã", "", "", ""),
    ("nuoc", "", "", ""),
    ("nông dân", "", "", ""),
    ("nguoi dan", "", "", ""),
    ("hop tac xa", "", "", ""),
    ("khách du lịch", "", "", ""),
    ("trieu cuong", "", "", ""),
    # People's names of very common syllables, found or not.
    ("nguyen thi lan", "", "", ""),
    ("tran van nam", "", "", ""),
    ("le thi hong", "", "", ""),
    ("nguyen thi", "", "", ""),
    ("Trần Thị Mỹ Dung", "", "", ""),
    ("phan thanh nhut", "", "", ""),
    # Places.
    ("cho lach", "", "", ""),
    ("Mỏ Cày Nam", "", "", ""),
    ("song ham luong", "", "", ""),
    ("con phung", "", "", ""),
    ("thanh pho ho chi minh", "", "", ""),
    # Phrases of four to six words.
    ("chu tich ubnd tinh", "", "", ""),
    ("phong chong thien tai", "", "", ""),
    ("san xuat dua huu co", "", "", ""),
    ("xây dựng nông thôn mới kiểu mẫu", "", "", ""),
    ("nguoi dan co the", "", "", ""),
    # Rare words, and no match at all.
    ("OCOP", "", "", ""),
    ("lăng quăng", "", "", ""),
    ("gao dua", "", "", ""),
    ("quantum", "", "", ""),
    ("tre ben", "", "", ""),
    ("dua ghe nguyen van hung", "", "", ""),
    # A section (with subsections, or one alone), dates, or both.
    ("dan van", "chinh-tri", "", ""),
    ("ben tre", "nong-nghiep", "", ""),
    ("cau rach mieu", "thoi-su", "", ""),
    ("xay dung nong thon moi", "kinh-te", "", ""),
    ("nguyen van hung", "ban-doc", "", ""),
    ("dan van", "", "2026-01-01", "2026-03-31"),
    ("cau rach mieu", "", "", "2023-12-31"),
    ("nguoi dan", "", "2025-06-01", ""),
    ("hop tac xa", "kinh-te", "2024-01-01", "2024-12-31"),
    ("ngay", "", "2022-05-01", "2022-05-01"),
]


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
        query["sql"] for query in captured if "article_search_tokens" in query["sql"]
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


def _search_part(q: str, section: str, start: str, end: str) -> Results:
    """What the search page asks of the database for one query: the ranked
    window and its count, then the first page's articles (as the view does)."""
    form = SearchForm({"q": q, "chuyen_muc": section, "tu": start, "den": end})
    assert form.is_valid(), form.errors  # noqa: S101 - the list above is fixed
    articles = Article.objects.published().for_search_results()
    found = search(articles, Query.parse(q), **form.scope())
    list(Paginator(found, settings.ARTICLES_PER_PAGE).page(1).object_list)
    return found


def _backend_cpu_ns(pid: int) -> int | None:
    """CPU time of a PostgreSQL process (on this host), in ns."""
    try:
        return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0])
    except OSError:
        return None


def _measure_archive_queries(rounds: int, explain: bool, ids: str) -> None:
    """Median wall time of each query's search part, and its median CPU time
    (this process's plus the database process's): on a busy machine the
    wall time is mostly waiting for a core, and the CPU time is what the
    query would take alone."""
    print(
        f"{Article.objects.count()} articles on {connection.vendor}, "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    worst, worst_ms = ARCHIVE_QUERIES[0], 0.0
    ranked = {}
    for entry in ARCHIVE_QUERIES:
        found = _search_part(*entry)  # warm up
        ranked["|".join(entry)] = {"ids": found.ids, "capped": found.is_capped}
        times, cpu_times = [], []
        for _ in range(rounds):
            backend = _backend_cpu_ns(pid)
            own = time.process_time_ns()
            start = time.perf_counter()
            _search_part(*entry)
            times.append((time.perf_counter() - start) * 1000)
            if backend is not None:
                used = time.process_time_ns() - own + _backend_cpu_ns(pid) - backend
                cpu_times.append(used / 1e6)
        median = statistics.median(times)
        if median > worst_ms:
            worst, worst_ms = entry, median
        q, section, day_from, day_to = entry
        where = " ".join(
            part
            for part in (
                section and f"in {section}",
                day_from and f"from {day_from}",
                day_to and f"to {day_to}",
            )
            if part
        )
        hits = f"{len(found)}+" if found.is_capped else str(len(found))
        cpu = f"  cpu {statistics.median(cpu_times):6.1f} ms" if cpu_times else ""
        print(f"{q!r:>36} {where:<34} {hits:>5} hits  p50 {median:6.1f} ms{cpu}")
    print(f"load average {os.getloadavg()[0]:.2f}")
    if ids:
        Path(ids).write_text(json.dumps(ranked))
    if explain and connection.vendor == "postgresql":
        with CaptureQueriesContext(connection) as captured:
            _search_part(*worst)
        with connection.cursor() as cursor:
            for query in captured:
                if "search_" not in query["sql"]:
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
                print(f"\nThe slowest, {worst!r}:")
                print("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument(
        "--archive",
        action="store_true",
        help="time the articles already in the database; add none",
    )
    parser.add_argument(
        "--archive-queries",
        action="store_true",
        help="time the search part of ARCHIVE_QUERIES on the database as it is",
    )
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN ANALYZE of the slowest"
    )
    parser.add_argument(
        "--ids", metavar="FILE", help="write each query's ranked ids, as JSON"
    )
    args = parser.parse_args()
    if args.archive_queries:
        _measure_archive_queries(args.rounds, args.explain, args.ids)
        return
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
                        "SELECT gin_clean_pending_list('article_search_tokens_idx')"
                    )
            _measure(client, args.rounds)
            raise Rollback
    except Rollback:
        print("Rolled back: the database is as it was.")


if __name__ == "__main__":
    main()
