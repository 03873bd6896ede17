"""Image bytes a phone downloads for an article page, from its srcset and sizes.

Run on a database with photos (`make demo`, or any paper):

    .venv/bin/python bench/article_images.py [--width 390] [--dpr 2 3] [URL ...]

For each <picture> on the page it evaluates `sizes` at the given viewport
width (1rem = 16px), picks the candidate a browser picks (the narrowest one at
least slot width × DPR wide, else the widest), and adds up the file sizes from
the media storage. WebP is what current browsers take; the JPEG column is what
a browser without WebP would take; "original" is what the page cost when it
served the stored file itself. Without URLs it measures every published article.
"""

import argparse
import os
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.test import Client  # noqa: E402

from articles.models import Article, Photo  # noqa: E402

REM = 16


class _Pictures(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.pictures: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "picture":
            self._open = {}
        elif tag == "source" and self._open is not None:
            self._open["webp"] = (attrs.get("srcset", ""), attrs.get("sizes", ""))
        elif tag == "img" and self._open is not None:
            self._open["jpeg"] = (attrs.get("srcset", ""), attrs.get("sizes", ""))
            self._open["src"] = attrs.get("src", "")
            self._open["eager"] = attrs.get("loading") != "lazy"
            self.pictures.append(self._open)
            self._open = None


def _length(value: str, viewport: int) -> float:
    value = value.strip()
    calc = re.fullmatch(r"calc\((.+)\)", value)
    if calc:
        left, op, right = re.split(r"\s+([+-])\s+", calc.group(1))
        a, b = _length(left, viewport), _length(right, viewport)
        return a - b if op == "-" else a + b
    number = float(re.match(r"[\d.]+", value).group(0))
    if value.endswith("vw"):
        return number * viewport / 100
    if value.endswith("rem"):
        return number * REM
    return number


def slot_width(sizes: str, viewport: int) -> float:
    """The CSS pixel width `sizes` gives at this viewport width."""
    for entry in sizes.split(","):
        entry = entry.strip()
        condition = re.match(r"\(min-width:\s*([\d.]+)(rem|px)\)\s+(.+)", entry)
        if not condition:
            return _length(entry, viewport)
        minimum = float(condition.group(1)) * (
            REM if condition.group(2) == "rem" else 1
        )
        if viewport >= minimum:
            return _length(condition.group(3), viewport)
    return viewport


def pick(srcset: str, sizes: str, viewport: int, dpr: float) -> str:
    candidates = []
    for item in srcset.split(","):
        url, width = item.strip().rsplit(" ", 1)
        candidates.append((int(width.rstrip("w")), url))
    candidates.sort()
    needed = slot_width(sizes, viewport) * dpr
    for width, url in candidates:
        if width >= needed:
            return url
    return candidates[-1][1]


def _bytes(url: str) -> int:
    return default_storage.size(url.removeprefix(settings.MEDIA_URL))


def measure(html: str, viewport: int, dpr: float) -> dict:
    parser = _Pictures()
    parser.feed(html)
    totals = {"images": 0, "webp": 0, "jpeg": 0, "original": 0, "eager_webp": 0}
    originals = {
        default_storage.url(name): name
        for name in Photo.objects.values_list("image", flat=True)
    }
    for picture in parser.pictures:
        totals["images"] += 1
        webp = pick(*picture["webp"], viewport, dpr) if picture.get("webp") else None
        jpeg = (
            pick(*picture["jpeg"], viewport, dpr)
            if picture["jpeg"][0]
            else picture["src"]
        )
        webp_bytes = _bytes(webp) if webp else _bytes(jpeg)
        totals["webp"] += webp_bytes
        totals["jpeg"] += _bytes(jpeg)
        if picture["eager"]:
            totals["eager_webp"] += webp_bytes
        # The original this picture was cut from: its largest JPEG's photo.
        photo = _photo_of(jpeg)
        totals["original"] += (
            photo.image.size if photo else default_storage.size(originals.get(jpeg))
        )
    return totals


_BY_RENDITION: dict[str, Photo] = {}


def _photo_of(url: str) -> Photo | None:
    if not _BY_RENDITION:
        for photo in Photo.objects.all():
            for crop, formats in photo.renditions.items():
                if crop == "key":
                    continue
                for entries in formats.values():
                    for _w, _h, name in entries:
                        _BY_RENDITION[default_storage.url(name)] = photo
            _BY_RENDITION[photo.image.url] = photo
    return _BY_RENDITION.get(url)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=390, help="viewport CSS px")
    parser.add_argument("--dpr", type=float, nargs="+", default=[2, 3])
    parser.add_argument("urls", nargs="*")
    args = parser.parse_args()
    urls = args.urls or [a.get_absolute_url() for a in Article.objects.published()]
    client = Client(HTTP_HOST=(settings.ALLOWED_HOSTS or ["localhost"])[0])
    kb = 1024
    for dpr in args.dpr:
        sums = {"images": 0, "webp": 0, "jpeg": 0, "original": 0, "eager_webp": 0}
        for url in urls:
            response = client.get(url)
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
            for key, value in measure(
                response.content.decode(), args.width, dpr
            ).items():
                sums[key] += value
        print(
            f"{args.width}px @{dpr:g}x, {len(urls)} page(s), {sums['images']} images: "
            f"WebP {sums['webp'] / kb:.0f} KiB "
            f"(first screen {sums['eager_webp'] / kb:.0f} KiB), "
            f"JPEG fallback {sums['jpeg'] / kb:.0f} KiB, originals "
            f"{sums['original'] / kb:.0f} KiB"
        )


if __name__ == "__main__":
    main()
