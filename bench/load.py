"""The benchmark's measuring steps; bench/run calls them in order.

    load.py queries --out pages.json          # URL, HTTP status, SQL query count
    load.py measure --pages pages.json --base http://127.0.0.1:8107 --out run.json
    load.py memory --pid <gunicorn master>    # RSS and PSS of each worker
    load.py report --pages pages.json --plain run.json [--cached run2.json]
                   [--cold run3.json]

Only ``queries`` needs Django (it renders each page in-process with the test
client against the same database and counts queries with
CaptureQueriesContext); the others only talk HTTP, run wrk and read /proc.
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from pages import BARE, PAGES, setup_django

CACHE_TITLE = "with page cache: req/s, % of bare"
COLD_TITLE = "nothing kept: req/s, %, queries"
ALONE_TITLE = "alone p50/p95 ms"
CONNECTIONS = 16
THREADS = 2
TIMEOUT_S = 5  # a reader has given up long before


def queries(args: argparse.Namespace) -> None:
    setup_django()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    rows = []
    for page in PAGES:
        url = page.url()
        client.get(url)  # the first request of a process loads templates etc.
        # What rendering the page costs: nothing else is kept besides pages.
        with (
            override_settings(PAGE_CACHE=False),
            CaptureQueriesContext(connection) as captured,
        ):
            status = client.get(url).status_code
        cold = captured
        rows.append(
            {
                "name": page.name,
                "url": url,
                "status": status,
                "queries": len(captured),
                "queries_cold": len(cold),
            }
        )
        print(
            f"  {page.name:<22} {url:<60} HTTP {status}, {len(captured)} queries "
            f"({len(cold)} with nothing kept)"
        )
    Path(args.out).write_text(json.dumps(rows, indent=2, ensure_ascii=False))


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * _UNITS[unit]


def _wrk(url: str, duration: int) -> dict:
    command = [
        "wrk",
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{duration}s",
        "--timeout",
        f"{TIMEOUT_S}s",
        "--latency",
        url,
    ]
    output = subprocess.run(  # noqa: S603 - fixed command, our own URL
        command, capture_output=True, text=True, timeout=duration + 60, check=True
    ).stdout
    result = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
    }
    # Timeouts and refused connections are not in the latency figures: say so.
    problems = [
        found.group(0).strip()
        for pattern in (r"Non-2xx or 3xx responses: \d+", r"Socket errors: .*")
        if (found := re.search(pattern, output))
    ]
    result["errors"] = "; ".join(problems)
    # wrk leaves responses slower than --timeout out of the percentiles; when
    # none came back in time there are no percentiles, only "over the timeout".
    timeouts = re.search(r"timeout (\d+)", output)
    timed_out = int(timeouts.group(1)) if timeouts else 0
    if timed_out > 0.01 * result["requests"]:
        result["p99"] = None
    if timed_out >= 0.5 * result["requests"]:
        result["p50"] = None
        result["errors"] = result["errors"] or "no response within the timeout"
    return result


def _latency(ms: float | None) -> str:
    return f">{TIMEOUT_S * 1000}" if ms is None else f"{ms:.2f}"


def _one_at_a_time(url: str, requests: int) -> dict:
    """p50 and p95 of ``requests`` requests made one after another."""
    times = []
    for _ in range(requests):
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:  # noqa: S310
            response.read()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return {"p50": statistics.median(times), "p95": times[int(0.95 * requests) - 1]}


def measure(args: argparse.Namespace) -> None:
    pages = json.loads(Path(args.pages).read_text())
    results = {}
    for page in pages:
        url = args.base + page["url"]
        try:
            # A slow page measured before (search) leaves a backlog of requests
            # in the workers for a while after wrk stops: wait it out.
            with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except TimeoutError:
            status = "no answer in 120 s"
        if status != 200:
            print(f"  {page['name']:<22} HTTP {status}: not available")
            results[page["name"]] = None
            continue
        _wrk(url, args.warmup)  # fill worker caches and PostgreSQL buffers first
        results[page["name"]] = result = _wrk(url, args.duration)
        # A reader's wait with nobody else asking: wrk's percentiles above are
        # those of 16 connections queueing for 3 workers.
        result["alone"] = _one_at_a_time(url, args.alone)
        print(
            f"  {page['name']:<22} {result['rps']:>9.1f} req/s  "
            f"p50 {_latency(result['p50'])} ms  p99 {_latency(result['p99'])} ms; "
            f"one at a time p50 {result['alone']['p50']:.2f} ms  "
            f"p95 {result['alone']['p95']:.2f} ms"
        )
    Path(args.out).write_text(json.dumps(results, indent=2))


def _kib(path: Path, field: str) -> int:
    for line in path.read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def memory(args: argparse.Namespace) -> None:
    children = Path(f"/proc/{args.pid}/task/{args.pid}/children").read_text().split()
    master_rss = _kib(Path(f"/proc/{args.pid}/status"), "VmRSS") / 1024
    print(f"  master {args.pid}: RSS {master_rss:.1f} MB")
    for pid in children:
        rss = _kib(Path(f"/proc/{pid}/status"), "VmRSS") / 1024
        # PSS counts pages shared with the master (preload_app) once, split.
        pss = _kib(Path(f"/proc/{pid}/smaps_rollup"), "Pss") / 1024
        print(f"  worker {pid}: RSS {rss:.1f} MB, PSS {pss:.1f} MB")


def report(args: argparse.Namespace) -> None:
    pages = json.loads(Path(args.pages).read_text())
    plain = json.loads(Path(args.plain).read_text())
    cached = json.loads(Path(args.cached).read_text()) if args.cached else None
    cold = json.loads(Path(args.cold).read_text()) if args.cold else None
    bare = (plain.get(BARE) or {}).get("rps")
    cached_bare = ((cached or {}).get(BARE) or {}).get("rps")
    cold_bare = ((cold or {}).get(BARE) or {}).get("rps")
    header = (
        f"| {'page':<22} | {'req/s':>8} | {'p50 ms':>7} | {'p99 ms':>7} | "
        f"{'% of bare':>13} | {'queries':>7} | {ALONE_TITLE:>16} | "
        f"{CACHE_TITLE:<34} | {COLD_TITLE:<34} |"
    )
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    notes = []
    for page in pages:
        name = page["name"]
        result = plain.get(name)
        if result is None:
            cells = ["n/a", "", "", "not available"]
        else:
            ratio = f"{100 * result['rps'] / bare:.1f} %" if bare else "?"
            cells = [
                f"{result['rps']:.1f}",
                _latency(result["p50"]),
                _latency(result["p99"]),
                ratio,
            ]
            if result["errors"]:
                notes.append(
                    f"{name}: {result['requests']} requests, {result['errors']}"
                )
        queries_cell = str(page["queries"]) if page["status"] == 200 else "-"
        if cached is None:
            cache_cell = "n/a (set BENCH_CACHE_ENV)"
        elif cached.get(name) is None:
            cache_cell = "not available"
        else:
            rps = cached[name]["rps"]
            share = f"{100 * rps / cached_bare:.1f} %" if cached_bare else "?"
            cache_cell = f"{rps:.1f}, {share}"
        alone = (result or {}).get("alone")
        alone_cell = f"{alone['p50']:.1f} / {alone['p95']:.1f}" if alone else ""
        cold_cell = "n/a (set BENCH_COLD_ENV)"
        if cold is not None and cold.get(name) is not None:
            rps = cold[name]["rps"]
            share = f"{100 * rps / cold_bare:.1f} %" if cold_bare else "?"
            cold_cell = f"{rps:.1f}, {share}, {page.get('queries_cold', '?')}"
        print(
            f"| {name:<22} | {cells[0]:>8} | {cells[1]:>7} | {cells[2]:>7} | "
            f"{cells[3]:>13} | {queries_cell:>7} | {alone_cell:>16} | "
            f"{cache_cell:<34} | {cold_cell:<34} |"
        )
    for note in notes:
        print(f"  note: {note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(required=True)
    command = commands.add_parser("queries")
    command.add_argument("--out", required=True)
    command.set_defaults(run=queries)
    command = commands.add_parser("measure")
    command.add_argument("--pages", required=True)
    command.add_argument("--base", required=True)
    command.add_argument("--out", required=True)
    command.add_argument("--duration", type=int, default=15)
    command.add_argument("--warmup", type=int, default=3)
    command.add_argument(
        "--alone", type=int, default=200, help="requests made one at a time"
    )
    command.set_defaults(run=measure)
    command = commands.add_parser("memory")
    command.add_argument("--pid", required=True, type=int)
    command.set_defaults(run=memory)
    command = commands.add_parser("report")
    command.add_argument("--pages", required=True)
    command.add_argument("--plain", required=True)
    command.add_argument("--cached")
    command.add_argument("--cold")
    command.set_defaults(run=report)
    args = parser.parse_args()
    if args.run is measure and not args.base.startswith("http://127.0.0.1:"):
        sys.exit("The benchmark only drives a server on 127.0.0.1.")
    args.run(args)


if __name__ == "__main__":
    main()
