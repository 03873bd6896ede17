"""How a page's cost grows with the archive; bench/scaling runs it per size.

    DATABASE_URL=... scaling.py measure --label "10,000" --out 10000.json
    scaling.py report 10000.json 100000.json 1000000.json

``measure`` requests each page through Django's test client in this one
process, with the page cache off (PAGE_CACHE=0: every page built per
request): 3 warm-up requests, then ``--rounds`` timed ones, one at a time, and
one more whose SQL queries are counted. The articles are cold: each request
asks for a different article (the newest ones, or those of three years ago),
so no request finds the rows an earlier one read in PostgreSQL's buffers as
its own. ``report`` prints a markdown table, pages by archive size.
"""

import argparse
import json
import math
import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pages import BARE, setup_django

SEARCHES = ["dan van", "nguyen van hung", "xay dung nong thon moi"]
WARM_UPS = 3


@dataclass(frozen=True)
class Page:
    name: str
    urls: Callable[[int], list[str]]  # at least this many URLs, asked in turn


def _articles(count: int, *, years_ago: int = 0) -> list[str]:
    """The ``count`` newest articles readers could see ``years_ago`` years ago."""
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Article

    then = timezone.now() - timedelta(days=365 * years_ago)
    found = (
        Article.objects.published(now=then)
        .order_by("-published_at", "-id")
        .only("id", "slug")[:count]
    )
    return [article.get_absolute_url() for article in found]


def _busiest_section(count: int) -> list[str]:
    # A top-level section with subsections: its page lists both (the OR query).
    from django.db.models import Count

    from articles.models import Section

    section = (
        Section.objects.filter(parent=None)
        .annotate(children_count=Count("children"))
        .order_by("-children_count", "order")
        .first()
    )
    return [section.get_absolute_url()] * count


def _busiest_tag(count: int) -> list[str]:
    from django.db.models import Count

    from articles.models import Tag

    tag = Tag.objects.annotate(uses=Count("tagged_articles")).order_by("-uses")[0]
    return [tag.get_absolute_url()] * count


def _same(url: str) -> Callable[[int], list[str]]:
    return lambda count: [url] * count


PAGES = [
    Page("article, newest (cold)", _articles),
    Page("article, 3 years old (cold)", lambda n: _articles(n, years_ago=3)),
    Page("home", _same("/")),
    Page("section, busiest", _busiest_section),
    Page("tag, most used", _busiest_tag),
    *(
        Page(f"search “{q}”", _same(f"/tim-kiem?q={q.replace(' ', '+')}"))
        for q in SEARCHES
    ),
    Page(BARE, _same("/__bench/bare")),
]


def _percentile(times: list[float], share: float) -> float:
    """Nearest rank: the time that ``share`` of the requests did not exceed."""
    ordered = sorted(times)
    return ordered[math.ceil(share * len(ordered)) - 1]


def measure(args: argparse.Namespace) -> None:
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from articles.models import Article

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    results = {}
    for page in PAGES:
        urls = page.urls(WARM_UPS + args.rounds + 1)
        for url in urls[:WARM_UPS]:
            client.get(url)
        times, statuses = [], set()
        for url in urls[WARM_UPS : WARM_UPS + args.rounds]:
            start = time.perf_counter()
            statuses.add(client.get(url).status_code)
            times.append((time.perf_counter() - start) * 1000)
        with CaptureQueriesContext(connection) as queries:
            statuses.add(client.get(urls[-1]).status_code)
        results[page.name] = {
            "url": urls[-1],
            "p50": statistics.median(times),
            "p90": _percentile(times, 0.9),
            "queries": len(queries),
            "statuses": sorted(statuses),
        }
        print(
            f"  {page.name:<34} p50 {results[page.name]['p50']:8.1f} ms  "
            f"p90 {results[page.name]['p90']:8.1f} ms  {len(queries):2} queries  "
            f"HTTP {', '.join(map(str, sorted(statuses)))}",
            flush=True,
        )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cursor.fetchone()[0]
    summary = {
        "label": args.label,
        "articles": Article.objects.count(),
        "database": connection.settings_dict["NAME"],
        "size": size,
        "rounds": args.rounds,
        "load": os.getloadavg()[0],
        "pages": results,
    }
    Path(args.out).write_text(json.dumps(summary, indent=2, ensure_ascii=False))


def report(args: argparse.Namespace) -> None:
    runs = [json.loads(Path(name).read_text()) for name in args.runs]
    header = "| page | " + " | ".join(f"{run['label']} articles" for run in runs)
    print(header + " |")
    print("| --- |" + " ---: |" * len(runs))
    for page in PAGES:
        cells = []
        for run in runs:
            found = run["pages"].get(page.name)
            if found is None:
                cells.append("–")
                continue
            cell = f"{found['p50']:.1f} / {found['p90']:.1f} ({found['queries']} q)"
            if found["statuses"] != [200]:
                cell += f" HTTP {found['statuses']}"
            cells.append(cell)
        print(f"| {page.name} | " + " | ".join(cells) + " |")
    print()
    print(
        "p50 / p90 ms of "
        + ", ".join(str(run["rounds"]) for run in runs[:1])
        + " requests one at a time, in one process, page cache off; "
        "(n q): SQL queries per page."
    )
    for run in runs:
        print(
            f"- {run['label']}: database `{run['database']}`, {run['articles']} "
            f"articles, {run['size']}; load average {run['load']:.2f} at the end"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True)
    one = commands.add_parser("measure", help="time every page on DATABASE_URL")
    one.add_argument("--label", required=True, help="the column's name")
    one.add_argument("--rounds", type=int, default=30)
    one.add_argument("--out", required=True)
    one.set_defaults(run=measure)
    table = commands.add_parser("report", help="the markdown table of the runs")
    table.add_argument("runs", nargs="+", help="measure's JSON files, in order")
    table.set_defaults(run=report)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
