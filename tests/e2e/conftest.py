"""A real server, a real database and a real browser for the newsroom's journeys.

The session starts gunicorn on 127.0.0.1 against a fresh PostgreSQL database
filled by `manage.py demo --no-serve`, and drives Debian's Chromium through
Playwright. Run with `make e2e`; `make test` leaves these out.
"""

import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from base64 import b32decode
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django_otp.oath import totp
from playwright.sync_api import Browser, Page, sync_playwright

from tests.servers import free_port, start_gunicorn, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots"
DATABASE_URL = os.environ.get(
    "E2E_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/toasoan_e2e"
)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


@dataclass
class Site:
    base_url: str
    passwords: dict[str, str]
    # The server's environment, for manage.py commands run against its database.
    env: dict[str, str] = field(default_factory=dict)
    # Authenticator keys set up at a first sign-in, and the last time step
    # each person's code was used (a code is good once).
    authenticators: dict[str, bytes] = field(default_factory=dict)
    code_steps: dict[str, int] = field(default_factory=dict)


def one_time_code(site: Site, username: str) -> str:
    """The code a person's authenticator app shows, never one already used:
    the server accepts the next step's code too."""
    step = int(time.time() // 30)
    drift = max(0, site.code_steps.get(username, -1) - step + 1)
    if drift > 1:
        time.sleep(30 - time.time() % 30)
        return one_time_code(site, username)
    site.code_steps[username] = step + drift
    return f"{totp(site.authenticators[username], drift=drift):06d}"


def _recreate_database(url: str) -> None:
    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


@pytest.fixture(scope="session")
def site():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: apt-get install chromium")
    var = Path(tempfile.mkdtemp(prefix="toasoan-e2e-"))
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "SECRET_KEY": "e2e-only-not-a-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "SERVE_MEDIA": "1",
        "VAR_DIR": str(var),
        "STATIC_ROOT": str(var / "static"),
        "MEDIA_ROOT": str(var / "media"),
    }
    _recreate_database(DATABASE_URL)
    manage = [sys.executable, "manage.py"]
    prepared = subprocess.run(  # noqa: S603 - our own manage.py
        [*manage, "demo", "--no-serve"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    passwords = dict(re.findall(r"^\s+(\w+)\s+password: (\S+)$", prepared.stdout, re.M))
    port = free_port()
    server = start_gunicorn(port, env, workers=2, threads=4)
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + "/", server)
        yield Site(base_url=base_url, passwords=passwords, env=env)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(var, ignore_errors=True)


@pytest.fixture(scope="session")
def administrator(site: Site) -> str:
    """The username of a superuser (the demo has none), who sees every admin page."""
    username = "quantri"
    site.passwords[username] = "e2e-quan-tri-" + secrets.token_urlsafe(8)
    subprocess.run(  # noqa: S603 - our own manage.py
        [
            sys.executable,
            "manage.py",
            "createsuperuser",
            "--noinput",
            f"--username={username}",
            "--email=quantri@example.com",
        ],
        cwd=ROOT,
        env={**site.env, "DJANGO_SUPERUSER_PASSWORD": site.passwords[username]},
        capture_output=True,
        check=True,
    )
    return username


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@dataclass
class Watch:
    """What went wrong while a page was open: any of it fails the test."""

    base_url: str
    problems: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        def on_console(message):
            # "Failed to load resource" repeats what on_response sees, which
            # knows a page answered 400 on purpose (a form with errors) from a
            # broken image or script.
            if message.type == "error" and not message.text.startswith(
                "Failed to load resource"
            ):
                self.problems.append(f"console error: {message.text}")

        def on_request(request):
            if not request.url.startswith((self.base_url, "data:", "blob:")):
                self.problems.append(f"request to another host: {request.url}")

        def on_response(response):
            if response.status >= 400 and response.request.resource_type != "document":
                self.problems.append(f"{response.status} for {response.url}")

        page.on("console", on_console)
        page.on(
            "pageerror", lambda error: self.problems.append(f"script error: {error}")
        )
        page.on("request", on_request)

        def on_request_failed(request):
            # A request the page itself cancelled (select2 drops a stale search
            # when the editor types on) is not a failure of the site.
            if request.failure != "net::ERR_ABORTED":
                self.problems.append(
                    f"failed request: {request.url} ({request.failure})"
                )

        page.on("requestfailed", on_request_failed)
        page.on("response", on_response)


@pytest.fixture
def open_page(site: Site, browser: Browser):
    """open_page(viewport) -> a fresh browser context's page, watched for errors."""
    contexts, watches = [], []

    def _open(viewport=PHONE) -> Page:
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        watch = Watch(site.base_url)
        watch.attach(page)
        watches.append(watch)
        return page

    yield _open
    for context in contexts:
        context.close()
    problems = [problem for watch in watches for problem in watch.problems]
    assert not problems, "\n".join(problems)


def screenshot(page: Page, name: str) -> None:
    """Full-page screenshot kept under screenshots/ (CI keeps it as an artefact)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    # Scroll through once so lazy-loaded pictures below the fold are fetched
    # (and so checked by the watch) before the picture is taken.
    page.evaluate(
        """async () => {
            for (let y = 0; y < document.body.scrollHeight; y += innerHeight) {
                scrollTo(0, y);
                await new Promise((done) => setTimeout(done, 50));
            }
            scrollTo(0, 0);
        }"""
    )
    page.wait_for_load_state("networkidle")
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def axe_violations(page: Page) -> list[str]:
    """Serious and critical accessibility violations found by axe-core."""
    if not AXE.exists():
        pytest.fail("axe-core missing: run `npm ci` (see package.json)")
    # Evaluated through the debugger protocol, so the page's CSP does not block it.
    page.evaluate(AXE.read_text())
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['impact']}: {v['id']} – {v['help']} ({len(v['nodes'])} elements: "
        f"{', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def sign_in(
    page: Page, site: Site, username: str, look: Callable[[Page], None] | None = None
) -> None:
    """Signs in as a person would; one who must use a code (the chief
    editor) sets up an authenticator app on the way, from the key shown.
    ``look(page)`` is called on the sign-in page and on the two-factor page."""
    page.goto(site.base_url + "/quan-tri/login/")
    if look:
        look(page)
    page.fill("#id_username", username)
    page.fill("#id_password", site.passwords[username])
    if username in site.authenticators:
        page.fill("#id_otp_token", one_time_code(site, username))
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/quan-tri/(xac-thuc-hai-buoc/)?$"))
    if page.url.endswith("/xac-thuc-hai-buoc/"):
        if look:
            look(page)
        key = page.locator(".second-factor code").inner_text().replace(" ", "")
        site.authenticators[username] = b32decode(key + "=" * (-len(key) % 8))
        page.fill("#id_otp_token", one_time_code(site, username))
        page.click("input[type=submit]")
        page.wait_for_url(re.compile(r"/quan-tri/$"))
