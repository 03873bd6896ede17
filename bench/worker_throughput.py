"""How many tasks a second the background worker gets through on PostgreSQL.

    .venv/bin/python bench/worker_throughput.py [--tasks 2000] [--workers 1]

Creates the database toasoan_bench_worker on BENCH_PG (default
postgres://postgres@127.0.0.1:5432) if missing, migrates it, empties the task
table, enqueues N trivial tasks (bench/tasks.py: return the argument) one
``enqueue()`` each as a request would, then starts W real ``manage.py
run_worker --batch`` processes, production settings and INFO logging, which
take tasks until none is ready and exit. Prints enqueues/s, the span from the
first task started to the last finished (tasks/s through the worker) and the
wall time including each process's start, and the machine's load average
(other work on the machine slows every figure).
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
PG = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DB = os.environ.get("BENCH_WORKER_DB", "toasoan_bench_worker")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    options = parser.parse_args()

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as admin:
        if not admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (DB,)
        ).fetchone():
            admin.execute(f'CREATE DATABASE "{DB}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"{PG}/{DB}",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-not-a-secret"),
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "LOG_LEVEL": "INFO",
    }
    env.pop("REDIS_URL", None)
    os.environ.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603

    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Max, Min
    from django_tasks_db.models import DBTaskResult

    from bench.tasks import trivial

    DBTaskResult.objects.all().delete()
    started = time.perf_counter()
    for n in range(options.tasks):
        trivial.enqueue(n)
    enqueue_seconds = time.perf_counter() - started
    with connection.cursor() as cursor:  # planner statistics for the new rows
        cursor.execute(f"VACUUM ANALYZE {DBTaskResult._meta.db_table}")

    load = os.getloadavg()[0]
    started = time.perf_counter()
    command = [*manage, "run_worker", "--batch", "--no-startup-delay", "--no-reload"]
    workers = [
        subprocess.Popen(  # noqa: S603 - our own manage.py
            [*command, "--worker-id", f"bench-{i}"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(options.workers)
    ]
    codes = [worker.wait() for worker in workers]
    wall = time.perf_counter() - started

    done = DBTaskResult.objects.successful()
    span = done.aggregate(first=Min("started_at"), last=Max("finished_at"))
    count = done.count()
    seconds = (span["last"] - span["first"]).total_seconds()
    print(
        f"PostgreSQL {DB}, {options.tasks} trivial tasks, {options.workers} worker(s)"
    )
    print(f"enqueue:  {options.tasks / enqueue_seconds:8.0f} tasks/s (one INSERT each)")
    print(f"worker:   {count / seconds:8.0f} tasks/s ({count} done in {seconds:.2f} s)")
    print(f"wall:     {wall:8.2f} s, process start included; exit codes {codes}")
    print(f"load average before/after: {load:.1f} / {os.getloadavg()[0]:.1f}")
    if count != options.tasks or any(codes):
        sys.exit("not every task was done")


if __name__ == "__main__":
    main()
