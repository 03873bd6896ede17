"""Two app servers, one paper: what is done on one is seen at once on the other.

Two gunicorn processes on different ports share a PostgreSQL database, Redis
(the page cache, its purge marks and the rate limits) and an S3 bucket (moto)
for the media, as two servers behind a load balancer would. PostgreSQL pass
only (it needs REDIS_URL and a database server).
"""

import http.cookiejar
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django_otp.oath import totp

from tests.factories import image_bytes
from tests.s3 import Bucket
from tests.servers import free_port, start_gunicorn, wait_until_up

ROOT = Path(__file__).resolve().parents[2]
KEY_HEX = "3132333435363738393031323334353637383930"  # the chief editor's TOTP key
PASSWORD = "mat-khau-thu-nghiem-2026"

SETUP = f"""
from django.contrib.auth.models import Group
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from accounts.models import *  # noqa: F403 - the apps are ready
from articles.models import Article, Section
from django.contrib.auth import get_user_model

User = get_user_model()
for username, role in [("tongbientap", "Tổng biên tập"), ("bientap", "Biên tập viên"),
                       ("kiemduyet", "Kiểm duyệt bình luận")]:
    user = User.objects.create_user(username, password="{PASSWORD}", is_staff=True)
    user.groups.set([Group.objects.get(name=role)])
TOTPDevice.objects.create(user=User.objects.get(username="tongbientap"),
                          name="app", key="{KEY_HEX}", confirmed=True)
section = Section.objects.create(name="Thời sự", slug="thoi-su")
Article.objects.create(title="Cầu mới nối đôi bờ", slug="cau-moi", section=section,
                       lead="Sa pô.", body="<p>Thân bài.</p>", status="approved",
                       created_by=User.objects.get(username="bientap"))
Article.objects.create(title="Mùa dừa sáp", slug="mua-dua-sap", section=section,
                       lead="Sa pô.", body="<p>Thân bài.</p>", status="published",
                       published_at=timezone.now())
"""


class Browser:
    """One person's cookies against one server."""

    def __init__(self, base: str, address: str = ""):
        self.base = base
        # The servers stand behind a proxy (BEHIND_PROXY): this is the
        # reader's address as the proxy would pass it on.
        # A new one each run: Redis keeps counts from an earlier run.
        self.address = address or _new_address()
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies),
            _NoRedirect(),
        )

    def get(self, path: str) -> tuple[int, str]:
        return self._open(urllib.request.Request(self.base + path))  # noqa: S310

    def post(self, path: str, fields: dict, files: dict | None = None):
        fields = {"csrfmiddlewaretoken": self.csrf(), **fields}
        if files:
            boundary = uuid.uuid4().hex
            body = b"".join(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"'
                f"\r\n\r\n{value}\r\n".encode()
                for name, value in fields.items()
            )
            for name, (filename, data) in files.items():
                head = (
                    f"--{boundary}\r\nContent-Disposition: form-data; "
                    f'name="{name}"; filename="{filename}"\r\n'
                    "Content-Type: image/jpeg\r\n\r\n"
                )
                body += head.encode() + data + b"\r\n"
            body += f"--{boundary}--\r\n".encode()
            kind = f"multipart/form-data; boundary={boundary}"
        else:
            body = urllib.parse.urlencode(fields, doseq=True).encode()
            kind = "application/x-www-form-urlencoded"
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.base + path,
            data=body,
            headers={"Content-Type": kind, "Referer": self.base + path},
        )
        return self._open(request)

    def comment(self, article_path: str, **fields) -> int:
        """Send a comment as the article page's script does: tokens first."""
        pk = re.search(r"-(\d+)\.html$", article_path)[1]
        _status, tokens = self.get(f"/binh-luan/{pk}/ma/")
        token = json.loads(tokens)["token"]
        status, _page = self.post(
            f"/binh-luan/{pk}/gui/", {"website": "", "token": token, **fields}
        )
        return status

    def csrf(self) -> str:
        for cookie in self.cookies:
            if cookie.name == "csrftoken":
                return cookie.value
        self.get("/quan-tri/login/")
        return self.csrf()

    def sign_in(self, username: str, code: str = "") -> None:
        self.get("/quan-tri/login/")
        status, _page = self.post(
            "/quan-tri/login/?next=/quan-tri/",
            {"username": username, "password": PASSWORD, "otp_token": code},
        )
        assert status == 302, f"{username} could not sign in ({status})"

    def _open(self, request) -> tuple[int, str]:
        request.add_header("X-Forwarded-For", self.address)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.read().decode(errors="replace")
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.usefixtures("s3_endpoint")
@unittest.skipUnless(
    settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    and os.environ.get("REDIS_URL"),
    "two servers share PostgreSQL and Redis (the CI's PostgreSQL pass)",
)
class TwoServersTests(unittest.TestCase):
    @pytest.fixture(autouse=True)
    def _endpoint(self, s3_endpoint):
        self.__class__.endpoint = s3_endpoint

    def setUp(self):
        if hasattr(type(self), "servers"):
            return
        cls = type(self)
        database = settings.DATABASES["default"]
        name = f"toasoan_two_{uuid.uuid4().hex[:8]}"
        admin_url = (
            f"postgres://{database['USER']}:{database.get('PASSWORD') or ''}"
            f"@{database['HOST']}:{database['PORT']}/postgres"
        )
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        cls.addClassCleanup(_drop, admin_url, name)
        var = Path(tempfile.mkdtemp(prefix="toasoan-two-"))
        cls.addClassCleanup(shutil.rmtree, var, ignore_errors=True)
        bucket = Bucket(cls.endpoint)
        cls.bucket = bucket
        cls.env = {
            **os.environ,
            "DATABASE_URL": admin_url.rsplit("/", 1)[0] + f"/{name}",
            "SECRET_KEY": "two-servers-only",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DEBUG": "0",
            "MEDIA_STORAGE_URL": bucket.url(),
            "REDIS_URL": os.environ["REDIS_URL"],
            "BEHIND_PROXY": "1",
            "VAR_DIR": str(var),
            "STATIC_ROOT": str(var / "static"),
        }
        manage = [sys.executable, "manage.py"]
        for command in (
            ["migrate", "--verbosity", "0"],
            ["collectstatic", "--noinput", "--verbosity", "0"],
            ["shell", "-c", SETUP],
        ):
            subprocess.run(  # noqa: S603 - our own manage.py
                [*manage, *command], cwd=ROOT, env=cls.env, check=True
            )
        cls.servers = []
        for _ in range(2):
            port = free_port()
            server = start_gunicorn(port, cls.env)
            cls.addClassCleanup(_stop, server)
            wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
            cls.servers.append(f"http://127.0.0.1:{port}")

    def test_what_is_done_on_one_server_is_seen_at_once_on_the_other(self):
        one, other = self.servers
        reader_one, reader_other = Browser(one), Browser(other)

        # Publication on one; the home page kept on the other shows it.
        status, home = reader_other.get("/")
        self.assertEqual(status, 200)
        self.assertNotIn("Cầu mới nối đôi bờ", home)
        chief = Browser(one)
        chief.sign_in("tongbientap", f"{totp(bytes.fromhex(KEY_HEX)):06d}")
        status, page = chief.get(
            "/quan-tri/articles/article/?q=c%E1%BA%A7u+m%E1%BB%9Bi"
        )
        article_id = re.search(r'name="_selected_action" value="(\d+)"', page)[1]
        status, _page = chief.post(
            "/quan-tri/articles/article/",
            {"action": "publish", "_selected_action": article_id, "index": "0"},
        )
        self.assertEqual(status, 302)
        status, home = reader_other.get("/")
        self.assertIn("Cầu mới nối đôi bờ", home)

        # An editor's upload on one: listed on the other, its file in the bucket.
        editor = Browser(one)
        editor.sign_in("bientap")
        status, _page = editor.post(
            "/quan-tri/articles/photo/add/",
            {
                "caption": "Cầu mới lúc hoàng hôn",
                "alt_text": "Cây cầu trên sông",
                "credit_text": "Ảnh: Thu Huyền",
                "focus_x": "0.5",
                "focus_y": "0.5",
            },
            files={"image": ("cau.jpg", image_bytes((800, 600)))},
        )
        self.assertEqual(status, 302)
        editor_other = Browser(other)
        editor_other.sign_in("bientap")
        status, photos = editor_other.get("/quan-tri/articles/photo/")
        self.assertIn("Cầu mới lúc hoàng hôn", photos)
        thumbnail = re.search(r'<img[^>]+src="(http[^"]+)"', photos)[1]
        self.assertIn(self.bucket.name, thumbnail)
        with urllib.request.urlopen(thumbnail, timeout=10) as image:  # noqa: S310
            self.assertEqual(image.status, 200)

        # A comment sent to one, approved on the other: the article page kept
        # on the first shows it at once.
        article = re.search(r'href="(/mua-dua-sap-\d+\.html)"', home)[1]
        status, page = reader_one.get(article)
        self.assertEqual(status, 200)
        status = reader_one.comment(
            article,
            name="Nguyễn Thị Bé Ba",
            email="beba@example.com",
            body="Dừa sáp năm nay được giá, bà con mừng lắm.",
        )
        self.assertEqual(status, 302)
        moderator = Browser(other)
        moderator.sign_in("kiemduyet")
        status, queue = moderator.get(
            "/quan-tri/comments/comment/?q=" + urllib.parse.quote("được giá")
        )
        comment_id = re.search(r"/comments/comment/(\d+)/kiem-duyet/", queue)[1]
        status, _page = moderator.post(
            f"/quan-tri/comments/comment/{comment_id}/kiem-duyet/",
            {"decision": "approve"},
        )
        self.assertEqual(status, 302)
        status, page = Browser(one).get(article)
        self.assertIn("Dừa sáp năm nay được giá", page)

    def test_rate_limits_hold_across_both_servers(self):
        address = _new_address()
        answers = []
        for number in range(8):
            reader = Browser(self.servers[number % 2], address=address)
            status, page = reader.get("/")
            link = re.search(r'href="(/[a-z0-9-]+-\d+\.html)"', page)[1]
            status = reader.comment(
                link,
                name=f"Bạn đọc {number}",
                email=f"ban-doc-{number}@example.com",
                body=f"Ý kiến số {number} về bài viết, gửi từ cùng một máy.",
            )
            answers.append(status)
        # Five a minute from one address (the default), wherever they land.
        self.assertEqual(answers[:5], [302] * 5)
        self.assertEqual(answers[5:], [429] * 3)


def _new_address() -> str:
    return "10." + ".".join(str(byte) for byte in uuid.uuid4().bytes[:3])


def _stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()


def _drop(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
