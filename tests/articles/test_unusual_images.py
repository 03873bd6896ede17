"""Pictures that are not hostile, only unusual: camera and scanner files,
animations. Each is stored as what a reader expects, or refused with its
reason; none answers 500."""

import io
import time

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from PIL import Image

from articles.models import Photo
from articles.services import photo_create
from tests.base import NewsroomTestCase


def _mpo() -> bytes:
    """A two-picture camera file: the photo, then a smaller second image."""
    buffer = io.BytesIO()
    first = Image.new("RGB", (1200, 800), (30, 120, 60))
    second = Image.new("RGB", (320, 240), (200, 40, 40))
    first.save(buffer, "MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def _grey_16_bit() -> bytes:
    """A scanned archive photo: 16-bit grey, black at the top, white below."""
    ramp = Image.linear_gradient("L").resize((600, 400)).convert("I")
    ramp = ramp.point(lambda v: v * 257)  # 0..255 -> 0..65535
    buffer = io.BytesIO()
    ramp.convert("I;16").save(buffer, "PNG")
    return buffer.getvalue()


def _animation(fmt: str, size: tuple[int, int], frames: int) -> bytes:
    pictures = [Image.new("RGB", size, (i * 5 % 255, 80, 120)) for i in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, fmt, save_all=True, append_images=pictures[1:])
    return buffer.getvalue()


def _with_artist(artist: bytes) -> bytes:
    exif = Image.Exif()
    exif[0x013B] = artist  # the bytes as the camera wrote them
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (90, 90, 90)).save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def _stored(photo: Photo) -> Image.Image:
    with default_storage.open(photo.image.name) as stored:
        image = Image.open(io.BytesIO(stored.read()))
        image.load()
    return image


class UnusualImageTests(NewsroomTestCase):
    def test_a_camera_mpo_is_stored_as_its_first_picture_in_jpeg(self):
        photo = photo_create(upload=_mpo(), name="DSC0001.JPG", alt_text="Cánh đồng")

        stored = _stored(photo)
        self.assertEqual(stored.format, "JPEG")
        self.assertEqual(stored.size, (1200, 800))
        self.assertTrue(photo.image.name.endswith(".jpg"))
        self.assertTrue(photo.renditions["card"]["jpeg"])

    def test_a_16_bit_grey_scan_keeps_its_tones(self):
        photo = photo_create(upload=_grey_16_bit(), alt_text="Ảnh tư liệu")

        stored = _stored(photo).convert("L")
        top = stored.getpixel((300, 5))
        middle = stored.getpixel((300, 200))
        bottom = stored.getpixel((300, 394))
        # Before: every value above 255 clipped, a white rectangle.
        self.assertLess(top, 30)
        self.assertTrue(100 < middle < 160, middle)
        self.assertGreater(bottom, 225)

    def test_a_huge_animation_is_refused_from_its_header_in_well_under_a_second(self):
        for fmt in ("WEBP", "PNG"):
            # 1,000 × 1,000 × 60 frames: 60 megapixels, 40 allowed.
            content = _animation(fmt, (1000, 1000), 60)
            started = time.monotonic()
            with self.subTest(fmt), self.assertRaises(ValidationError) as caught:
                photo_create(upload=content, alt_text="Ảnh động")
            self.assertLess(time.monotonic() - started, 1, fmt)
            message = " ".join(caught.exception.messages)
            self.assertIn("60 khung hình 1000×1000", message)
        self.assertFalse(Photo.objects.exists())

    def test_a_small_animation_is_stored_as_its_first_frame(self):
        photo = photo_create(
            upload=_animation("WEBP", (300, 200), 5), alt_text="Ảnh động nhỏ"
        )

        stored = _stored(photo)
        self.assertEqual(getattr(stored, "n_frames", 1), 1)
        self.assertEqual(stored.size, (300, 200))

    def test_a_credit_written_in_utf8_exif_reads_as_vietnamese(self):
        content = _with_artist("Nguyễn Văn Tâm\x07".encode())

        photo = photo_create(upload=content, alt_text="Chân dung")

        self.assertEqual(photo.credit_text, "Nguyễn Văn Tâm")

    def test_a_latin1_exif_credit_is_left_as_it_was(self):
        content = _with_artist("José Müller".encode("latin-1"))

        photo = photo_create(upload=content, alt_text="Chân dung")

        self.assertEqual(photo.credit_text, "José Müller")
