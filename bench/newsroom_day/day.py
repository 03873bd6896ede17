"""One set-up's newsroom day: the bounds, then readers, a crawler and
editors at the same time, with the oracle after every write.

    day.py --name redis --plan plan.json --stage stage.json --app-port 8117 \\
        --read-port 8117 --duration 60 --out results/redis.json

``--read-port`` is where readers, the crawler and the oracle go (Varnish in
the "varnish" set-up); editors always post to gunicorn (``--app-port``).
With ``--nginx-port`` the same bytes of one article page are also served
by nginx as a static file and measured the same way: the physical bound of
a front cache on this machine.
"""

import argparse
import asyncio
import json
import random
import re
import subprocess
import time
from pathlib import Path

from editors import Editor, WriteFailed
from oracle import Check, Oracle
from traffic import KINDS, collect, crawl, fixed_url, start_readers
from wire import Client, wrk

HOST = "127.0.0.1"
# When each write first happens (s into the measured phase) and how often:
# a 60 s run sees every kind at least once.
SCHEDULE = {
    "comment": (2.5, 5),
    "publish": (8, 60),
    "edit": (15, 30),
    "takedown": (40, 300),
}


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * share))]


def _search(text: str) -> str:
    from urllib.parse import quote_plus

    return "/tim-kiem?q=" + quote_plus(text)


class Newsroom:
    """The editors' side of the day: four writers, each on its own clock."""

    def __init__(self, args, plan: dict, stage: dict):
        self.args, self.plan, self.stage = args, plan, stage
        self.rng = random.Random(args.seed)  # noqa: S311
        self.writes: list[dict] = []
        credentials = plan["editor"]
        # One browser session per desk, all of the chief editor.
        self.editors = {
            kind: Editor(
                args.app_port,
                credentials["username"],
                credentials["password"],
                credentials["totp_key"],
            )
            for kind in SCHEDULE
        }
        self.approved: list[dict] = []
        self.pending = list(stage["comments"])
        self.oracle: Oracle | None = None
        self.t0 = 0.0

    def login(self) -> None:
        # One sign-in (a one-time code is good once), its session shared by
        # every desk.
        first, *others = self.editors.values()
        first.login()
        for editor in others:
            editor.share_session(first)

    async def _write(self, kind: str, what: str, action, checks_for) -> None:
        """Run the blocking ``action`` (an Editor call) in a thread, then the
        oracle's checks for what it wrote."""
        record = {"kind": kind, "what": what, "t": round(time.time() - self.t0, 3)}
        index = len(self.writes)
        self.writes.append(record)
        try:
            took, detail = await asyncio.to_thread(action)
        except (WriteFailed, OSError) as error:
            record.update(ok=False, error=str(error))
            return
        written_at = time.time()
        record.update(ok=True, latency_ms=round(took * 1000, 1), detail=detail)
        checks = checks_for(detail)
        await self.oracle.check(index, checks, written_at)
        record["checks"] = len(checks)

    async def comment(self, n: int) -> None:
        # Two in three approve a pending comment (it must show); the third
        # rejects one approved earlier today (it must go).
        reject = n % 3 == 2 and self.approved
        comment = self.approved.pop(0) if reject else self.pending.pop(0)
        decision = "reject" if reject else "approve"
        editor = self.editors["comment"]

        def action():
            took = editor.decide_comment(comment["id"], decision, one_click=n % 2 == 0)
            return took, comment["id"]

        def checks(_):
            mode = "lacks" if reject else "has"
            return [Check(comment["article_url"], mode, text=comment["marker"])]

        await self._write("comment", decision, action, checks)
        if not reject:
            self.approved.append(comment)

    async def publish(self, n: int) -> None:
        story = self.stage["publications"][n]
        editor = self.editors["publish"]

        def action():
            return editor.publish_new(
                title=story["title"],
                section=story["section"],
                tags=story["tags"],
                contributor=story["contributor"],
                lead=story["lead"],
                body=story["body"],
            )

        def checks(article_id):
            link = f"-{article_id}.html"
            lists = [
                "/",
                *story["section_urls"],
                *story["tag_urls"],
                story["contributor_url"],
                "/rss/tin-moi-nhat.rss",
                *story["feeds"],
                "/sitemap-news.xml",
                "/sitemap-bai-viet.xml",
            ]
            return [
                Check(f"/{story['slug']}{link}", "has", text=story["title"]),
                *(Check(url, "has", text=link) for url in lists),
                Check(_search(story["marker"]), "has", text=link, is_search=True),
            ]

        await self._write("publish", story["title"], action, checks)

    async def edit(self, n: int) -> None:
        target = self.plan["edits"][n % len(self.plan["edits"])]
        marker = f"cn{self.args.setup}n{n}k{self.rng.randrange(10**5)}"
        title = f"{target['title']} (cập nhật {marker})"
        editor = self.editors["edit"]

        def action():
            return editor.retitle(target["id"], title), target["id"]

        def checks(article_id):
            link = f"-{article_id}.html"
            lists = [*_lists_of(target), "/sitemap-news.xml"]
            return [
                Check(target["url"], "has", text=title),
                *(Check(url, "if_listed", text=title, link=link) for url in lists),
                Check(_search(marker), "has", text=link, is_search=True),
            ]

        await self._write("edit", title, action, checks)

    async def takedown(self, n: int) -> None:
        target = self.plan["takedowns"][n % len(self.plan["takedowns"])]
        editor = self.editors["takedown"]

        def action():
            note = "Thu hồi theo yêu cầu của cơ quan chức năng (benchmark)."
            return editor.take_down(target["id"], note), target["id"]

        def checks(article_id):
            link = f"-{article_id}.html"
            lists = _lists_of(target)
            lists += ["/sitemap-news.xml", "/sitemap-bai-viet.xml"]
            return [
                Check(target["url"], "status", status=410),
                *(Check(url, "lacks", text=link) for url in lists),
                Check(_search(target["title"]), "lacks", text=link, is_search=True),
            ]

        await self._write("takedown", target["title"], action, checks)

    async def run(self, end: float) -> None:
        async def every(kind: str) -> None:
            first, interval = SCHEDULE[kind]
            action = getattr(self, kind)
            n = 0
            while (due := self.t0 + first + n * interval) < end:
                await asyncio.sleep(max(0.0, due - time.time()))
                if time.time() >= end:  # a slow write before made this one late
                    break
                await action(n)
                n += 1

        await asyncio.gather(*(every(kind) for kind in SCHEDULE))


def _lists_of(target: dict) -> list[str]:
    """The pages that list a story of the archive (first page of each)."""
    return [
        "/",
        *target["sections"],
        *target["tags"],
        *target["contributors"],
        "/rss/tin-moi-nhat.rss",
        *target["feeds"],
    ]


async def _day(args, plan, newsroom: Newsroom, t0: float, end: float) -> tuple:
    read = (HOST, args.read_port)
    oracle = newsroom.oracle = Oracle(read, t0)
    newsroom.t0 = t0
    crawled: list = []
    urls = list(plan["all_articles"])
    random.Random(args.seed).shuffle(urls)  # noqa: S311 - spread over the archive
    dropped, _ = await asyncio.gather(
        crawl(read, urls, rate=args.crawl_rate, start=t0, end=end, records=crawled),
        newsroom.run(end),
    )
    await oracle.settle()
    return crawled, dropped, oracle, newsroom


def _kind_stats(records: list, seconds: float) -> dict:
    by_kind: dict[str, dict] = {}
    for kind_index, kind in enumerate(KINDS):
        rows = [r for r in records if r[1] == kind_index]
        if not rows:
            continue
        answered = [r for r in rows if r[3] != 0]
        times = [r[2] for r in answered]
        statuses: dict[str, int] = {}
        for r in rows:
            statuses[str(r[3])] = statuses.get(str(r[3]), 0) + 1
        by_kind[kind] = {
            "requests": len(rows),
            "rps": round(sum(1 for r in rows if r[0] < seconds) / seconds, 1),
            "p50": _percentile(times, 0.5),
            "p90": _percentile(times, 0.9),
            "p99": _percentile(times, 0.99),
            "max": max(times, default=None),
            "statuses": statuses,
            **_hits(answered),
        }
    return by_kind


def _hits(rows: list) -> dict:
    """Who answered: Varnish (X-Cache: HIT), Django's page cache
    (X-Page-Cache: hit, on what reached Django) or nobody kept it."""
    if not rows:
        return {}
    front = sum(1 for r in rows if r[4] // 3 == 1)
    reached = [r for r in rows if r[4] // 3 != 1]
    page = sum(1 for r in reached if r[4] % 3 == 1)
    return {
        "front_hit": round(front / len(rows), 4),
        "page_hit": round(page / len(reached), 4) if reached else None,
        "from_cache": round((front + page) / len(rows), 4),
    }


def _server_problems(log: Path | None) -> dict:
    if log is None or not log.exists():
        return {}
    text = log.read_text(errors="replace")
    tracebacks = text.count("Traceback (most recent call last)")
    lines = [
        line
        for line in text.splitlines()
        if re.search(r"ERROR|CRITICAL|WORKER TIMEOUT|Internal Server Error", line)
    ]
    return {"tracebacks": tracebacks, "error_lines": len(lines), "first": lines[:20]}


def _varnish_counters(name: str | None) -> dict:
    if not name:
        return {}
    try:
        output = subprocess.run(  # noqa: S603
            ["varnishstat", "-n", name, "-1", "-j"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=20,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    counters = json.loads(output)
    counters = counters.get("counters", counters)
    wanted = [
        "MAIN.client_req",
        "MAIN.cache_hit",
        "MAIN.cache_miss",
        "MAIN.cache_hitpass",
        "MAIN.cache_hitmiss",
        "MAIN.n_object",
        "MAIN.backend_req",
        "MAIN.n_purges",
        "MAIN.s_synth",
    ]
    return {k: counters[k]["value"] for k in wanted if k in counters}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", required=True)
    parser.add_argument("--setup", type=int, required=True)
    parser.add_argument("--plan", required=True)
    parser.add_argument("--stage", required=True)
    parser.add_argument("--app-port", type=int, required=True)
    parser.add_argument("--read-port", type=int, required=True)
    parser.add_argument("--nginx-port", type=int)
    parser.add_argument("--static-dir")
    parser.add_argument("--varnish-name")
    parser.add_argument("--server-log")
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--bound-duration", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--crawl-rate", type=float, default=20, help="pages/s")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--env", default="")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    plan = json.loads(Path(args.plan).read_text())
    stage = json.loads(Path(args.stage).read_text())
    app, read = (HOST, args.app_port), (HOST, args.read_port)
    c, bound = args.connections, args.bound_duration
    result: dict = {
        "setup": args.name,
        "env": args.env,
        "duration": args.duration,
        "connections": c,
        "warmup": args.warmup,
    }

    print(f"  bound: /__bench/bare, {c} connections, {bound} s (readers' loop, wrk)")
    result["bare"] = fixed_url(app, "/__bench/bare", connections=c, duration=bound)
    result["bare_wrk"] = wrk(
        f"http://{HOST}:{args.app_port}/__bench/bare", connections=c, duration=bound
    )
    if args.nginx_port:
        page = plan["hot_articles"][0]
        body = asyncio.run(Client(*read).get(page)).body
        asyncio.run(Client(*read).get(page))  # now kept by Varnish
        Path(args.static_dir, "article.html").write_bytes(body)
        print(f"  bound: one article page ({len(body)} bytes) from Varnish and nginx")
        result["front_one_page"] = fixed_url(read, page, connections=c, duration=bound)
        result["front_one_page_wrk"] = wrk(
            f"http://{HOST}:{args.read_port}{page}", connections=c, duration=bound
        )
        nginx = (HOST, args.nginx_port)
        result["nginx_static"] = fixed_url(
            nginx, "/article.html", connections=c, duration=bound
        )
        result["nginx_static_wrk"] = wrk(
            f"http://{HOST}:{args.nginx_port}/article.html",
            connections=c,
            duration=bound,
        )
        result["page_bytes"] = len(body)
    if args.warmup:
        print(f"  warm-up: the reader mix for {args.warmup} s (not counted)")
        start = time.time() + 0.5
        spec = {
            "base": read,
            "plan": plan,
            "seed": args.seed + 7,
            "start": start,
            "end": start + args.warmup,
        }
        collect(*start_readers(spec, connections=c))

    print(
        f"  the day: {args.duration} s of readers ({c} connections), a crawler "
        f"at {args.crawl_rate:g}/s and editors; the oracle after every write"
    )
    newsroom = Newsroom(args, plan, stage)
    newsroom.login()
    t0 = time.time() + 2
    end = t0 + args.duration
    spec = {"base": read, "plan": plan, "seed": args.seed, "start": t0, "end": end}
    workers, queue = start_readers(spec, connections=c)
    crawled, dropped, oracle, newsroom = asyncio.run(
        _day(args, plan, newsroom, t0, end)
    )
    records = collect(workers, queue)

    seconds = args.duration
    readers = [r for r in records if r[0] < seconds]
    result["kinds"] = _kind_stats(readers + crawled + oracle.records, seconds)
    answered = [r for r in readers if r[3] != 0]
    bare_rps = result["bare"]["rps"]
    result["readers"] = {
        "requests": len(readers),
        "rps": round(len(readers) / seconds, 1),
        "pct_of_bare": round(100 * len(readers) / seconds / bare_rps, 1)
        if bare_rps
        else None,
        "p50": _percentile([r[2] for r in answered], 0.5),
        "p99": _percentile([r[2] for r in answered], 0.99),
        "failed": sum(1 for r in readers if r[3] == 0 or r[3] >= 500),
        **_hits(answered),
    }
    timeline = [0] * seconds
    for r in readers:
        timeline[min(seconds - 1, int(r[0]))] += 1
    result["timeline"] = timeline
    result["crawler"] = {
        "rate": args.crawl_rate,
        "answered_in_time": round(
            sum(1 for r in crawled if r[0] < seconds) / seconds, 1
        ),
        "not_sent": dropped,
    }
    result["crawler_timeline"] = [
        sum(1 for r in crawled if int(r[0]) == s) for s in range(seconds)
    ]
    result["writes"] = newsroom.writes
    latencies: dict[str, list] = {}
    for write in newsroom.writes:
        if write.get("ok"):
            latencies.setdefault(write["kind"], []).append(write["latency_ms"])
    result["write_latency"] = {
        kind: {"n": len(ms), "p50": _percentile(ms, 0.5), "max": max(ms)}
        for kind, ms in latencies.items()
    }
    result["failed_writes"] = [w for w in newsroom.writes if not w.get("ok")]
    result["oracle"] = oracle.summary()
    result["server_log"] = _server_problems(
        Path(args.server_log) if args.server_log else None
    )
    result["varnish"] = _varnish_counters(args.varnish_name)
    Path(args.out).write_text(json.dumps(result, indent=1, ensure_ascii=False))
    r = result["readers"]
    print(
        f"  readers {r['rps']} req/s ({r['pct_of_bare']} % of bare "
        f"{bare_rps:.0f}), from cache {r.get('from_cache')}, "
        f"stale {result['oracle']['stale']}/{result['oracle']['checks']}, "
        f"failed writes {len(result['failed_writes'])}"
    )


if __name__ == "__main__":
    main()
