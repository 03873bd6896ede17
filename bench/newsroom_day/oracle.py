"""The oracle: right after a write returns, read every page it changed as an
anonymous reader and count the stale answers.

A check is one page and what it must show now:

* ``status``: the page answers this code (a taken-down story: 410);
* ``has``: the page answers 200 and contains the text (a new story's link,
  a new title, an approved comment);
* ``lacks``: the page does not contain the text (a taken-down story's link,
  a rejected comment);
* ``if_listed``: where the page links the story, it shows its new title.

Search results may lag (``SEARCH_LAG`` s): a failed search check is asked
again every few seconds and counts as stale only if still wrong then.
Nothing else may lag: one wrong answer is a stale page.
"""

import asyncio
import html
import time
from dataclasses import asdict, dataclass

from traffic import KINDS, cache_code
from wire import Client

SEARCH_LAG = 60
RECHECK_EVERY = 5


@dataclass
class Check:
    url: str
    mode: str  # status | has | lacks | if_listed
    text: str = ""
    link: str = ""
    status: int = 200
    is_search: bool = False


@dataclass
class Verdict:
    write: int
    url: str
    mode: str
    expected: str
    ok: bool
    status: int
    ms: float
    after_write_s: float
    x_cache: str
    x_page_cache: str
    lagged_s: float | None = None  # search: fresh only this long after


def _shows(body: str, text: str) -> bool:
    return text in body or html.escape(text) in body


def judge(check: Check, status: int, body: str) -> bool:
    if check.mode == "status":
        return status == check.status
    if check.mode == "has":
        return status == 200 and _shows(body, check.text)
    if check.mode == "lacks":
        return not _shows(body, check.text)
    # if_listed: a page that does not link the story says nothing.
    return status != 200 or check.link not in body or _shows(body, check.text)


class Oracle:
    def __init__(self, base: tuple[str, int], t0: float):
        self.base, self.t0 = base, t0
        self.verdicts: list[Verdict] = []
        self.records: list = []  # the oracle's reads, as the readers' records
        self.rechecks: list[asyncio.Task] = []

    async def _read(self, url: str) -> tuple[int, dict, str, float]:
        client = Client(*self.base)
        started = time.perf_counter()
        response = await client.get(url, timeout=30)
        ms = (time.perf_counter() - started) * 1000
        client.close()
        self.records.append(
            (
                time.time() - self.t0,
                KINDS.index("oracle"),
                ms,
                response.status,
                cache_code(response.headers),
            )
        )
        return (
            response.status,
            response.headers,
            response.body.decode("utf-8", "replace"),
            ms,
        )

    async def _one(self, write: int, check: Check, written_at: float) -> None:
        status, headers, body, ms = await self._read(check.url)
        ok = judge(check, status, body)
        verdict = Verdict(
            write=write,
            url=check.url,
            mode=check.mode,
            expected=check.text or str(check.status),
            ok=ok,
            status=status,
            ms=round(ms, 2),
            after_write_s=round(time.time() - written_at, 3),
            x_cache=headers.get("x-cache", ""),
            x_page_cache=headers.get("x-page-cache", ""),
        )
        if not ok and check.is_search:
            self.rechecks.append(
                asyncio.create_task(self._recheck(verdict, check, written_at))
            )
            return
        self.verdicts.append(verdict)

    async def _recheck(self, verdict: Verdict, check: Check, written_at: float):
        while time.time() - written_at < SEARCH_LAG:
            await asyncio.sleep(RECHECK_EVERY)
            status, _, body, _ = await self._read(check.url)
            if judge(check, status, body):
                verdict.ok = True
                verdict.lagged_s = round(time.time() - written_at, 1)
                break
        self.verdicts.append(verdict)

    async def check(self, write: int, checks: list[Check], written_at: float) -> None:
        """Every check at once, each on its own connection."""
        await asyncio.gather(*(self._one(write, c, written_at) for c in checks))

    async def settle(self) -> None:
        """Wait for the search checks still inside their allowed lag."""
        await asyncio.gather(*self.rechecks)

    def summary(self) -> dict:
        stale = [asdict(v) for v in self.verdicts if not v.ok]
        lagged = [v.lagged_s for v in self.verdicts if v.lagged_s is not None]
        return {
            "checks": len(self.verdicts),
            "stale": len(stale),
            "stale_pages": stale,
            "search_lagged": len(lagged),
            "search_lag_max_s": max(lagged, default=None),
        }
