"""Video uploads: MP4s and captions are judged by their content, refused with
a reason, and never leave a half-saved row or a stray file."""

from datetime import timedelta
from pathlib import Path

from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase, override_settings
from django.urls import reverse

from articles.models import Photo, Video
from articles.services import video_create
from articles.video_files import prepare_captions, prepare_video
from tests.base import NewsroomTestCase
from tests.factories import (
    VTT,
    ArticleFactory,
    ArticleVideoFactory,
    VideoFactory,
    image_bytes,
    mp4_box,
    mp4_bytes,
)

DEMO_MP4 = Path(__file__).resolve().parents[2] / "demo" / "media" / "song-tien.mp4"


def _refusal(data: bytes, name: str = "phong-su.mp4") -> str:
    try:
        prepare_video(ContentFile(data, name=name))
    except ValidationError as error:
        return " ".join(error.messages)
    raise AssertionError("accepted")


class VideoFileTests(SimpleTestCase):
    def test_a_phones_mp4_is_accepted_with_its_length_and_size(self):
        prepared = prepare_video(ContentFile(mp4_bytes(seconds=125), name="a.MP4"))
        self.assertEqual(prepared.duration, timedelta(minutes=2, seconds=5))
        self.assertEqual((prepared.width, prepared.height), (1280, 720))
        self.assertEqual(prepared.file.name, "a.mp4")

    def test_a_video_filmed_upright_is_taller_than_wide(self):
        prepared = prepare_video(ContentFile(mp4_bytes(upright=True), name="a.mp4"))
        self.assertEqual((prepared.width, prepared.height), (720, 1280))

    def test_the_place_it_was_filmed_is_not_served(self):
        data = mp4_bytes(location=True)
        self.assertIn(b"\xa9xyz", data)
        prepared = prepare_video(ContentFile(data, name="a.mp4"))
        stored = prepared.file.read()
        # Renamed in place: the same length, every offset where it was.
        self.assertEqual(len(stored), len(data))
        self.assertNotIn(b"udta", stored)
        self.assertNotIn(b"106.3756", stored)
        self.assertIn("vị trí GPS", " ".join(map(str, prepared.notes)))
        again = prepare_video(ContentFile(stored, name="a.mp4"))
        self.assertEqual(again.notes, ())
        self.assertEqual(again.duration, prepared.duration)

    def test_the_demo_papers_real_video_is_accepted(self):
        prepared = prepare_video(ContentFile(DEMO_MP4.read_bytes(), name="x.mp4"))
        self.assertEqual(prepared.duration, timedelta(seconds=6))
        self.assertEqual((prepared.width, prepared.height), (640, 360))

    def test_files_that_are_not_mp4_are_refused_whatever_their_name(self):
        cases = {
            "JPEG": (image_bytes(), "không phải video MP4"),
            "HTML": (b"<!doctype html><script>alert(1)</script>", "trang HTML"),
            "MOV": (mp4_bytes(brand=b"qt  "), "QuickTime"),
            "HEIC": (mp4_bytes(brand=b"heic"), "HEIC"),
            "3GP": (mp4_bytes(brand=b"3gp4"), "3GP"),
            "WebM": (b"\x1aE\xdf\xa3" + b"\x00" * 60, "WebM"),
            "empty": (b"", "rỗng"),
        }
        for name, (data, reason) in cases.items():
            with self.subTest(name):
                self.assertIn(reason, _refusal(data))

    def test_codecs_browsers_cannot_play_are_refused(self):
        self.assertIn("H.265", _refusal(mp4_bytes(codec=b"hvc1")))
        self.assertIn("mp4v", _refusal(mp4_bytes(codec=b"mp4v")))
        self.assertIn("không có hình", _refusal(mp4_bytes(handler=b"soun")))

    def test_broken_and_unfinished_files_are_refused(self):
        whole = mp4_bytes()
        self.assertIn("bị hỏng", _refusal(whole[:-100]))
        self.assertIn("bị hỏng", _refusal(whole + b"\x00\x00\x00"))
        ftyp = mp4_box(b"ftyp", b"isom\x00\x00\x02\x00isom")
        self.assertIn("moov", _refusal(ftyp + mp4_box(b"mdat", b"\x00" * 50)))
        # A box claiming more than the file holds.
        self.assertIn("bị hỏng", _refusal(ftyp + b"\xff\xff\xff\xffmdat"))
        # A file of nothing but empty boxes does not keep the check busy.
        self.assertIn("bị hỏng", _refusal(ftyp + mp4_box(b"free", b"") * 30_000))

    @override_settings(VIDEO_MAX_BYTES=1000)
    def test_a_file_over_the_limit_is_refused_before_it_is_read(self):
        self.assertIn("tối đa 0 MB", _refusal(mp4_bytes(picture_bytes=2000)))

    def test_an_index_at_the_end_is_accepted_with_advice(self):
        prepared = prepare_video(ContentFile(mp4_bytes(index_first=False), name="a"))
        self.assertIn("Fast start", " ".join(map(str, prepared.notes)))


def _captions_refusal(data: bytes) -> str:
    try:
        prepare_captions(ContentFile(data, name="phu-de.vtt"))
    except ValidationError as error:
        return " ".join(error.messages)
    raise AssertionError("accepted")


class CaptionsFileTests(SimpleTestCase):
    def test_webvtt_is_accepted_as_utf8_with_plain_line_ends(self):
        data = ("\ufeff" + VTT.replace("\n", "\r\n")).encode()
        captions = prepare_captions(ContentFile(data, name="Phụ đề.VTT"))
        self.assertEqual(captions.read().decode(), VTT)
        self.assertTrue(captions.name.endswith(".vtt"))

    def test_wrong_files_are_refused_with_the_reason(self):
        srt = "1\n00:00:01,000 --> 00:00:03,000\nChiều trên sông.\n".encode()
        cases = {
            "SRT": (srt, "SRT"),
            "no header": (b"00:00.000 --> 00:01.000\nx\n", "WEBVTT"),
            "bad time": (b"WEBVTT\n\n00:00 --> 00:01.000\nx\n", "Dòng 3"),
            "no cue": ("WEBVTT\n\nNOTE chưa có phụ đề\n".encode(), "không có câu"),
            "UTF-16": (VTT.encode("utf-16"), "UTF-8"),
            "Windows-1258": ("WEBVTT\n\nĐ".encode("cp1258"), "UTF-8"),
            "binary": (b"WEBVTT\n\x00\x00", "nhị phân"),
            "picture": (image_bytes(), "UTF-8"),
        }
        for name, (data, reason) in cases.items():
            with self.subTest(name):
                self.assertIn(reason, _captions_refusal(data))


class VideoLibraryAdminTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(self.reporter)
        self.add_url = reverse("admin:articles_video_add")

    def _post(self, to=None, **fields):
        data = {
            "title": "Chiều xuôi dòng sông Tiền",
            "url": "",
            "poster_photo": "",
            "description": "Ghe chở dừa xuôi sông Tiền.",
            "credit": "Hữu Phúc",
            **fields,
        }
        return self.client.post(to or self.add_url, data)

    def _stored(self, folder: str = "videos") -> list[str]:
        found = []

        def walk(path):
            directories, files = default_storage.listdir(path)
            found.extend(f"{path}/{name}" for name in files)
            for directory in directories:
                walk(f"{path}/{directory}")

        if default_storage.exists(folder):
            walk(folder)
        return found

    def test_a_reporter_uploads_an_mp4_with_captions_and_a_new_poster(self):
        before = set(self._stored())
        response = self._post(
            file=SimpleUploadedFile("song-tien.mp4", mp4_bytes(), "video/mp4"),
            captions=SimpleUploadedFile("song-tien.vtt", VTT.encode(), "text/vtt"),
            poster_upload=SimpleUploadedFile("bia.jpg", image_bytes(), "image/jpeg"),
        )
        self.assertEqual(response.status_code, 302, response.content.decode()[:3000])
        video = Video.objects.get()
        self.assertEqual(video.kind, Video.Kind.FILE)
        self.assertEqual(video.duration_text, "2:05")
        self.assertEqual(video.file_size, len(mp4_bytes()))
        with video.file.open("rb") as stored:
            self.assertNotIn(b"106.3756", stored.read())
        self.assertEqual(video.captions.read().decode(), VTT)
        poster = Photo.objects.get()
        self.assertEqual(video.poster_photo, poster)
        self.assertTrue(poster.renditions)  # through the photo pipeline
        self.assertEqual(len(set(self._stored()) - before), 2)
        notes = [str(m) for m in get_messages(response.wsgi_request)]
        self.assertTrue(any("vị trí GPS" in note for note in notes), notes)

    def test_a_refused_file_saves_nothing_and_stores_nothing(self):
        before = set(self._stored())
        for field, upload, reason in (
            ("file", ("phong-su.mp4", image_bytes()), "không phải video MP4"),
            ("captions", ("phu-de.vtt", b"1\n00:00:01,000 --> x"), "SRT"),
        ):
            with self.subTest(field):
                fields = {
                    "file": SimpleUploadedFile("a.mp4", mp4_bytes()),
                    field: SimpleUploadedFile(*upload),
                }
                response = self._post(**fields)
                self.assertEqual(response.status_code, 200)
                self.assertContains(response, reason)
        self.assertFalse(Video.objects.exists())
        self.assertEqual(set(self._stored()), before)

    def test_a_youtube_link_is_stored_in_one_spelling_and_only_once(self):
        response = self._post(url="https://m.youtube.com/watch?v=M7lc1UVf-VE&t=4")
        self.assertEqual(response.status_code, 302)
        video = Video.objects.get()
        self.assertEqual(video.url, "https://www.youtube.com/watch?v=M7lc1UVf-VE")
        self.assertEqual((video.kind, video.provider_id), ("youtube", "M7lc1UVf-VE"))
        again = self._post(title="Bản khác", url="https://youtu.be/M7lc1UVf-VE")
        self.assertContains(again, "Video này đã có trong thư viện")
        self.assertEqual(Video.objects.count(), 1)

    def test_other_links_and_a_file_with_a_link_are_refused(self):
        for fields, reason in (
            ({"url": "https://youtube.com.evil.tld/watch?v=M7lc1UVf-VE"}, "Chỉ nhận"),
            ({"url": "https://fb.watch/aBcD12/"}, "liên kết đầy đủ"),
            ({}, "Hãy tải tệp MP4 lên"),
            (
                {
                    "url": "https://youtu.be/M7lc1UVf-VE",
                    "file": SimpleUploadedFile("a.mp4", mp4_bytes()),
                },
                "không cả hai",
            ),
            (
                {
                    "url": "https://youtu.be/M7lc1UVf-VE",
                    "captions": SimpleUploadedFile("a.vtt", VTT.encode()),
                },
                "Phụ đề chỉ dùng",
            ),
        ):
            with self.subTest(fields):
                self.assertContains(self._post(**fields), reason)
        self.assertFalse(Video.objects.exists())

    def test_a_replaced_file_and_a_deleted_video_leave_no_file_behind(self):
        with self.committed():
            video = video_create(
                title="Sông Tiền", upload=mp4_bytes(), captions=VTT.encode()
            )
        first, captions = video.file.name, video.captions.name
        self.client.force_login(self.editor)
        change = reverse("admin:articles_video_change", args=[video.pk])
        response = self._post(
            to=change,
            title="Sông Tiền",
            file=SimpleUploadedFile("moi.mp4", mp4_bytes(seconds=30)),
        )
        self.assertEqual(response.status_code, 302)
        video.refresh_from_db()
        self.assertEqual(video.duration_text, "0:30")
        self.assertFalse(default_storage.exists(first))
        self.assertTrue(default_storage.exists(video.file.name))
        delete = reverse("admin:articles_video_delete", args=[video.pk])
        self.client.post(delete, {"post": "yes"})
        self.assertFalse(Video.objects.exists())
        for name in (video.file.name, captions):
            self.assertFalse(default_storage.exists(name))

    def test_a_video_shown_in_a_body_cannot_be_deleted(self):
        use = ArticleVideoFactory(article=ArticleFactory())
        self.client.force_login(self.editor)
        delete = reverse("admin:articles_video_delete", args=[use.video.pk])
        response = self.client.post(delete, {"post": "yes"})
        self.assertContains(response, "Không thể xóa video")
        self.assertTrue(Video.objects.filter(pk=use.video.pk).exists())

    def test_a_poster_in_use_says_so_and_stays_in_the_photo_library(self):
        video = VideoFactory(title="Mùa kẹo dừa")
        photo = video.poster_photo
        self.client.force_login(self.editor)
        page = self.client.get(reverse("admin:articles_photo_change", args=[photo.pk]))
        self.assertContains(page, "Mùa kẹo dừa</a> (ảnh bìa video)")
        delete = reverse("admin:articles_photo_delete", args=[photo.pk])
        self.assertContains(self.client.post(delete, {"post": "yes"}), "Không thể xóa")
        self.assertTrue(Photo.objects.filter(pk=photo.pk).exists())
