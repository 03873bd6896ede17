"""Helpers for tests that start real servers (gunicorn, Varnish, PostgreSQL)."""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited while starting")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own server
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer on {url} in {seconds} s")


def start_gunicorn(
    port: int,
    env: dict[str, str],
    *,
    workers: int = 1,
    threads: int = 1,
    log_level: str = "warning",
) -> subprocess.Popen:
    """The paper under gunicorn on 127.0.0.1:``port``, as production runs it."""
    return subprocess.Popen(  # noqa: S603 - our own server
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "newsroom.wsgi",
            "--bind", f"127.0.0.1:{port}",
            "--workers", str(workers),
            "--threads", str(threads),
            "--log-level", log_level,
        ],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
