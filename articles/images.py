"""Photo files: what an upload must be, how it is cleaned, how renditions are cut.

Pure Pillow and bytes, no database: articles.services stores what these return.
Everything a reader can download (the stored original and every rendition) is
re-encoded here without EXIF, XMP, IPTC or text chunks, so no GPS position or
camera serial number leaves the newsroom.
"""

import contextlib
import io
import warnings
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, IptcImagePlugin, UnidentifiedImageError

from paper.text import plain

# Accepted formats, decided by the first bytes of the file, never by its name.
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}

# Renditions: (aspect ratio or None to keep the photo's own, widths, formats).
# "full" serves figures and the lead photo, "card" the 3:2 cards of listings,
# "share" the picture that social networks show for a link (1.91:1).
RENDITIONS = {
    "full": (None, (480, 800, 1200, 1600), ("webp", "jpeg")),
    "card": ((3, 2), (320, 640, 960, 1280), ("webp", "jpeg")),
    "share": ((40, 21), (1200,), ("jpeg",)),
}
# Bump when RENDITIONS change, or a change of the encoders must reach every
# stored photo: the command then rebuilds all.
RENDITIONS_VERSION = 1

# Image.info keys Pillow fills from harmless header fields. Anything else
# (exif, xmp, photoshop/IPTC, comment, PNG text chunks) counts as metadata.
_HARMLESS_INFO = {
    "adobe",
    "adobe_transform",
    "aspect",
    "background",
    "dpi",
    "duration",
    "gamma",
    "icc_profile",
    "interlace",
    "jfif",
    "jfif_density",
    "jfif_unit",
    "jfif_version",
    "loop",
    "progression",
    "progressive",
    "srgb",
    "timestamp",
    "transparency",
}

_MB = 1024 * 1024


@dataclass(frozen=True)
class PreparedPhoto:
    """A checked, cleaned upload: the file to store and what its metadata said."""

    file: ContentFile
    width: int
    height: int
    caption: str = ""
    credit: str = ""
    # What cleaning changed, for the editor: "GPS position removed"...
    notes: tuple[str, ...] = ()


def file_format(head: bytes) -> str | None:
    """JPEG, PNG or WEBP from a file's first bytes, whatever Pillow calls the
    variant (a camera's two-picture JPEG is "MPO" to Pillow)."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def _not_an_image(head: bytes) -> ValidationError:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<svg", b"<?xml")) or b"<svg" in text:
        kind = _("một tệp SVG (văn bản, có thể chứa mã lệnh)")
    elif text.startswith((b"<!doctype", b"<html", b"<")):
        kind = _("một trang HTML")
    elif head.startswith((b"GIF87a", b"GIF89a")):
        kind = _("một ảnh GIF")
    elif head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"avif"):
        # iPhones save HEIC by default; their share sheet can export JPEG.
        kind = _("một ảnh HEIC/AVIF (thường từ iPhone): hãy xuất sang JPEG trước")
    else:
        kind = _("không phải ảnh JPEG, PNG hay WebP")
    return ValidationError(
        _("Tệp này là %(kind)s, dù tên tệp nói gì. Chỉ nhận ảnh JPEG, PNG hoặc WebP."),
        code="not_an_image",
        params={"kind": kind},
    )


def _too_many_pixels(width: int, height: int) -> ValidationError:
    return ValidationError(
        _(
            "Ảnh quá lớn: %(width)s×%(height)s điểm ảnh (%(mp)s megapixel), tối đa "
            "%(max)s megapixel. Hãy thu nhỏ ảnh rồi tải lại."
        ),
        code="too_many_pixels",
        params={
            "width": width,
            "height": height,
            "mp": f"{width * height / 1e6:.1f}".replace(".", ","),
            "max": settings.PHOTO_MAX_PIXELS // 1_000_000,
        },
    )


def _bomb() -> ValidationError:
    return ValidationError(
        _(
            "Tệp khai báo kích thước ảnh khổng lồ (hơn %(max)s megapixel) so với "
            "dung lượng của nó: đây là kiểu tệp “bom giải nén” nên bị từ chối."
        ),
        code="decompression_bomb",
        params={"max": 2 * settings.PHOTO_MAX_PIXELS // 1_000_000},
    )


def _too_many_frames(width: int, height: int, frames: int) -> ValidationError:
    return ValidationError(
        _(
            "Ảnh động quá lớn: %(frames)s khung hình %(width)s×%(height)s điểm ảnh. "
            "Chỉ khung hình đầu được dùng; hãy lưu riêng khung hình đó thành ảnh "
            "JPEG hoặc PNG rồi tải lại."
        ),
        code="too_many_frames",
        params={"width": width, "height": height, "frames": frames},
    )


def _corrupt() -> ValidationError:
    return ValidationError(
        _(
            "Tệp ảnh bị hỏng hoặc chưa tải lên hết (thiếu dữ liệu). Hãy xuất lại "
            "ảnh từ máy rồi tải lên lần nữa."
        ),
        code="corrupt",
    )


def open_checked(data: bytes) -> Image.Image:
    """Open ``data`` as an accepted, whole, not-too-large picture, fully decoded.

    Raises ValidationError with a message saying what is wrong. The pixel count
    is checked from the header before anything is decoded, so a decompression
    bomb never reaches memory.
    """
    if not data:
        raise ValidationError(
            _("Tệp rỗng (0 byte): hãy chọn lại tệp ảnh."), code="empty"
        )
    if len(data) > settings.PHOTO_MAX_BYTES:
        raise ValidationError(
            _("Tệp nặng %(size)s MB, tối đa %(max)s MB."),
            code="too_big",
            params={
                "size": f"{len(data) / _MB:.1f}".replace(".", ","),
                "max": settings.PHOTO_MAX_BYTES // _MB,
            },
        )
    fmt = file_format(data[:16])
    if fmt is None:
        raise _not_an_image(data[:512])
    with warnings.catch_warnings():
        # Over MAX_IMAGE_PIXELS Pillow only warns; the size check below refuses.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[fmt])
        except Image.DecompressionBombError:
            raise _bomb() from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            raise _corrupt() from None
    width, height = image.size
    if width * height > settings.PHOTO_MAX_PIXELS:
        raise _too_many_pixels(width, height)
    # An animation keeps only its first frame, but decoders hold every frame
    # they pass through: the cap counts them all, from the header. A camera's
    # MPO (a JPEG with a preview after it) is read as its first picture only.
    frames = getattr(image, "n_frames", 1) if fmt != "JPEG" else 1
    if width * height * frames > settings.PHOTO_MAX_PIXELS:
        raise _too_many_frames(width, height, frames)
    if fmt == "JPEG":
        # Decode a big JPEG at 1/2, 1/4 or 1/8 scale when that still covers the
        # stored size: a quarter or less of the memory, same result.
        side = settings.PHOTO_MASTER_MAX_SIDE
        scale = side / max(width, height)
        if scale < 1:
            image.draft(None, (round(width * scale), round(height * scale)))
    try:
        image.load()
    except (OSError, SyntaxError, ValueError, EOFError):
        # "image file is truncated", broken chunks, bad Huffman tables...
        raise _corrupt() from None
    return image


def _text(value) -> str:
    if isinstance(value, list | tuple):
        value = value[0] if value else b""
    if isinstance(value, str):
        # Pillow reads EXIF text as Latin-1; cameras and phones write UTF-8.
        with contextlib.suppress(UnicodeEncodeError):  # then decoded right already
            value = value.encode("latin-1")
    if isinstance(value, bytes):
        for encoding in ("utf-8", "cp1258", "latin-1"):
            try:
                value = value.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return " ".join(plain(str(value or "").replace("\x00", " ")).split())


# Cameras fill ImageDescription with their own name; that is not a caption.
_CAMERA_FILLER = ("CAMERA", "DIGITAL", "OLYMPUS", "SONY DSC", "DCIM")


def read_caption_and_credit(image: Image.Image) -> tuple[str, str]:
    """The caption and credit a photographer wrote into IPTC or EXIF, if any."""
    caption = credit = ""
    try:
        iptc = IptcImagePlugin.getiptcinfo(image) or {}
    except (OSError, SyntaxError, ValueError, TypeError):
        iptc = {}
    caption = _text(iptc.get((2, 120)))  # Caption/Abstract
    credit = (
        _text(iptc.get((2, 110)))  # Credit ("TTXVN")
        or _text(iptc.get((2, 80)))  # By-line
        or _text(iptc.get((2, 115)))  # Source
    )
    exif = image.getexif()
    if not caption:
        description = _text(exif.get(0x010E))  # ImageDescription
        if description and not any(w in description.upper() for w in _CAMERA_FILLER):
            caption = description
    if not credit:
        credit = _text(exif.get(0x013B)) or _text(exif.get(0x8298))  # Artist
    return caption[:500], credit[:120]


def carries_metadata(image: Image.Image) -> bool:
    """Whether ``image`` as read from a file holds EXIF, XMP, IPTC or text chunks."""
    if image.getexif():
        return True
    if any(key not in _HARMLESS_INFO for key in image.info):
        return True
    return bool(getattr(image, "text", None))


def _stripped(image: Image.Image) -> Image.Image:
    """Orientation applied, one frame, no metadata, at most the master size."""
    # In place: without it Pillow returns a full copy even when there is
    # nothing to turn.
    ImageOps.exif_transpose(image, in_place=True)
    if getattr(image, "n_frames", 1) > 1:
        image.seek(0)
    if image.mode.startswith(("I", "F")):
        image = _eight_bit(image)
    elif image.mode not in ("RGB", "RGBA", "L", "LA"):
        # Palette and CMYK pictures become RGB, keeping any transparency.
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    side = settings.PHOTO_MASTER_MAX_SIDE
    if max(image.size) > side:
        # Resized straight from the source, as thumbnail() would but without
        # copying the full-size picture first: 72 MB less for a 24-Mpx photo.
        scale = side / max(image.size)
        size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=2.0)
    icc = image.info.get("icc_profile")
    # A fresh info dict: nothing read from the upload is written back out.
    image.info = {"icc_profile": icc} if icc else {}
    return image


def _eight_bit(image: Image.Image) -> Image.Image:
    """A 16-bit or 32-bit greyscale picture (a scanned archive photo) as 8-bit
    grey, its tones kept. Converting straight to "L" clips every value above
    255: the photo came out white."""
    if image.mode.startswith("I;16"):
        image = image.convert("I")
        low, high = 0, 65535
    else:
        image = image.convert("F") if image.mode != "I" else image
        low, high = image.getextrema()
    scale = 255 / (high - low) if high > low else 0
    return image.point(lambda v: (v - low) * scale).convert("L")


def _encode(image: Image.Image, fmt: str, *, quality: int) -> bytes:
    buffer = io.BytesIO()
    icc = image.info.get("icc_profile")
    options = {"icc_profile": icc} if icc else {}
    if fmt == "JPEG":
        if image.mode in ("RGBA", "LA"):
            # JPEG has no transparency: flatten onto white paper.
            flat = Image.new("RGB", image.size, (255, 255, 255))
            flat.paste(image, mask=image.getchannel("A"))
            image = flat
        image.save(
            buffer, "JPEG", quality=quality, optimize=True, progressive=True, **options
        )
    elif fmt == "WEBP":
        # Effort 2 of 6: a third of effort 3's time for 2-7 % more bytes on
        # photographs; above 2 libwebp adds its slow rate-distortion search,
        # which kept big uploads over a second (bench/hostile_images.py).
        image.save(buffer, "WEBP", quality=quality, method=2, **options)
    else:
        image.save(buffer, "PNG", optimize=False, **options)
    return buffer.getvalue()


def clean_original(image: Image.Image, fmt: str) -> bytes:
    """The bytes stored as the photo's original: re-encoded, without metadata."""
    return _encode(_stripped(image), fmt, quality=90)


def prepare_upload(upload, *, name: str | None = None) -> PreparedPhoto:
    """Check an uploaded file and return the cleaned file to store.

    ``upload`` is a Django File (or anything with ``read()``), or raw bytes.
    Raises ValidationError, with the reason in Vietnamese, when it is not an
    accepted picture: empty, too heavy, not an image whatever its name says,
    a decompression bomb, too many pixels, truncated or corrupt.
    """
    if isinstance(upload, bytes):
        data = upload
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > settings.PHOTO_MAX_BYTES:
            # Refuse before reading a huge file into memory.
            raise ValidationError(
                _("Tệp nặng %(size)s MB, tối đa %(max)s MB."),
                code="too_big",
                params={
                    "size": f"{size / _MB:.1f}".replace(".", ","),
                    "max": settings.PHOTO_MAX_BYTES // _MB,
                },
            )
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read()
        name = name or getattr(upload, "name", None)
    image = open_checked(data)
    # What the file is, not Pillow's name for its variant (a camera's "MPO").
    fmt = file_format(data[:16])
    caption, credit = read_caption_and_credit(image)
    notes = _cleaning_notes(image, fmt, name or "")
    cleaned = _stripped(image)
    stem = (name or "anh").rsplit("/", 1)[-1].rsplit(".", 1)[0].replace(".", "-")
    filename = f"{get_valid_filename(stem)[:80] or 'anh'}.{FORMATS[fmt]}"
    return PreparedPhoto(
        file=ContentFile(_encode(cleaned, fmt, quality=90), name=filename),
        width=cleaned.width,
        height=cleaned.height,
        caption=caption,
        credit=credit,
        notes=notes,
    )


def _cleaning_notes(image: Image.Image, fmt: str, name: str) -> tuple[str, ...]:
    notes = []
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension and extension not in {FORMATS[fmt], "jpeg" if fmt == "JPEG" else ""}:
        notes.append(
            _(
                "Tệp mang đuôi .%(ext)s nhưng thực chất là ảnh %(fmt)s; "
                "đã lưu đúng loại."
            )
            % {"ext": extension, "fmt": fmt}
        )
    exif = image.getexif()
    if exif.get_ifd(0x8825):
        notes.append(_("Đã xóa vị trí GPS ghi trong ảnh."))
    if exif.get(0x0112, 1) != 1:
        notes.append(_("Đã xoay ảnh theo hướng chụp."))
    if carries_metadata(image):
        notes.append(_("Đã xóa thông tin EXIF/XMP/IPTC khỏi ảnh đăng lên trang."))
    return tuple(str(note) for note in notes)


def _crop_box(
    size: tuple[int, int], ratio: tuple[int, int], focus: tuple[float, float]
) -> tuple[int, int, int, int]:
    """The largest ``ratio`` box inside ``size``, centred as near the focus as fits."""
    width, height = size
    target = ratio[0] / ratio[1]
    if width / height > target:
        crop_w, crop_h = round(height * target), height
    else:
        crop_w, crop_h = width, round(width / target)
    left = min(max(round(focus[0] * width - crop_w / 2), 0), width - crop_w)
    top = min(max(round(focus[1] * height - crop_h / 2), 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


@dataclass(frozen=True)
class Rendition:
    crop: str
    fmt: str  # "webp" or "jpeg"
    width: int
    height: int
    content: bytes


def make_renditions(
    image: Image.Image, *, focus: tuple[float, float]
) -> list[Rendition]:
    """Every rendition of ``image`` (already cleaned), never wider than its source.

    Crops keep the focal point (fractions of width and height) in frame.
    """
    image = _stripped(image)
    jobs = []
    for crop, (ratio, widths, formats) in RENDITIONS.items():
        source = image.crop(_crop_box(image.size, ratio, focus)) if ratio else image
        source.info = dict(image.info)
        # Never upscale: widths beyond the source collapse to the source width.
        fitting = sorted({min(width, source.width) for width in widths})
        jobs += [(crop, source, width, formats) for width in fitting]

    def rendered(job) -> list[Rendition]:
        crop, source, width, formats = job
        height = max(1, round(source.height * width / source.width))
        resized = (
            source
            if width == source.width
            else source.resize((width, height), Image.Resampling.LANCZOS)
        )
        resized.info = source.info
        return [
            Rendition(
                crop,
                fmt,
                resized.width,
                resized.height,
                _encode(resized, fmt.upper(), quality=80 if fmt == "jpeg" else 76),
            )
            for fmt in formats
        ]

    # Pillow lets go of the GIL while it resizes and encodes: two sizes at a
    # time nearly halve the editor's wait on a two-core server, same files.
    with ThreadPoolExecutor(max_workers=2) as workers:
        return [rendition for done in workers.map(rendered, jobs) for rendition in done]
