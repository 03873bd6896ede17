"""Hostile uploads: each is refused with its reason, or cleaned before it is served."""

import io
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image, PngImagePlugin

from articles.models import Photo
from articles.services import photo_create
from tests.base import NewsroomTestCase
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    ContributorFactory,
    GalleryPhotoFactory,
    PhotoFactory,
    decompression_bomb_bytes,
    gps_photo_bytes,
    image_bytes,
)


def _noise(size, fmt="JPEG") -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise(size, 60).convert("RGB").save(buffer, fmt)
    return buffer.getvalue()


def _sixty_megapixels() -> bytes:
    # A 1-bit PNG: 60 million pixels in a few kilobytes, cheap to make here.
    buffer = io.BytesIO()
    Image.new("1", (10_000, 6_000)).save(buffer, "PNG")
    return buffer.getvalue()


def hostile_corpus() -> dict[str, tuple[bytes, str, str]]:
    """name: (content, file name, the message it must be refused with)."""
    truncated = _noise((800, 600))
    return {
        "decompression bomb": (
            decompression_bomb_bytes(),
            "bom.jpg",
            "“bom giải nén” nên bị từ chối",
        ),
        "HTML named .jpg": (
            b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
            "anh-le-hoi.jpg",
            "Tệp này là một trang HTML, dù tên tệp nói gì.",
        ),
        "SVG named .jpg": (
            b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
            b"<script>alert(document.cookie)</script></svg>",
            "anh.jpg",
            "Tệp này là một tệp SVG",
        ),
        "GIF named .jpg": (
            image_bytes(fmt="GIF"),
            "anh.jpg",
            "Tệp này là một ảnh GIF",
        ),
        "truncated JPEG": (
            truncated[: len(truncated) * 2 // 3],
            "cat-ngang.jpg",
            "Tệp ảnh bị hỏng hoặc chưa tải lên hết",
        ),
        "0-byte file": (b"", "rong.jpg", "Tệp rỗng (0 byte)"),
        "iPhone HEIC named .jpg": (
            b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64,
            "IMG_0001.jpg",
            "một ảnh HEIC/AVIF (thường từ iPhone): hãy xuất sang JPEG trước",
        ),
        "60-megapixel image": (
            _sixty_megapixels(),
            "sieu-lon.png",
            "Ảnh quá lớn: 10000×6000 điểm ảnh (60,0 megapixel), tối đa 40 megapixel.",
        ),
    }


def metadata_found(data: bytes) -> list[str]:
    """What identifying metadata a served file still carries (empty when clean)."""
    found = []
    image = Image.open(io.BytesIO(data))
    exif = image.getexif()
    if exif.get_ifd(0x8825):
        found.append("GPS IFD")
    if exif:
        found.append("EXIF")
    for marker in (
        b"Exif\x00\x00",
        b"GPSLatitude",
        b"Photoshop 3.0",
        b"SERIAL-0042",
        b"PhoneMaker",
        b"ns.adobe.com",
    ):
        if marker in data:
            found.append(marker.decode(errors="replace"))
    return found


def served_media_files(html: str) -> set[str]:
    """Every media file a page points to, in src and srcset attributes."""
    names = set()
    for attribute in re.findall(r'(?:src|srcset)="([^"]+)"', html):
        for candidate in attribute.split(","):
            url = candidate.strip().split(" ")[0]
            if url.startswith(settings.MEDIA_URL):
                names.add(url[len(settings.MEDIA_URL) :])
    return names


class UploadServiceTests(NewsroomTestCase):
    def test_every_hostile_file_is_refused_with_its_reason_and_nothing_saved(self):
        for label, (content, name, message) in hostile_corpus().items():
            with self.subTest(label), self.assertRaises(ValidationError) as caught:
                photo_create(upload=content, name=name, alt_text="Ảnh thử")
            self.assertIn(message, " ".join(caught.exception.messages), label)
        self.assertFalse(Photo.objects.exists())

    @override_settings(PHOTO_MAX_BYTES=1024 * 1024)
    def test_a_file_over_the_size_limit_is_refused_before_it_is_read(self):
        upload = SimpleUploadedFile("nang.png", _noise((800, 800), "PNG"))
        self.assertGreater(upload.size, 1024 * 1024)
        with self.assertRaisesMessage(ValidationError, "tối đa 1 MB"):
            photo_create(upload=upload, alt_text="Ảnh nặng")

    def test_a_png_named_jpg_is_kept_as_the_png_it_is(self):
        photo = photo_create(
            upload=image_bytes(fmt="PNG"), name="anh.jpg", alt_text="Ảnh PNG"
        )
        self.assertTrue(photo.image.name.endswith(".png"))
        with photo.image.open("rb") as stored:
            self.assertEqual(Image.open(stored).format, "PNG")

    def test_a_phone_photo_is_turned_upright_and_loses_its_gps_everywhere(self):
        photo = photo_create(
            upload=gps_photo_bytes(size=(640, 480), orientation=6),
            name="IMG_0042.jpg",
            alt_text="Nông dân bên vườn dừa",
        )
        # Orientation 6 means "turn 90° clockwise": the landscape file is a
        # portrait photo, and the dark corner moves to the top right.
        self.assertEqual((photo.width, photo.height), (480, 640))
        with photo.image.open("rb") as stored:
            original = stored.read()
        upright = Image.open(io.BytesIO(original)).convert("L")
        self.assertLess(upright.getpixel((470, 10)), 60)
        self.assertGreater(upright.getpixel((10, 10)), 60)

        names = [photo.image.name] + [
            entry[2]
            for crop in ("full", "card", "share")
            for entries in photo.renditions[crop].values()
            for entry in entries
        ]
        self.assertEqual(len(names), 8)  # original, 2 full, 4 card, 1 share
        for name in names:
            with default_storage.open(name, "rb") as served:
                self.assertEqual(metadata_found(served.read()), [], name)

    def test_png_and_webp_lose_their_metadata_too(self):
        exif = Image.Exif()
        exif.get_ifd(0x8825)[2] = (10.0, 14.0, 30.0)
        exif[0xA431] = "SERIAL-0042"
        xmp = '<x:xmpmeta xmlns:x="adobe:ns:meta/" GPSLatitude="10,14.5N"/>'
        text = PngImagePlugin.PngInfo()
        text.add_itxt("XML:com.adobe.xmp", xmp)
        text.add_text("GPSLatitude", "10,14.5N")
        png, webp = io.BytesIO(), io.BytesIO()
        Image.new("P", (300, 200)).save(
            png, "PNG", exif=exif, pnginfo=text, transparency=0
        )
        Image.new("RGB", (300, 200)).save(webp, "WEBP", exif=exif, xmp=xmp.encode())
        for name, content in (("a.png", png.getvalue()), ("a.webp", webp.getvalue())):
            with self.subTest(name):
                self.assertIn("GPS IFD", metadata_found(content))
                photo = photo_create(upload=content, name=name, alt_text="Ảnh")
                with photo.image.open("rb") as stored:
                    data = stored.read()
                self.assertEqual(metadata_found(data), [])
                if name == "a.png":
                    # The transparent palette picture keeps its transparency.
                    self.assertEqual(Image.open(io.BytesIO(data)).mode, "RGBA")

    def test_caption_and_credit_written_in_the_file_fill_empty_fields_only(self):
        photo = photo_create(upload=gps_photo_bytes(), alt_text="Vườn dừa")
        self.assertEqual(photo.caption, "Nông dân thu hoạch dừa ở Chợ Lách")
        self.assertEqual(photo.credit_text, "TTXVN")

        own = photo_create(
            upload=gps_photo_bytes(),
            alt_text="Vườn dừa",
            caption="Chú thích của biên tập viên",
            photographer=ContributorFactory(name="Hữu Hiệp"),
        )
        self.assertEqual(own.caption, "Chú thích của biên tập viên")
        self.assertEqual((own.credit_text, own.credit), ("", "Hữu Hiệp"))


class UploadAdminTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(self.editor)
        self.url = reverse("admin:articles_photo_add")

    def _post(self, content: bytes, name: str, *, follow=False, **fields):
        data = {
            "image": SimpleUploadedFile(name, content, content_type="image/jpeg"),
            "caption": "",
            "alt_text": "Người dân bên bờ sông",
            "photographer": "",
            "credit_text": "",
            "focus_x": "0.5",
            "focus_y": "0.5",
            **fields,
        }
        return self.client.post(self.url, data, follow=follow)

    def test_the_admin_refuses_each_hostile_file_with_its_message(self):
        for label, (content, name, message) in hostile_corpus().items():
            with self.subTest(label):
                response = self._post(content, name)
                self.assertEqual(response.status_code, 200, label)
                self.assertContains(response, message)
        self.assertFalse(Photo.objects.exists())

    def test_an_upload_with_gps_is_saved_clean_with_its_caption_and_a_notice(self):
        response = self._post(gps_photo_bytes(), "IMG_0042.jpg", follow=True)
        self.assertEqual(response.status_code, 200)
        photo = Photo.objects.get()
        self.assertEqual(photo.caption, "Nông dân thu hoạch dừa ở Chợ Lách")
        self.assertEqual(photo.credit_text, "TTXVN")
        self.assertTrue(photo.renditions["full"]["webp"])
        messages = [str(m) for m in response.context["messages"]]
        self.assertIn("Đã xóa vị trí GPS ghi trong ảnh.", messages)
        self.assertIn("Đã xoay ảnh theo hướng chụp.", messages)

    def test_no_file_a_reader_can_load_from_the_article_page_carries_gps(self):
        self._post(gps_photo_bytes(), "IMG_0042.jpg")
        photo = Photo.objects.get()
        article = ArticleFactory(lead_photo=photo)
        ArticlePhotoFactory(article=article, photo=photo)
        GalleryPhotoFactory(article=article, photo=photo)
        html = self.client.get(article.get_absolute_url()).content.decode()
        served = served_media_files(html)
        self.assertIn(photo.renditions["full"]["webp"][0][2], served)
        self.assertIn(photo.renditions["full"]["jpeg"][-1][2], served)
        for name in served | {photo.image.name}:
            with default_storage.open(name, "rb") as file:
                self.assertEqual(metadata_found(file.read()), [], name)

    def test_a_refused_upload_keeps_what_the_editor_typed(self):
        response = self._post(b"", "rong.jpg", caption="Lễ hội dừa Bến Tre")
        self.assertContains(response, "Tệp rỗng (0 byte)")
        self.assertContains(response, "Lễ hội dừa Bến Tre")

    def test_a_good_file_is_kept_while_the_editor_fixes_another_field(self):
        response = self._post(gps_photo_bytes(), "IMG_0042.jpg", alt_text="")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Đã giữ tệp “IMG_0042.jpg” vừa tải lên")
        # What the photographer wrote in the file is shown, ready to edit.
        self.assertContains(response, "Nông dân thu hoạch dừa ở Chợ Lách")
        form = response.context["adminform"].form
        data = {
            key: form.data[key]
            for key in ("staged_image", "caption", "credit_text", "focus_x", "focus_y")
        }
        self.assertFalse(Photo.objects.exists())

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                self.url, {**data, "alt_text": "Nông dân bên vườn dừa"}
            )
        self.assertEqual(response.status_code, 302)
        photo = Photo.objects.get()
        self.assertEqual(photo.caption, "Nông dân thu hoạch dừa ở Chợ Lách")
        self.assertEqual((photo.width, photo.height), (480, 640))
        with photo.image.open("rb") as stored:
            self.assertEqual(metadata_found(stored.read()), [])
        self.assertEqual(default_storage.listdir("photos/staging")[1], [])

    def test_a_forged_kept_file_token_is_ignored(self):
        response = self.client.post(
            self.url,
            {
                "staged_image": "photos/staging/../../secret.jpg",
                "alt_text": "Ảnh",
                "focus_x": "0.5",
                "focus_y": "0.5",
            },
        )
        self.assertContains(response, "Hãy chọn một tệp ảnh.")
        self.assertFalse(Photo.objects.exists())

    def test_legacy_originals_with_gps_are_cleaned_by_the_rendition_step(self):
        # A photo stored before the pipeline existed, straight from a phone.
        legacy = PhotoFactory(
            image=SimpleUploadedFile("cu.jpg", gps_photo_bytes()), make_renditions=True
        )
        with legacy.image.open("rb") as stored:
            self.assertEqual(metadata_found(stored.read()), [])
