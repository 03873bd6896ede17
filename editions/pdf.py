"""Checking and rendering editors' PDFs, each step in a limited child process
(editions/renderer.py: PDFium through pypdfium2).

Refusals are ``PdfRefused`` with a message for the editor, in Vietnamese: a
file that is not a PDF, cut short, locked, broken, too heavy, too long, or
with pages no newspaper has. Nothing here raises anything else for a bad
file: a crash or a timeout of the child is a refusal too.
"""

import json
import math
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

RENDERER = Path(__file__).with_name("renderer.py")
# A newspaper page is between a tabloid's half page and a broadsheet (A2 and
# Berliner papers included); a page outside these bounds is a mistake or a
# trap, whose pictures would be enormous or unreadable.
MIN_SIDE_MM = 50
MAX_SIDE_MM = 1200
MAX_PROPORTION = 3.0
POINTS_PER_MM = 72 / 25.4
# How far from each end of the file PDF readers look for the header and the
# end-of-file mark.
SNIFF = 1024
# Reading a file's structure (no page content) takes well under a second.
INSPECT_SECONDS = 20


class PdfRefused(Exception):
    """A PDF the paper will not take, and why (for the editor)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PdfFacts:
    page_count: int
    size: int  # bytes


@dataclass(frozen=True)
class RenderedPage:
    """One page's pictures (files in a temporary folder) and text."""

    number: int
    width: int
    height: int
    text: str
    files: dict[str, Path]  # "thumb", "phone", "desktop", "jpeg"


def _run(args: list[str], *, timeout: float) -> dict:
    """Run the renderer with the configured limits; its JSON answer.

    Raises PdfRefused when it crashes, runs out of memory or time.
    """
    memory = settings.PRINT_RENDER_MEMORY_MIB
    cpu = max(1, math.ceil(timeout))
    try:
        done = subprocess.run(  # noqa: S603 - fixed program, our own arguments
            [sys.executable, "-I", str(RENDERER), f"{memory}:{cpu}", *args],
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise PdfRefused(
            _(
                "Đọc tệp PDF mất hơn %(seconds)s giây: tệp quá phức tạp hoặc hỏng. "
                "Hãy xuất lại tệp."
            )
            % {"seconds": math.ceil(timeout)}
        ) from None
    try:
        answer = json.loads(done.stdout) if done.returncode == 0 else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        raise PdfRefused(
            _(
                "Tệp PDF làm trình đọc PDF dừng giữa chừng (tệp hỏng, hoặc cần quá "
                "nhiều bộ nhớ). Hãy xuất lại tệp."
            )
        )
    return answer


@contextmanager
def local_copy(file: File) -> Iterator[Path]:
    """A path to ``file``'s bytes on this machine: the upload's temporary
    file when Django wrote one, else a copy (an in-memory upload, a file in
    object storage)."""
    path = getattr(file, "temporary_file_path", None)
    if path is not None:
        yield Path(path())
        return
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy:
        file.seek(0)
        for chunk in file.chunks():
            copy.write(chunk)
        copy.flush()
        yield Path(copy.name)


def _sniff(path: Path, size: int) -> None:
    with path.open("rb") as stream:
        head = stream.read(SNIFF)
        stream.seek(max(0, size - SNIFF))
        tail = stream.read(SNIFF)
    if b"%PDF-" not in head:
        raise PdfRefused(_("Tệp này không phải PDF. Hãy chọn bản PDF của số báo."))
    if b"%%EOF" not in tail:
        # An interrupted export or copy: PDFium would rebuild what it can and
        # show an issue with pages missing.
        raise PdfRefused(
            _(
                "Tệp PDF không trọn vẹn: thiếu phần kết, có lẽ xuất hoặc chép tệp "
                "chưa xong. Hãy xuất lại tệp."
            )
        )


_OPEN_ERRORS = {
    "password": lambda: _("Tệp PDF có mật khẩu. Hãy xuất lại tệp không đặt mật khẩu."),
    "security": lambda: _(
        "Tệp PDF được mã hóa theo cách không đọc được. Hãy xuất lại tệp không mã hóa."
    ),
}


def _check_pages(sizes: list[list[float]]) -> None:
    for number, (width, height) in enumerate(sizes, start=1):
        width_mm, height_mm = width / POINTS_PER_MM, height / POINTS_PER_MM
        shown = {
            "number": number,
            "width": f"{width_mm:.0f}",
            "height": f"{height_mm:.0f}",
        }
        if max(width_mm, height_mm) > MAX_SIDE_MM:
            raise PdfRefused(
                _(
                    "Trang %(number)s có khổ %(width)s × %(height)s mm, quá lớn cho "
                    "một trang báo (tối đa %(max)s mm mỗi cạnh)."
                )
                % {**shown, "max": MAX_SIDE_MM}
            )
        if min(width_mm, height_mm) < MIN_SIDE_MM:
            raise PdfRefused(
                _(
                    "Trang %(number)s có khổ %(width)s × %(height)s mm, quá nhỏ cho "
                    "một trang báo (tối thiểu %(min)s mm mỗi cạnh)."
                )
                % {**shown, "min": MIN_SIDE_MM}
            )
        if max(width, height) > MAX_PROPORTION * min(width, height):
            raise PdfRefused(
                _(
                    "Trang %(number)s có khổ %(width)s × %(height)s mm: quá dài hoặc "
                    "quá hẹp cho một trang báo."
                )
                % shown
            )


def check(file: File) -> PdfFacts:
    """Whether ``file`` is a PDF the paper takes; raises PdfRefused if not.

    By content, never by name: the PDF header and end-of-file mark, then
    PDFium opening it (in the child) for its page count and page sizes. No
    page content is drawn here: that is the worker's (``render_page``).
    """
    _check_size(file.size)
    with local_copy(file) as path:
        return check_path(path)


def _check_size(size: int) -> None:
    if size > settings.PRINT_PDF_MAX_BYTES:
        raise PdfRefused(
            _("Tệp nặng %(size)s; bản PDF một số báo tối đa %(max)s.")
            % {
                "size": filesizeformat(size),
                "max": filesizeformat(settings.PRINT_PDF_MAX_BYTES),
            }
        )


def check_path(path: Path) -> PdfFacts:
    """``check`` for a file on this machine."""
    size = path.stat().st_size
    _check_size(size)
    _sniff(path, size)
    facts = _run(
        ["inspect", str(path), str(settings.PRINT_MAX_PAGES)],
        timeout=INSPECT_SECONDS,
    )
    if "error" in facts:
        message = _OPEN_ERRORS.get(facts["error"])
        raise PdfRefused(
            message()
            if message
            else _("Không đọc được tệp PDF: tệp bị hỏng. Hãy xuất lại tệp.")
        )
    if facts["encrypted"]:
        raise PdfRefused(
            _(
                "Tệp PDF được mã hóa (đặt mật khẩu hoặc giới hạn quyền). Hãy xuất "
                "lại tệp không mã hóa, để bạn đọc mở và tải về được."
            )
        )
    if facts["pages"] > settings.PRINT_MAX_PAGES:
        raise PdfRefused(
            _("Tệp có %(count)s trang; một số báo tối đa %(max)s trang.")
            % {"count": facts["pages"], "max": settings.PRINT_MAX_PAGES}
        )
    _check_pages(facts["sizes"])
    return PdfFacts(page_count=facts["pages"], size=size)


def render_page(path: Path, number: int, folder: Path) -> RenderedPage:
    """Page ``number`` (from 1) of the PDF at ``path`` as pictures in
    ``folder``, and its text. Raises PdfRefused naming the page."""
    from .models import IssuePage

    widths = [IssuePage.THUMB_WIDTH, IssuePage.PHONE_WIDTH, IssuePage.DESKTOP_WIDTH]
    folder.mkdir(parents=True, exist_ok=True)
    try:
        made = _run(
            [
                "render",
                str(path),
                str(number - 1),
                str(folder),
                ",".join(map(str, widths)),
                str(IssuePage.PHONE_WIDTH),
            ],
            timeout=settings.PRINT_RENDER_SECONDS,
        )
    except PdfRefused as refused:
        raise PdfRefused(
            _("Trang %(number)s: %(reason)s")
            % {"number": number, "reason": refused.message}
        ) from None
    return RenderedPage(
        number=number,
        width=made["width"],
        height=made["height"],
        text=made["text"],
        files={
            "thumb": folder / f"{IssuePage.THUMB_WIDTH}.webp",
            "phone": folder / f"{IssuePage.PHONE_WIDTH}.webp",
            "desktop": folder / f"{IssuePage.DESKTOP_WIDTH}.webp",
            "jpeg": folder / f"{IssuePage.PHONE_WIDTH}.jpg",
        },
    )
