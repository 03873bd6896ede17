"""Where an uncached page's time goes, in one process.

    DATABASE_URL=postgres://.../toasoan_bench SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \
        .venv/bin/python bench/profile_pages.py [--rounds 100] [--page home] [--top 25]

Renders each page of bench/pages.py ``--rounds`` times through Django's test
client with PAGE_CACHE=0 (every page built per request) and prints, per page,
the median time, the time spent waiting on SQL (measured around each query by
``connection.execute_wrapper``), the process's own CPU time per request (least
and median: compare two versions of the code by running this in a worktree of
each, in turn) and, from cProfile, how much of the rest goes to template
rendering, building SQL and model instances, and the middleware.
``--top`` also lists the functions with the most time of their own.
"""

import argparse
import cProfile
import os
import pstats
import statistics
import time

os.environ["PAGE_CACHE"] = "0"

from pages import PAGES, setup_django

# Functions whose cumulative time names a part of the page (cProfile keys are
# (file, line, name); matched on the file's tail and the name).
PARTS = {
    "template render": ("django/template/base.py", "render"),
    "SQL compile (ORM)": ("django/db/models/sql/compiler.py", "as_sql"),
    "model instances (ORM)": ("django/db/models/base.py", "from_db"),
}


def _cumulative(stats: pstats.Stats, tail: str, name: str) -> float:
    # The outermost call's cumulative time: cProfile counts recursive calls
    # once in ``ct``.
    return max(
        (
            ct
            for (file, _line, func), (
                _cc,
                _nc,
                _tt,
                ct,
                _callers,
            ) in stats.stats.items()
            if file.endswith(tail) and func == name
        ),
        default=0.0,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--page", action="append", help="page names (default: all)")
    parser.add_argument("--top", type=int, default=0)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    sql_time = [0.0]

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            sql_time[0] += time.perf_counter() - started

    for page in PAGES:
        if args.page and page.name not in args.page:
            continue
        try:
            url = page.url()
        except IndexError:  # an archive without such a page (the demo)
            print(f"\n== {page.name}: not in this database")
            continue
        for _ in range(5):  # templates loaded, connection open, buffers warm
            client.get(url)
        times, sql, cpu = [], [], []
        with connection.execute_wrapper(timed):
            for _ in range(args.rounds):
                sql_time[0] = 0.0
                started, cpu_started = time.perf_counter(), time.process_time()
                status = client.get(url).status_code
                times.append(time.perf_counter() - started)
                cpu.append(time.process_time() - cpu_started)
                sql.append(sql_time[0])
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.rounds):
                client.get(url)
            profiler.disable()
        stats = pstats.Stats(profiler)
        total = sum(times) / args.rounds * 1000
        print(f"\n== {page.name}  {url}  HTTP {status}")
        print(
            f"  median {statistics.median(times) * 1000:.2f} ms, "
            f"mean {total:.2f} ms, of which SQL wait "
            f"{sum(sql) / args.rounds * 1000:.2f} ms (unprofiled runs)"
        )
        # This process's CPU alone (PostgreSQL's is not in it): steadier than
        # wall time on a shared machine; the least is the least disturbed.
        print(
            f"  CPU of this process: least {min(cpu) * 1000:.2f} ms, "
            f"median {statistics.median(cpu) * 1000:.2f} ms"
        )
        profiled = stats.total_tt / args.rounds * 1000
        print(f"  profiled: {profiled:.2f} ms a request (cProfile slows Python down)")
        for label, (tail, name) in PARTS.items():
            share = _cumulative(stats, tail, name) / args.rounds * 1000
            print(f"    {label:<24} {share:7.2f} ms  {100 * share / profiled:4.0f} %")
        if args.top:
            stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
