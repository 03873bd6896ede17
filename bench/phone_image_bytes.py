"""Image bytes headless Chromium downloads for a page on an emulated phone.

Serve the site first (e.g. `manage.py runserver 127.0.0.1:8000`), then:

    .venv/bin/python bench/phone_image_bytes.py URL [--width 390] [--dpr 3]

Chromium's own window cannot be narrower than 500 px, so the phone is emulated
through the DevTools protocol (over --remote-debugging-pipe: no extra package):
390×844 CSS px, the given device pixel ratio, mobile. It prints the images
loaded on the first screen, then after scrolling to the end of the page, with
their transferred bytes.
"""

import argparse
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self, binary: str) -> None:
        to_chrome_r, self._to_chrome = os.pipe()
        self._from_chrome, from_chrome_w = os.pipe()
        self._profile = profile = tempfile.mkdtemp(prefix="phone-bytes-")

        def pipes_as_fd3_fd4() -> None:
            # Chromium reads commands on fd 3 and answers on fd 4. Copy both
            # out of the way first so neither dup2 clobbers the other.
            read_end, write_end = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(read_end, 3)
            os.dup2(write_end, 4)

        self.process = subprocess.Popen(  # noqa: S603 - a fixed local binary
            [
                binary,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            # Kept open past exec: the fds preexec_fn makes, not the originals.
            pass_fds=(3, 4),
            preexec_fn=pipes_as_fd3_fd4,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, params: dict | None = None, session: str = "") -> dict:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read(timeout=30)
            if reply is None:
                sys.exit(f"no answer to {method}")
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    sys.exit(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def _read(self, timeout: float) -> dict | None:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_chrome], [], [], timeout)
            if not ready:
                return None
            chunk = os.read(self._from_chrome, 1 << 16)
            if not chunk:
                return None
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def drain(self, seconds: float) -> None:
        """Collect events until the page has been quiet for ``seconds``."""
        while True:
            event = self._read(timeout=seconds)
            if event is None:
                return
            self.events.append(event)

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self._profile, ignore_errors=True)


def images_loaded(events: list[dict]) -> dict[str, int]:
    """url: encoded bytes, for every image response that finished loading."""
    urls = {}
    for event in events:
        params = event.get("params", {})
        if event.get("method") == "Network.responseReceived" and (
            params.get("type") == "Image"
        ):
            urls[params["requestId"]] = params["response"]["url"]
    loaded = {}
    for event in events:
        params = event.get("params", {})
        if event.get("method") == "Network.loadingFinished" and (
            params.get("requestId") in urls
        ):
            loaded[urls[params["requestId"]]] = int(params["encodedDataLength"])
    return loaded


def report(title: str, loaded: dict[str, int]) -> None:
    print(f"{title}: {len(loaded)} images, {sum(loaded.values()) / 1024:.0f} KiB")
    for url, size in loaded.items():
        print(f"  {size / 1024:7.1f} KiB  {url.split('/media/', 1)[-1]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--width", type=int, default=390)
    parser.add_argument("--height", type=int, default=844)
    parser.add_argument("--dpr", type=float, default=3)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()

    browser = Browser(args.chromium)
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})
        session = browser.send(
            "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
        )["sessionId"]
        browser.send("Network.enable", session=session)
        browser.send("Network.setCacheDisabled", {"cacheDisabled": True}, session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {
                "width": args.width,
                "height": args.height,
                "deviceScaleFactor": args.dpr,
                "mobile": True,
            },
            session,
        )
        browser.send("Page.enable", session=session)
        browser.send("Page.navigate", {"url": args.url}, session)
        browser.drain(3)
        first = images_loaded(browser.events)
        print(f"{args.width}×{args.height} CSS px, DPR {args.dpr:g}: {args.url}")
        report("first screen", first)
        # Scroll down a screen at a time so lazy images load as a reader's would.
        for _ in range(60):
            at_end = browser.send(
                "Runtime.evaluate",
                {
                    "expression": "window.scrollBy(0, innerHeight); "
                    "innerHeight + scrollY >= document.body.scrollHeight - 2",
                    "returnByValue": True,
                },
                session,
            )["result"]["value"]
            browser.drain(0.4)
            if at_end:
                break
        time.sleep(0.5)
        browser.drain(2)
        report("whole page, scrolled to the end", images_loaded(browser.events))
    finally:
        browser.close()


if __name__ == "__main__":
    main()
