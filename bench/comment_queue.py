"""How long a moderator takes to clear 50 pending comments in a real browser.

Needs Playwright (bench only, not a project dependency) and the system Chromium:

    .venv/bin/pip install playwright
    .venv/bin/python bench/comment_queue.py [--port 8104] [--rounds 3]

It builds a throwaway SQLite site under a temporary VAR_DIR (50 pending comments,
one moderator), serves it with `runserver --noreload` on 127.0.0.1:PORT, then
drives headless Chromium through what a moderator does: open the pending queue,
tick "select all", choose "Duyệt, cho hiển thị", press the button and wait for
the confirmation. Prints the wall time of each round (page load included) and the
median; then clears 50 more with the keyboard alone ("a" on the focused row).
Automation has no think time: a person adds a few seconds of reading.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "bench-kiem-duyet-2026"  # noqa: S105 - a throwaway local account


def _django_env(var_dir: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "SECRET_KEY"}
    }
    env.update(VAR_DIR=var_dir, DEBUG="1", DJANGO_SETTINGS_MODULE="newsroom.settings")
    return env


SEED = """
import django
django.setup()
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from articles.models import Article, Section
from comments.models import Comment

user, created = get_user_model().objects.get_or_create(
    username="kiemduyet", defaults={{"is_staff": True}}
)
if created:  # a new password hash would log the browser out
    user.set_password({password!r})
    user.save()
user.user_permissions.set(
    Permission.objects.filter(content_type__app_label="comments")
)
section, _ = Section.objects.get_or_create(
    slug="thoi-su", defaults={{"name": "Thời sự"}}
)
article, _ = Article.objects.get_or_create(
    slug="han-man",
    defaults=dict(
        title="Hạn mặn đến sớm", section=section, lead="DXO – Hạn mặn.",
        body="<p>Nội dung.</p>", status="published",
        published_at=timezone.now() - timedelta(hours=2),
    ),
)
Comment.objects.all().delete()
Comment.objects.bulk_create(
    Comment(
        article=article, name=f"Bạn đọc {{n}}", email=f"bandoc{{n}}@example.com",
        body=f"Ý kiến số {{n}} về hạn mặn, xem http://vi-du.vn/{{n}}",
        ip_address="203.0.113.7", status="pending",
    )
    for n in range(50)
)
print(Comment.objects.pending().count())
"""


def _seed(env: dict) -> None:
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", SEED.format(password=PASSWORD)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    if out.stdout.strip() != "50":
        raise SystemExit(f"seeding failed: {out.stdout} {out.stderr}")


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - local URL
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not answer at {url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8104)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--screenshot", help="save a PNG of the full queue here")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    var_dir = tempfile.mkdtemp(prefix="toasoan-bench-")
    env = _django_env(var_dir)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)  # noqa: S603
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(  # noqa: S603
        [*manage, "runserver", "--noreload", f"127.0.0.1:{args.port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    timings = []
    try:
        _wait_for(f"{base}/quan-tri/login/")
        _seed(env)  # the moderator's account, before logging in
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--no-sandbox"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{base}/quan-tri/login/")
            page.fill("#id_username", "kiemduyet")
            page.fill("#id_password", PASSWORD)
            page.click("input[type=submit]")
            page.wait_for_selector("#user-tools")
            for _round in range(args.rounds):
                _seed(env)
                start = time.perf_counter()
                page.goto(f"{base}/quan-tri/comments/comment/?status__exact=pending")
                rows = page.locator("#result_list tbody tr").count()
                if rows != 50:
                    raise SystemExit(f"{rows} rows in the queue, expected 50")
                if args.screenshot and not timings:
                    page.screenshot(path=args.screenshot)
                page.check("#action-toggle")
                page.select_option("select[name=action]", "approve")
                page.click("button[name=index]")
                page.wait_for_selector("text=Đã duyệt 50 bình luận.")
                timings.append(time.perf_counter() - start)
                badge = page.locator(".moderation-badge").inner_text()
                if not badge.startswith("0 "):
                    raise SystemExit(f"queue not empty after the action: {badge}")
            # The keyboard path: "a" on the first row, fifty times over.
            _seed(env)
            start = time.perf_counter()
            page.goto(f"{base}/quan-tri/comments/comment/?status__exact=pending")
            for left in range(50, 0, -1):
                page.wait_for_selector(f"text={left} bình luận chờ duyệt")
                # The script has focused the first row: the key lands.
                page.wait_for_selector("#result_list tbody tr.is-current")
                page.keyboard.press("a")
            page.wait_for_selector("text=0 bình luận chờ duyệt")
            keyboard = time.perf_counter() - start
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    for n, seconds in enumerate(timings, 1):
        print(f"round {n}: cleared 50 pending comments in {seconds:.2f} s")
    median = statistics.median(timings)
    print(f"median: {median:.2f} s (browser automation, no think time)")
    print(f"keyboard only, one 'a' per comment: 50 cleared in {keyboard:.2f} s")


if __name__ == "__main__":
    main()
