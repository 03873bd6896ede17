"""Video files and their captions: what an upload must be, decided by content.

Pure bytes, no database and no decoder: an MP4 is read box by box (ISO/IEC
14496-12), only its headers and its index (``moov``), never its pictures, so
checking a 100 MB upload reads a few kilobytes to a few megabytes. Nothing is
re-encoded: the paper stores the newsroom's own file, less its metadata.
"""

import re
import struct
import tempfile
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

_MB = 1024 * 1024
CAPTIONS_MAX_BYTES = 512 * 1024
# The index of a two-hour film is a few MB; more is not a video we can use.
_MOOV_MAX_BYTES = 32 * _MB
# A fragmented MP4 is a long row of small boxes; a file of nothing but empty
# boxes must not keep the check busy.
_MAX_TOP_BOXES = 20_000

# Brands (ftyp) of MP4 files browsers play.
_MP4_BRANDS = {
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42",
    b"avc1", b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"dash", b"MSNV", b"XAVC",
}  # fmt: skip
# Picture codecs every current browser plays inside MP4.
_PLAYABLE = {b"avc1", b"avc3", b"av01", b"vp09"}
_CONTAINERS = {b"moov", b"trak", b"mdia", b"minf", b"stbl", b"edts", b"mvex"}
# Boxes where phones and editing tools write where and with what a video was
# made (Android's ©xyz in udta, Apple's location keys in meta, XMP in uuid).
# Emptied in place (zeros) and renamed "free", which every player skips: no
# offset in the file moves.
_METADATA = {b"udta", b"meta", b"uuid"}


@dataclass(frozen=True)
class PreparedVideo:
    """A checked upload: the file to store and what its index says."""

    file: File
    size: int
    duration: timedelta | None
    width: int
    height: int
    notes: tuple[str, ...] = ()


def _refuse(message, **params) -> ValidationError:
    return ValidationError(message, code="not_a_video", params=params)


def _mb(size: int) -> str:
    return f"{size / _MB:.1f}".replace(".", ",")


def _kind_of(head: bytes) -> str:
    """What a file that is not an MP4 seems to be, for the message."""
    brand = head[8:12]
    if head[4:8] == b"ftyp":
        if brand == b"qt  ":
            return str(_("một video QuickTime (MOV, thường từ iPhone)"))
        if brand in (b"heic", b"heix", b"mif1", b"avif", b"msf1"):
            return str(_("một ảnh HEIC/AVIF"))
        if brand.startswith(b"3g"):
            return str(_("một video 3GP"))
        if brand in (b"M4A ", b"M4B "):
            return str(_("một tệp âm thanh M4A"))
    if head[:4] == b"\x1aE\xdf\xa3":
        return str(_("một video WebM/MKV"))
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return str(_("một video AVI"))
    if head.lstrip().lower().startswith((b"<", b"<?xml")):
        return str(_("một trang HTML hoặc tệp văn bản"))
    return str(_("không phải video MP4"))


def _not_mp4(head: bytes) -> ValidationError:
    return _refuse(
        _(
            "Tệp này là %(kind)s, dù tên tệp nói gì. Chỉ nhận video MP4 "
            "(H.264): hãy xuất lại video sang MP4 rồi tải lên."
        ),
        kind=_kind_of(head),
    )


def _broken() -> ValidationError:
    return _refuse(
        _(
            "Tệp MP4 bị hỏng hoặc tải lên chưa hết (cấu trúc tệp không khớp với "
            "dung lượng). Hãy xuất lại video rồi tải lên lần nữa."
        )
    )


def _read_at(file, offset: int, length: int) -> bytes:
    file.seek(offset)
    return file.read(length)


def _top_level_boxes(file, size: int):
    """(type, offset, header length, box size) of each top-level box; the
    boxes must tile the file exactly, from the first byte to the last."""
    offset = count = 0
    while offset < size:
        count += 1
        if count > _MAX_TOP_BOXES:
            raise _broken()
        header = _read_at(file, offset, 16)
        if len(header) < 8:
            raise _broken()
        box_size, kind = struct.unpack(">I4s", header[:8])
        header_length = 8
        if box_size == 1:
            if len(header) < 16:
                raise _broken()
            box_size = struct.unpack(">Q", header[8:16])[0]
            header_length = 16
        elif box_size == 0:  # the last box runs to the end of the file
            box_size = size - offset
        if box_size < header_length or offset + box_size > size:
            raise _broken()
        yield kind, offset, header_length, box_size
        offset += box_size


def _children(data: bytes, start: int, end: int):
    """(type, payload start, payload end) of the boxes inside data[start:end]."""
    offset = start
    while offset + 8 <= end:
        box_size, kind = struct.unpack(">I4s", data[offset : offset + 8])
        header_length = 8
        if box_size == 1 and offset + 16 <= end:
            box_size = struct.unpack(">Q", data[offset + 8 : offset + 16])[0]
            header_length = 16
        elif box_size == 0:
            box_size = end - offset
        if box_size < header_length or offset + box_size > end:
            raise _broken()
        yield kind, offset + header_length, offset + box_size, offset
        offset += box_size


@dataclass
class _Index:
    """What is read from ``moov``."""

    duration: timedelta | None = None
    width: int = 0
    height: int = 0
    codecs: tuple = ()
    # (offset in moov, size) of the metadata boxes, and whether one held a
    # position.
    metadata_at: tuple = ()
    had_position: bool = False


def _read_index(moov: bytes) -> _Index:
    index = _Index()
    codecs, metadata_at = [], []

    def walk(start: int, end: int, track: dict | None) -> None:
        for kind, payload, box_end, box_start in _children(moov, start, end):
            body = moov[payload:box_end]
            if kind in _METADATA:
                metadata_at.append((box_start, box_end - box_start))
                if b"\xa9xyz" in body or b"location" in body:
                    index.had_position = True
            elif kind == b"trak":
                found: dict = {}
                walk(payload, box_end, found)
                if found.get("handler") == b"vide":
                    codecs.append(found.get("codec", b"????"))
                    if not index.width and found.get("size"):
                        index.width, index.height = found["size"]
            elif kind in _CONTAINERS:
                walk(payload, box_end, track)
            elif kind == b"mvhd":
                index.duration = _duration(body)
            elif kind == b"tkhd" and track is not None:
                track["size"] = _track_size(body)
            elif kind == b"hdlr" and track is not None and len(body) >= 12:
                track["handler"] = body[8:12]
            elif kind == b"stsd" and track is not None and len(body) >= 16:
                track["codec"] = body[12:16]

    walk(0, len(moov), None)
    index.codecs = tuple(codecs)
    index.metadata_at = tuple(metadata_at)
    return index


def _duration(mvhd: bytes) -> timedelta | None:
    try:
        if mvhd[:1] == b"\x01":
            timescale, duration = struct.unpack(">IQ", mvhd[20:32])
            unknown = 2**64 - 1
        else:
            timescale, duration = struct.unpack(">II", mvhd[12:20])
            unknown = 2**32 - 1
    except struct.error:
        return None
    if not timescale or duration in (0, unknown):
        return None
    return timedelta(seconds=round(duration / timescale))


def _track_size(tkhd: bytes) -> tuple[int, int] | None:
    """Width and height as shown: a phone's upright video is stored on its
    side, with a turn in the matrix."""
    start = 36 if tkhd[:1] == b"\x01" else 24  # past the times and duration
    matrix_at = start + 16
    try:
        a, b = struct.unpack(">ii", tkhd[matrix_at : matrix_at + 8])
        width, height = struct.unpack(">II", tkhd[matrix_at + 36 : matrix_at + 44])
    except struct.error:
        return None
    width, height = width >> 16, height >> 16
    if a == 0 and abs(b) == 1 << 16:
        width, height = height, width
    return (width, height) if width and height else None


def prepare_video(upload, *, name: str | None = None) -> PreparedVideo:
    """Check an uploaded MP4 and return the file to store.

    ``upload`` is a Django File (an upload, or a ContentFile). Raises
    ValidationError with the reason in Vietnamese: too heavy, not an MP4
    whatever its name says (MOV, WebM, a renamed picture...), boxes that do
    not tile the file (truncated, broken), no index or no picture track, or
    a codec browsers cannot play (H.265). Metadata boxes are renamed "free"
    in the stored copy, so no GPS position is served.
    """
    size = upload.size
    if not size:
        raise _refuse(_("Tệp rỗng (0 byte): hãy chọn lại tệp video."))
    if size > settings.VIDEO_MAX_BYTES:
        raise _refuse(
            _("Tệp nặng %(size)s MB, tối đa %(max)s MB."),
            size=_mb(size),
            max=settings.VIDEO_MAX_BYTES // _MB,
        )
    head = _read_at(upload, 0, 32)
    if head[4:8] != b"ftyp":
        raise _not_mp4(head)
    ftyp_size = struct.unpack(">I", head[:4])[0]
    brands = _read_at(upload, 8, min(max(ftyp_size - 8, 0), 256))
    listed = {brands[i : i + 4] for i in range(0, len(brands), 4)}
    if not listed & _MP4_BRANDS:
        raise _not_mp4(head)
    boxes = list(_top_level_boxes(upload, size))
    kinds = [kind for kind, *_rest in boxes]
    if kinds[0] != b"ftyp" or kinds.count(b"moov") != 1 or b"mdat" not in kinds:
        raise _refuse(
            _(
                "Tệp MP4 thiếu phần mục lục hoặc phần hình (moov, mdat): có thể "
                "video chưa ghi xong. Hãy xuất lại video rồi tải lên."
            )
        )
    _kind, moov_at, moov_header, moov_size = boxes[kinds.index(b"moov")]
    if moov_size > _MOOV_MAX_BYTES:
        raise _broken()
    index = _read_index(
        _read_at(upload, moov_at + moov_header, moov_size - moov_header)
    )
    _check_codecs(index.codecs)
    patches = [(moov_at + moov_header + at, size) for at, size in index.metadata_at]
    patches += [(at, size) for kind, at, _h, size in boxes if kind in _METADATA]
    notes = []
    if patches:
        notes.append(
            _("Đã xóa vị trí GPS và thông tin thiết bị ghi trong tệp.")
            if index.had_position
            else _("Đã xóa thông tin thiết bị và phần mềm ghi trong tệp.")
        )
    if kinds.index(b"moov") > kinds.index(b"mdat"):
        notes.append(
            _(
                "Mục lục của tệp nằm ở cuối: bạn đọc phải chờ tải gần hết video "
                "mới xem được. Lần sau hãy xuất với tùy chọn “Fast start” / "
                "“Tối ưu cho web”."
            )
        )
    stem = (name or upload.name or "video").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    filename = f"{get_valid_filename(stem.replace('.', '-'))[:80] or 'video'}.mp4"
    return PreparedVideo(
        file=_copy_with_patches(upload, patches, filename) if patches else upload,
        size=size,
        duration=index.duration,
        width=index.width,
        height=index.height,
        notes=tuple(notes),
    )


def _check_codecs(codecs: tuple) -> None:
    if not codecs:
        raise _refuse(
            _("Tệp MP4 không có hình (có thể chỉ có tiếng): hãy chọn tệp video.")
        )
    if codecs[0] in (b"hvc1", b"hev1"):
        raise _refuse(
            _(
                "Video mã hóa H.265 (HEVC): nhiều trình duyệt không phát được. "
                "Hãy xuất lại video ở chuẩn H.264 rồi tải lên."
            )
        )
    if codecs[0] not in _PLAYABLE:
        raise _refuse(
            _(
                "Video mã hóa theo chuẩn “%(codec)s”, trình duyệt không phát được. "
                "Hãy xuất lại video ở chuẩn H.264 rồi tải lên."
            ),
            codec=codecs[0].decode("latin-1").strip(),
        )


def _copy_with_patches(upload, patches: list[tuple[int, int]], filename: str) -> File:
    """A copy of ``upload`` where the boxes at ``patches`` (offset, size) are
    empty "free" boxes of the same size."""
    copy = tempfile.SpooledTemporaryFile(max_size=8 * _MB)  # noqa: SIM115 - File owns it
    upload.seek(0)
    for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
        copy.write(chunk)
    for offset, size in patches:
        # A box of 2**32 bytes or more has a 16-byte header; ours are small.
        header = struct.pack(">I4s", size, b"free") if size < 2**32 else None
        if header is None:
            header = struct.pack(">I4sQ", 1, b"free", size)
        copy.seek(offset)
        copy.write(header)
        remaining = size - len(header)
        while remaining > 0:
            step = min(remaining, _MB)
            copy.write(bytes(step))
            remaining -= step
    copy.seek(0)
    return File(copy, name=filename)


# A cue's timing line: "00:01.000 --> 00:04.000", hours optional.
_TIMESTAMP = r"(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}"
_TIMING = re.compile(rf"{_TIMESTAMP}[ \t]+-->[ \t]+{_TIMESTAMP}(?:[ \t].*)?")
_SRT_TIMING = re.compile(r"\d{1,2}:\d{2}:\d{2},\d{3}\s*-->")


def prepare_captions(upload, *, name: str | None = None) -> ContentFile:
    """Check a WebVTT captions file and return it as UTF-8 with plain line ends.

    Raises ValidationError in Vietnamese: too big, not UTF-8 text, an SRT
    file (the usual mistake), no "WEBVTT" header, a malformed timing line,
    or no cue at all.
    """
    if upload.size > CAPTIONS_MAX_BYTES:
        raise _refuse(
            _("Tệp phụ đề nặng %(size)s KB, tối đa %(max)s KB."),
            size=upload.size // 1024,
            max=CAPTIONS_MAX_BYTES // 1024,
        )
    upload.seek(0)
    data = upload.read()
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise _refuse(
            _("Tệp phụ đề phải là văn bản UTF-8 (lưu lại với bảng mã UTF-8).")
        ) from None
    if "\x00" in text:
        raise _refuse(_("Tệp phụ đề phải là văn bản, không phải tệp nhị phân."))
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.fullmatch(r"WEBVTT(?:[ \t].*)?", lines[0]):
        if _SRT_TIMING.search(text):
            raise _refuse(
                _(
                    "Đây là phụ đề SRT, không phải WebVTT. Hãy chuyển sang WebVTT "
                    "(.vtt) bằng phần mềm phụ đề rồi tải lên."
                )
            )
        raise _refuse(
            _("Không phải tệp phụ đề WebVTT: dòng đầu tiên phải là “WEBVTT”.")
        )
    cues = 0
    for number, line in enumerate(lines, start=1):
        if "-->" not in line:
            continue
        if not _TIMING.fullmatch(line.strip()):
            raise _refuse(
                _(
                    "Dòng %(line)s: thời gian không đúng dạng WebVTT "
                    "(ví dụ 00:01.000 --> 00:04.000)."
                ),
                line=number,
            )
        cues += 1
    if not cues:
        raise _refuse(_("Tệp WebVTT không có câu phụ đề nào."))
    stem = (name or upload.name or "phu-de").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    filename = f"{get_valid_filename(stem.replace('.', '-'))[:80] or 'phu-de'}.vtt"
    return ContentFile("\n".join(lines).encode(), name=filename)
