"""Machine instructions per request of each page, counted by valgrind.

    DATABASE_URL=postgres://.../toasoan_bench SECRET_KEY=x ALLOWED_HOSTS=127.0.0.1 \
        .venv/bin/python bench/instructions.py [--rounds 8] [--page home ...]

Timings on a shared 2-core machine move by a third from one run to the next;
the number of instructions this process runs to build a page does not (within
about 1 %), so it compares two versions of the code. PostgreSQL's own work is
not in it (another process): see bench/explain.py for that.

Each page of bench/pages.py is requested through Django's test client with
PAGE_CACHE=0 under callgrind (about fifty times slower than usual: a few
minutes in all). Counting starts and stops at two C functions nothing else
calls (``math.lgamma`` and ``math.erf``), so the Python needs its symbols (a
pyenv or source build has them). Needs valgrind (Debian: ``apt-get install
valgrind``).
"""

import argparse
import gc
import math
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ["PAGE_CACHE"] = "0"

from pages import PAGES, setup_django


def _measure(rounds: int, names: list[str]) -> None:
    """Inside valgrind: one counted window per page."""
    setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    from pagecache import purge

    client = Client(HTTP_HOST=settings.ALLOWED_HOSTS[0])
    for page in PAGES:
        if page.name not in names:
            continue
        url = page.url()
        for _ in range(3):  # templates loaded, connection open
            client.get(url)
        # A running site reads the clock once a minute: never inside a window.
        upcoming = purge._look_for_next_change(lambda *args, **kwargs: None)
        cache.set(purge.NEXT_CHANGE, (upcoming,), timeout=3600)
        gc.collect()
        math.lgamma(1.5)  # callgrind: counters to zero
        for _ in range(rounds):
            client.get(url)
        math.erf(0.5)  # callgrind: write the counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--page", action="append", help="page names (default: all)")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    names = args.page or [page.name for page in PAGES]
    if args.inside:
        _measure(args.rounds, names)
        return
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--zero-before=math_lgamma",
            "--dump-before=math_erf",
            f"--callgrind-out-file={out}",
            sys.executable,
            __file__,
            "--inside",
            f"--rounds={args.rounds}",
            *(f"--page={name}" for name in names),
        ]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603
        measured = [page.name for page in PAGES if page.name in names]
        for number, name in enumerate(measured, 1):
            text = Path(f"{out}.{number}").read_text()
            count = int(re.search(r"^summary: (\d+)", text, re.M).group(1))
            each = count / args.rounds / 1e6
            print(f"  {name:<22} {each:8.1f} M instructions a request")


if __name__ == "__main__":
    main()
