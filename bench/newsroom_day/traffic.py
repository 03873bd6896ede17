"""Readers and the crawler: what they ask for, and the loops that ask.

Readers run in worker processes (``run_readers``), each an asyncio loop of
connections that ask one page after another until the deadline, so the load
does not queue behind one Python interpreter's lock. Every answer is recorded
as ``(t, kind, ms, status, cache)``: seconds since the common start, the page
kind's index in ``KINDS``, latency, HTTP status (0: timeout or broken
connection) and what the caches said (``cache_code``).
"""

import asyncio
import itertools
import multiprocessing
import random
import time
import urllib.parse

from wire import Client

# The reader mix of a newsroom's day. Articles: 65 %, nine in ten among the
# last week's stories (Zipf), one in ten older (uniformly over the archive).
MIX = {
    "article": 0.65 * 0.9,
    "article, archive": 0.65 * 0.1,
    "home": 0.14,
    "section": 0.03,
    "tag": 0.03,
    "contributor": 0.03,
    "search": 0.06,
    "feed": 0.035,
    "sitemap": 0.025,
}
KINDS = [*MIX, "crawler", "oracle", "fixed"]
ZIPF_EXPONENT = 1.0
CRAWLER_USER_AGENT = "Mozilla/5.0 (compatible; newsroom-day-crawler/1)"

# X-Cache (Varnish) and X-Page-Cache (Django) in one small number:
# 3 * front + page, each 0 absent, 1 hit, 2 miss.
_FRONT = {"HIT": 1, "MISS": 2}
_PAGE = {"hit": 1, "miss": 2}


def cache_code(headers: dict[str, str]) -> int:
    front = _FRONT.get(headers.get("x-cache", ""), 0)
    return 3 * front + _PAGE.get(headers.get("x-page-cache", ""), 0)


def _zipf(n: int) -> list[float]:
    return list(
        itertools.accumulate(1 / (rank + 1) ** ZIPF_EXPONENT for rank in range(n))
    )


class Mix:
    """Picks a reader's next page from the plan (prepare.py plan)."""

    def __init__(self, plan: dict, rng: random.Random):
        self.rng = rng
        self.plan = plan
        self.kinds = list(MIX)
        self.kind_weights = list(itertools.accumulate(MIX.values()))
        self.hot_weights = _zipf(len(plan["hot_articles"]))
        self.tag_weights = _zipf(len(plan["tags"]))
        hot = set(plan["hot_articles"])
        self.older = [url for url in plan["all_articles"] if url not in hot]
        self.search_weights = _zipf(len(plan["searches"]))
        self.search_urls = [
            "/tim-kiem?q=" + urllib.parse.quote_plus(q) for q in plan["searches"]
        ]

    def _listing(self, url: str) -> str:
        # One reader in ten goes on to an older page of the list.
        if self.rng.random() < 0.1:
            return f"{url}?trang={self.rng.randint(2, 5)}"
        return url

    def pick(self) -> tuple[int, str]:
        rng, plan = self.rng, self.plan
        kind = rng.choices(self.kinds, cum_weights=self.kind_weights)[0]
        if kind == "article":
            url = rng.choices(plan["hot_articles"], cum_weights=self.hot_weights)[0]
        elif kind == "article, archive":
            url = rng.choice(self.older)
        elif kind == "home":
            url = "/"
        elif kind == "section":
            url = self._listing(rng.choice(plan["sections"]))
        elif kind == "tag":
            tags = plan["tags"]
            url = self._listing(rng.choices(tags, cum_weights=self.tag_weights)[0])
        elif kind == "contributor":
            url = self._listing(rng.choice(plan["contributors"]))
        elif kind == "search":
            urls = self.search_urls
            url = rng.choices(urls, cum_weights=self.search_weights)[0]
        elif kind == "feed":
            feeds = plan["feeds"]
            url = feeds[0] if rng.random() < 0.5 else rng.choice(feeds[1:])
        else:
            maps = plan["sitemaps"]
            roll = rng.random()
            if roll < 0.3:
                url = maps["news"]
            elif roll < 0.5:
                url = maps["index"]
            elif roll < 0.6:
                url = maps["sections"]
            elif roll < 0.85:
                url = maps["articles"][0]
            else:
                url = rng.choice(maps["articles"])
        return KINDS.index(kind), url


async def _reader(client: Client, next_page, deadline: float, t0: float, records):
    while time.time() < deadline:
        kind, url = next_page()
        started = time.perf_counter()
        response = await client.get(url)
        ms = (time.perf_counter() - started) * 1000
        records.append(
            (time.time() - t0, kind, ms, response.status, cache_code(response.headers))
        )
    client.close()


async def _readers(
    base: tuple[str, int], connections: int, next_page, start: float, end: float
) -> list:
    await asyncio.sleep(max(0.0, start - time.time()))
    records: list = []
    await asyncio.gather(
        *(
            _reader(Client(*base), next_page, end, start, records)
            for _ in range(connections)
        )
    )
    return records


def _reader_process(spec: dict, index: int, queue) -> None:
    rng = random.Random(spec["seed"] * 1000 + index)  # noqa: S311
    if spec.get("fixed_url"):
        fixed = (KINDS.index("fixed"), spec["fixed_url"])

        def next_page():
            return fixed
    else:
        next_page = Mix(spec["plan"], rng).pick
    records = asyncio.run(
        _readers(
            spec["base"], spec["connections"], next_page, spec["start"], spec["end"]
        )
    )
    queue.put(records)


def start_readers(
    spec: dict, *, connections: int, processes: int = 2
) -> tuple[list, multiprocessing.Queue]:
    """Start ``connections`` readers over ``processes`` processes. ``spec``:
    base (host, port), start and end (epoch seconds), seed, and plan or
    fixed_url. Collect their records with ``collect``."""
    queue = multiprocessing.get_context("fork").Queue()
    workers = []
    for index in range(processes):
        share = connections // processes + (index < connections % processes)
        worker = multiprocessing.get_context("fork").Process(
            target=_reader_process,
            args=({**spec, "connections": share}, index, queue),
            daemon=True,
        )
        worker.start()
        workers.append(worker)
    return workers, queue


def collect(workers: list, queue) -> list:
    records = []
    for _ in workers:
        records.extend(queue.get())
    for worker in workers:
        worker.join()
    return records


def fixed_url(
    base: tuple[str, int], url: str, *, connections: int, duration: float
) -> dict:
    """Requests/s, p50 and p99 of one URL asked by the readers' loop."""
    start = time.time() + 0.5
    workers, queue = start_readers(
        {
            "base": base,
            "fixed_url": url,
            "seed": 0,
            "start": start,
            "end": start + duration,
        },
        connections=connections,
    )
    records = collect(workers, queue)
    times = sorted(ms for _, _, ms, status, _ in records if status == 200)
    failed = sum(1 for record in records if record[3] != 200)
    return {
        "rps": len(times) / duration,
        "p50": times[len(times) // 2] if times else None,
        "p99": times[int(len(times) * 0.99)] if times else None,
        "failed": failed,
    }


async def crawl(
    base: tuple[str, int],
    urls: list[str],
    *,
    rate: float,
    start: float,
    end: float,
    records: list,
    connections: int = 32,
) -> int:
    """Ask ``urls`` in order at a steady ``rate`` per second, whatever the
    answers' latency: request i is sent at start + i / rate, on a free one of
    ``connections`` connections (a bot opens more when pages come slowly).
    A request with no free connection by ``end`` is not sent; returns how
    many were not."""
    free: asyncio.Queue = asyncio.Queue()
    for _ in range(connections):
        free.put_nowait(Client(*base, user_agent=CRAWLER_USER_AGENT))
    kind = KINDS.index("crawler")
    dropped = 0

    async def fetch(url: str) -> None:
        nonlocal dropped
        try:
            client = await asyncio.wait_for(free.get(), max(0.0, end - time.time()))
        except TimeoutError:
            dropped += 1
            return
        started = time.perf_counter()
        response = await client.get(url)
        ms = (time.perf_counter() - started) * 1000
        records.append(
            (
                time.time() - start,
                kind,
                ms,
                response.status,
                cache_code(response.headers),
            )
        )
        free.put_nowait(client)

    tasks = []
    for i, url in enumerate(itertools.cycle(urls)):
        due = start + i / rate
        if due >= end:
            break
        await asyncio.sleep(max(0.0, due - time.time()))
        tasks.append(asyncio.create_task(fetch(url)))
    await asyncio.gather(*tasks)
    while not free.empty():
        free.get_nowait().close()
    return dropped
