"""Search timings on a synthetic archive, rolled back afterwards.

    DATABASE_URL=postgres://... SECRET_KEY=x DEBUG=1 ALLOWED_HOSTS=testserver \
        .venv/bin/python bench/search.py [--articles 20000]

Inside one transaction that is rolled back at the end (the database keeps
nothing), it adds ``--articles`` articles written from a small Vietnamese
vocabulary, so common words are in nearly every article (the worst case),
plus 30 articles with the rare phrase "Xẻo Quít"; then it times the search
page through Django's test client and prints PostgreSQL's plan for the rare
phrase, to show the GIN index at work.
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

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles.models import Article, Section  # noqa: E402
from articles.search import Query, _tsquery, search, search_lines  # noqa: E402

_VOCABULARY = (
    "Bến Tre dân vận hòa giải thủy lợi nông dân dừa bưởi sầu riêng cầu Rạch Miễu "
    "triều cường bán hàng bạn bè ban chỉ đạo giáo dục y tế tuyển sinh hội nghị "
    "tổng kết công tác chính quyền xã phường ấp cù lao sông Hàm Luông Cổ Chiên"
)
WORDS = _VOCABULARY.split()
QUERIES = ["ben tre", "dan van", "hoà giải", "bạn", "xeo quit", "Xẻo Quít", "tre o ben"]


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    client = Client()
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
            print(f"{Article.objects.count()} articles on {connection.vendor}")
            for q in QUERIES:
                times = []
                for _ in range(args.rounds):
                    start = time.perf_counter()
                    response = client.get("/tim-kiem", {"q": q})
                    times.append((time.perf_counter() - start) * 1000)
                hits = search(Article.objects.published(), Query.parse(q)).count()
                print(
                    f"{q!r:>12}: {hits:>6} hits, page median "
                    f"{statistics.median(times):6.0f} ms (HTTP {response.status_code})"
                )
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "EXPLAIN ANALYZE SELECT id FROM articles_article "
                        "WHERE search_vector @@ to_tsquery('simple', %s)",
                        [_tsquery(Query.parse("xeo quit"))],
                    )
                    print("\n".join(row[0] for row in cursor.fetchall()))
            raise Rollback
    except Rollback:
        print("Rolled back: the database is as it was.")


if __name__ == "__main__":
    main()
