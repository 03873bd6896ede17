"""The backup drill: back up a paper, restore it into a fresh database and
media folder from a separate process, as an operator would, and find the same
rows, the same files and the same pages."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import TransactionTestCase, override_settings

from articles.models import Article
from paper.storage import IMMUTABLE, ORIGINAL
from tests.base import TEST_SETTINGS
from tests.factories import (
    ArticleFactory,
    ArticlePhotoFactory,
    CommentFactory,
    PhotoFactory,
)
from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]

# Printed by the restored copy: a checksum of every article's content and
# the story as readers see it.
_SHOW = """
import hashlib
from django.test import Client
from articles.models import Article
from paper.storage import IMMUTABLE, ORIGINAL
rows = Article.objects.order_by("pk").values_list(
    "pk", "title", "lead", "body", "published_at", "status")
print(hashlib.sha256(repr(list(rows)).encode()).hexdigest())
article = Article.objects.get(pk={pk})
print(Client().get(article.get_absolute_url()).content.decode())
"""


def _story(html: str) -> str:
    return re.search(r'<article class="story">.*?</article>', html, re.S).group(0)


@unittest.skipUnless(
    os.environ.get("DATABASE_URL") and shutil.which("pg_dump"),
    "the drill runs on PostgreSQL (the PostgreSQL pass of the suite)",
)
@override_settings(**TEST_SETTINGS)
class BackupDrillTests(TransactionTestCase):
    serialized_rollback = True
    # With the bucket fixture: the paper's objects under a prefix.
    s3_prefix = "bao-dua-xanh/"

    def setUp(self):
        self.folder = Path(tempfile.mkdtemp(prefix="toasoan-backup-"))
        self.addCleanup(shutil.rmtree, self.folder, ignore_errors=True)
        self.article = ArticleFactory(
            title="Khánh thành cầu Rạch Miễu 2", lead_photo=PhotoFactory()
        )
        ArticlePhotoFactory(article=self.article, caption="Nhịp chính của cầu")
        CommentFactory.create_batch(3, article=self.article, status="approved")

    def _fresh_database(self) -> str:
        db = connection.settings_dict
        url = (
            f"postgres://{db['USER'] or 'postgres'}"
            f"{':' + db['PASSWORD'] if db['PASSWORD'] else ''}"
            f"@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}"
        )
        name = f"{db['NAME']}_restored"
        with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')

        def drop():
            with psycopg.connect(f"{url}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        self.addCleanup(drop)
        return f"{url}/{name}"

    def _in_restored_copy(
        self, url: str, media: Path, *command: str, media_storage_url: str = ""
    ):
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "backup-drill-only-not-a-secret",
            "MEDIA_ROOT": str(media),
            "MEDIA_STORAGE_URL": media_storage_url,
            "ALLOWED_HOSTS": "testserver",
            # Static URLs without collectstatic's manifest.
            "DEBUG": "1",
            "PAGE_CACHE": "0",
        }
        env.pop("REDIS_URL", None)
        return subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )

    def test_a_restored_copy_has_the_same_rows_files_and_pages(self):
        call_command("backup", str(self.folder / "b"), stdout=StringIO())
        manifest = json.loads((self.folder / "b" / "backup.json").read_text())
        self.assertEqual(manifest["rows"]["articles.Article"], 1)
        self.assertTrue(manifest["media"])  # the photo and its renditions

        url, media = self._fresh_database(), self.folder / "restored-media"
        restored = self._in_restored_copy(
            url, media, "restore", str(self.folder / "b"), "--yes"
        )
        self.assertIn("they match the backup", restored.stdout)
        shown = self._in_restored_copy(
            url, media, "shell", "--no-imports", "-c", _SHOW.format(pk=self.article.pk)
        ).stdout

        checksum, page = shown.split("\n", 1)
        rows = Article.objects.order_by("pk").values_list(
            "pk", "title", "lead", "body", "published_at", "status"
        )
        self.assertEqual(
            checksum, hashlib.sha256(repr(list(rows)).encode()).hexdigest()
        )
        here = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertEqual(_story(page), _story(here))
        for name, digest in manifest["media"].items():
            self.assertEqual(
                hashlib.sha256((media / name).read_bytes()).hexdigest(), digest
            )

    @pytest.mark.usefixtures("s3_media")
    def test_a_bucket_is_put_back_as_it_was_backed_up(self):
        # setUp stored the photos in the bucket (under the paper's prefix).
        call_command("backup", str(self.folder / "b"), stdout=StringIO())
        manifest = json.loads((self.folder / "b" / "backup.json").read_text())
        self.assertEqual(set(manifest["media"]), self.bucket.names())
        self.assertEqual(manifest["media_from"], self.bucket.where)
        kept, lost = sorted(self.bucket.names())[:2]
        # The bucket loses a photo, another is overwritten, a stray appears.
        self.bucket.client.delete_object(
            Bucket=self.bucket.name, Key=self.bucket.prefix + lost
        )
        self.bucket.client.put_object(
            Bucket=self.bucket.name, Key=self.bucket.prefix + kept, Body=b"hong"
        )
        self.bucket.client.put_object(
            Bucket=self.bucket.name, Key=self.bucket.prefix + "photos/la.jpg", Body=b"?"
        )

        url, media = self._fresh_database(), self.folder / "no-local-media"
        restored = self._in_restored_copy(
            url, media, "restore", str(self.folder / "b"), "--yes",
            media_storage_url=self.bucket.url(),
        )  # fmt: skip
        self.assertIn("they match the backup", restored.stdout)
        shown = self._in_restored_copy(
            url, media, "shell", "--no-imports", "-c", _SHOW.format(pk=self.article.pk),
            media_storage_url=self.bucket.url(),
        ).stdout  # fmt: skip

        self.assertFalse(media.exists())
        self.assertEqual(self.bucket.names(), set(manifest["media"]))
        for name, digest in manifest["media"].items():
            self.assertEqual(hashlib.sha256(self.bucket.read(name)).hexdigest(), digest)
        self.assertEqual(self.bucket.head(lost)["CacheControl"], ORIGINAL)
        page = shown.split("\n", 1)[1]
        here = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertEqual(_story(page), _story(here))
        self.assertIn(self.bucket.public_root, _story(page))

    def test_a_backup_never_overwrites_a_folder(self):
        (self.folder / "b").mkdir()
        (self.folder / "b" / "x").write_text("gì đó")

        with self.assertRaisesMessage(CommandError, "is not empty"):
            call_command("backup", str(self.folder / "b"))

    def test_a_folder_that_is_not_a_backup_is_refused(self):
        with self.assertRaisesMessage(CommandError, "no readable backup.json"):
            call_command("restore", str(self.folder), "--yes")
        self.assertEqual(Article.objects.count(), 1)
        self.assertTrue(settings.MEDIA_ROOT)


@unittest.skipIf(os.environ.get("DATABASE_URL"), "the SQLite file of the demo")
@override_settings(**TEST_SETTINGS)
class SqliteBackupTests(TransactionTestCase):
    serialized_rollback = True

    def test_a_restore_brings_back_what_was_deleted_since(self):
        folder = Path(tempfile.mkdtemp(prefix="toasoan-backup-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        article = ArticleFactory(title="Bài sẽ bị xóa nhầm")
        call_command("backup", str(folder / "b"), stdout=StringIO())

        Article.objects.all().delete()
        call_command("restore", str(folder / "b"), "--yes", stdout=StringIO())

        self.assertEqual(Article.objects.get().title, article.title)


@unittest.skipIf(os.environ.get("DATABASE_URL"), "the SQLite file of the demo")
@override_settings(**TEST_SETTINGS)
@pytest.mark.usefixtures("s3_media")
class SqliteBucketBackupTests(TransactionTestCase):
    serialized_rollback = True

    def test_a_restore_puts_back_the_photos_deleted_from_the_bucket(self):
        folder = Path(tempfile.mkdtemp(prefix="toasoan-backup-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)
        photo = PhotoFactory(make_renditions=True)
        stored = self.bucket.names()
        call_command("backup", str(folder / "b"), stdout=StringIO())
        self.assertEqual(
            {
                str(path.relative_to(folder / "b" / "media"))
                for path in (folder / "b" / "media").rglob("*")
                if path.is_file()
            },
            stored,
        )

        self.bucket.empty()
        call_command("restore", str(folder / "b"), "--yes", stdout=StringIO())

        self.assertEqual(self.bucket.names(), stored)
        self.assertEqual(
            self.bucket.read(photo.image.name),
            (folder / "b" / "media" / photo.image.name).read_bytes(),
        )
        rendition = photo.renditions["card"]["webp"][0][2]
        self.assertEqual(self.bucket.head(rendition)["CacheControl"], IMMUTABLE)
        self.assertEqual(self.bucket.head(rendition)["ContentType"], "image/webp")

    def test_a_bucket_out_of_reach_fails_the_backup_naming_it(self):
        folder = Path(tempfile.mkdtemp(prefix="toasoan-backup-"))
        self.addCleanup(shutil.rmtree, folder, ignore_errors=True)

        with (
            self.bucket.in_use(f"http://127.0.0.1:{free_port()}"),
            self.assertRaisesMessage(CommandError, f"the bucket {self.bucket.where}"),
        ):
            call_command("backup", str(folder / "b"), stdout=StringIO())
