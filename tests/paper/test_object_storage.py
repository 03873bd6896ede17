"""Media on S3-compatible object storage (MEDIA_STORAGE_URL), against moto's
S3 server started by the tests (tests/conftest.py): an editor's upload and its
renditions land in the bucket, pages point readers at the bucket, a deleted
photo's objects go, the feed asks the bucket nothing, /healthz sees it down."""

import importlib
import re
import time
import urllib.request
import xml.etree.ElementTree as ET  # our own feed, not untrusted XML
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles import images
from articles.models import Photo
from articles.services import photo_create
from paper.storage import IMMUTABLE, ORIGINAL
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, ArticlePhotoFactory, gps_photo_bytes
from tests.s3 import storage_requests
from tests.servers import free_port


def _fetch(url: str):
    """The body and headers a browser gets for ``url``."""
    with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - moto here
        return answer.read(), answer.headers


def _srcset_urls(html: str) -> list[str]:
    urls = []
    for attribute in re.findall(r'(?:src|srcset)="([^"]+)"', html):
        urls += [part.strip().split(" ")[0] for part in attribute.split(",")]
    return urls


def _every_rendition(photo: Photo) -> set[tuple[str, str, int]]:
    return {
        (crop, fmt, width)
        for crop, by_format in photo.renditions.items()
        if crop != "key"
        for fmt, entries in by_format.items()
        for width, _height, _name in entries
    }


def _all_sizes() -> set[tuple[str, str, int]]:
    """Every rendition the site generates, for a photo large enough for all."""
    return {
        (crop, fmt, width)
        for crop, (_ratio, widths, formats) in images.RENDITIONS.items()
        for fmt in formats
        for width in widths
    }


# Wide enough that no rendition width collapses onto the photo's own.
BIG = {"size": (1800, 1200), "orientation": 1}


@pytest.mark.usefixtures("s3_media")
class ObjectStorageTests(NewsroomTestCase):
    def _upload(self, **fields):
        data = {
            "image": SimpleUploadedFile(
                "IMG_0042.jpg", gps_photo_bytes(**BIG), content_type="image/jpeg"
            ),
            "caption": "",
            "alt_text": "Nông dân bên vườn dừa",
            "photographer": "",
            "credit_text": "",
            "focus_x": "0.5",
            "focus_y": "0.5",
            **fields,
        }
        return self.client.post(reverse("admin:articles_photo_add"), data)

    def test_an_editors_upload_lands_in_the_bucket_with_every_rendition(self):
        self.client.force_login(self.editor)

        response = self._upload()

        self.assertEqual(response.status_code, 302)
        photo = Photo.objects.get()
        self.assertEqual(_every_rendition(photo), _all_sizes())
        names = {photo.image.name} | {
            entry[2]
            for crop, by_format in photo.renditions.items()
            if crop != "key"
            for entries in by_format.values()
            for entry in entries
        }
        self.assertEqual(len(names), 1 + len(_all_sizes()))
        self.assertEqual(self.bucket.names(), names)  # nothing else, nothing local
        for name in names:
            self.assertFalse((Path(settings.MEDIA_ROOT) / name).exists(), name)
        original = self.bucket.head(photo.image.name)
        self.assertEqual(photo.file_size, original["ContentLength"])
        self.assertEqual(original["ContentType"], "image/jpeg")
        self.assertEqual(original["CacheControl"], ORIGINAL)
        webp = self.bucket.head(photo.renditions["full"]["webp"][0][2])
        self.assertEqual(webp["ContentType"], "image/webp")
        self.assertEqual(webp["CacheControl"], IMMUTABLE)
        # Dimensions as cleaned: no EXIF rotation left to do.
        self.assertEqual((photo.width, photo.height), (1800, 1200))

    def test_a_file_kept_while_the_editor_fixes_a_field_waits_in_the_bucket(self):
        self.client.force_login(self.editor)

        response = self._upload(alt_text="")

        self.assertEqual(response.status_code, 200)
        staged = self.bucket.names()
        self.assertEqual(len(staged), 1)
        (name,) = staged
        self.assertTrue(name.startswith("photos/staging/"))
        self.assertEqual(self.bucket.head(name)["CacheControl"], "no-store")
        form = response.context["adminform"].form
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("admin:articles_photo_add"),
                {
                    **{
                        key: form.data[key]
                        for key in ("staged_image", "caption", "credit_text")
                    },
                    "focus_x": "0.5",
                    "focus_y": "0.5",
                    "alt_text": "Nông dân bên vườn dừa",
                },
            )
        self.assertEqual(response.status_code, 302)
        photo = Photo.objects.get()
        self.assertNotIn(name, self.bucket.names())
        self.assertIn(photo.image.name, self.bucket.names())
        self.assertEqual(
            photo.file_size, self.bucket.head(photo.image.name)["ContentLength"]
        )

    def test_the_article_page_points_readers_at_the_bucket_and_every_url_loads(self):
        photo = photo_create(upload=gps_photo_bytes(**BIG), alt_text="Vườn dừa")
        with self.committed():
            article = ArticleFactory(lead_photo=photo)
            ArticlePhotoFactory(article=article, photo=photo)

        html = self.client.get(article.get_absolute_url()).content.decode()

        srcset = re.findall(r'<source[^>]*srcset="([^"]+)"', html)
        self.assertTrue(srcset)
        media = [url for url in _srcset_urls(html) if "/photos/" in url]
        self.assertTrue(media)
        for url in media:
            self.assertTrue(url.startswith(self.bucket.public_root), url)
        full = {entry[2] for entry in photo.renditions["full"]["webp"]}
        self.assertTrue(
            full <= {url.removeprefix(self.bucket.public_root) for url in media}
        )
        og_image = re.search(r'<meta property="og:image" content="([^"]+)"', html)
        share = photo.renditions["share"]["jpeg"][0][2]
        self.assertEqual(og_image.group(1), self.bucket.public_root + share)
        # Loaded as a reader's browser would: no signature, no credentials.
        for url in sorted(set(media)):
            body, headers = _fetch(url)
            name = url.removeprefix(self.bucket.public_root)
            self.assertEqual(body, self.bucket.read(name), url)
            self.assertIn(headers["Content-Type"], ("image/webp", "image/jpeg"))
            self.assertEqual(headers["Cache-Control"], IMMUTABLE)

    def test_deleting_a_photo_removes_its_objects(self):
        self.client.force_login(self.editor)
        kept = photo_create(upload=gps_photo_bytes(), alt_text="Ảnh giữ lại")
        photo = photo_create(upload=gps_photo_bytes(**BIG), alt_text="Ảnh sẽ xóa")
        kept_names = {
            name for name in self.bucket.names() if f"/r/{kept.pk}/" in name
        } | {kept.image.name}
        self.assertGreater(len(self.bucket.names()), len(kept_names))

        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                reverse("admin:articles_photo_delete", args=[photo.pk]),
                {"post": "yes"},
            )

        self.assertEqual(response.status_code, 302)
        self.assertEqual(self.bucket.names(), kept_names)

    def test_the_feed_gives_each_enclosure_its_length_without_asking_the_bucket(self):
        photos = [
            photo_create(upload=gps_photo_bytes(size=(320 + n, 240)), alt_text="Ảnh")
            for n in range(5)
        ]
        with self.committed():
            for photo in photos:
                ArticleFactory(lead_photo=photo)
        sizes = {
            self.bucket.public_root + photo.image.name: self.bucket.head(
                photo.image.name
            )["ContentLength"]
            for photo in photos
        }

        with storage_requests() as sent:
            response = self.client.get(reverse("articles:feed"))

        self.assertEqual(response.status_code, 200)
        self.assertEqual(sent, [])
        # What each item would have cost: size() is a request to the bucket.
        with storage_requests() as sent:
            storages["default"].size(photos[0].image.name)
        self.assertEqual(len(sent), 1)
        root = ET.fromstring(response.content)  # noqa: S314
        enclosures = root.findall("channel/item/enclosure")
        self.assertEqual(
            {e.get("url"): int(e.get("length")) for e in enclosures}, sizes
        )

    def test_photos_stored_before_sizes_were_kept_are_measured_once(self):
        photo = photo_create(upload=gps_photo_bytes(), alt_text="Ảnh cũ")
        size = photo.file_size
        Photo.objects.filter(pk=photo.pk).update(file_size=0)
        migration = importlib.import_module("articles.migrations.0014_photo_file_size")

        migration.measure_stored_photos(apps, None)

        photo.refresh_from_db()
        self.assertEqual(photo.file_size, size)
        self.assertEqual(size, self.bucket.head(photo.image.name)["ContentLength"])

    def test_healthz_names_the_storage_when_the_endpoint_is_down(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["storage"], "ok")
        self.assertEqual(self.bucket.names(), set())  # the probe cleaned up

        nothing_listens = f"http://127.0.0.1:{free_port()}"
        started = time.monotonic()
        with self.bucket.in_use(nothing_listens):
            response = self.client.get("/healthz")

        self.assertEqual(response.status_code, 503)
        body = response.json()
        self.assertEqual(body["status"], "error")
        self.assertRegex(body["storage"], r"^error: \w+")
        self.assertEqual((body["database"], body["cache"]), ("ok", "ok"))
        self.assertLess(time.monotonic() - started, 10)

    def test_the_default_storage_is_django_storages_s3(self):
        from storages.backends.s3 import S3Storage

        storage = storages["default"]
        self.assertIsInstance(storage, S3Storage)
        self.assertFalse(storage.querystring_auth)
        self.assertFalse(storage.file_overwrite)
        self.assertIsNone(storage.default_acl)
