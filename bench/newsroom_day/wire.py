"""A small HTTP/1.1 GET client on asyncio streams, and wrk for reference.

The readers need many requests per second from Python on the same two cores
as the server: ``http.client`` parses headers with the email package and
costs several times more. This client sends no cookies (an anonymous
reader), keeps the connection when the server allows it (Varnish, nginx)
and opens a new one when it does not (gunicorn's sync workers close it).
"""

import asyncio
import re
import subprocess
from dataclasses import dataclass, field

HOST_HEADER = "127.0.0.1"  # the one Host every request carries: one cache key
USER_AGENT = "newsroom-day/1 (bench)"


@dataclass
class Response:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""


class Client:
    """One connection to ``host:port``, reopened as needed; not shared
    between tasks."""

    def __init__(self, host: str, port: int, user_agent: str = USER_AGENT):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.request_head = (
            "GET {} HTTP/1.1\r\nHost: " + HOST_HEADER + "\r\nUser-Agent: "
            f"{user_agent}\r\nAccept: */*\r\nAccept-Encoding: identity\r\n\r\n"
        )

    async def get(self, path: str, timeout: float = 10.0) -> Response:
        """The response, or status 0 on a timeout or a broken connection."""
        try:
            return await asyncio.wait_for(self._get(path), timeout)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            self.close()
            return Response(0)

    async def _get(self, path: str) -> Response:
        reused = self.writer is not None
        try:
            return await self._exchange(path)
        except (OSError, asyncio.IncompleteReadError):
            # A kept connection the server closed meanwhile: once more, fresh.
            self.close()
            if not reused:
                raise
            return await self._exchange(path)

    async def _exchange(self, path: str) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port
            )
        self.writer.write(self.request_head.format(path).encode())
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            if name:
                headers[name.strip().lower()] = value.strip()
        if status in (204, 304):
            body = b""
        elif "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = await self._chunks()
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            self.close()
        return Response(status, headers, body)

    async def _chunks(self) -> bytes:
        parts = []
        while True:
            size = int((await self.reader.readline()).split(b";")[0], 16)
            if size == 0:
                while (await self.reader.readline()) not in (b"\r\n", b"\n", b""):
                    pass
                return b"".join(parts)
            parts.append(await self.reader.readexactly(size))
            await self.reader.readexactly(2)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(url: str, *, connections: int, duration: int) -> dict | None:
    """wrk's req/s, p50 and p99 for one URL (2 threads), or None without wrk."""
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-H",
        f"Host: {HOST_HEADER}",
        url,
    ]
    try:
        output = subprocess.run(  # noqa: S603 - fixed command, our own URL
            command, capture_output=True, text=True, timeout=duration + 60, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }
