import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.test import Client
from django.urls import reverse

from newsroom.models import SiteSettings
from tests.base import NewsroomTestCase

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "HTTPS"}
    }
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


class SettingsTests(NewsroomTestCase):
    def test_a_deployment_without_secret_key_refuses_to_start(self):
        result = _manage("check", DATABASE_URL="postgres://u@127.0.0.1:5432/x")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("SECRET_KEY is not set", result.stderr)

    def test_the_deploy_check_is_clean_with_production_settings(self):
        result = _manage(
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            DATABASE_URL="postgres://u@127.0.0.1:5432/x",
            SECRET_KEY="a-real-deployment-would-use-a-long-random-value-0123456789abcdef",
            ALLOWED_HOSTS="baoduaxanh.vn",
            HTTPS="1",
        )
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_a_bad_boolean_is_a_clear_error(self):
        result = _manage("check", DEBUG="maybe")
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("DEBUG='maybe' is not a boolean", result.stderr)


class FooterTests(NewsroomTestCase):
    def test_every_public_page_carries_the_legal_footer(self):
        settings = SiteSettings.load()
        settings.name = "Báo Dừa Xanh"
        settings.licence = "Giấy phép số 99/GP-BTTTT"
        settings.editor_in_chief = "Nguyễn Văn An"
        settings.tip_hotline = "0909 000 111"
        settings.advertising_contact = "Phòng Quảng cáo: 0275 3000 000"
        settings.save()
        response = self.client.get(reverse("articles:home"))
        for text in (
            "Báo Dừa Xanh",
            "Giấy phép số 99/GP-BTTTT",
            "Nguyễn Văn An",
            "0909 000 111",
            "Phòng Quảng cáo: 0275 3000 000",
        ):
            self.assertContains(response, text)


class ErrorPageTests(NewsroomTestCase):
    def test_a_server_error_shows_a_vietnamese_page(self):
        client = Client(raise_request_exception=False)
        with mock.patch(
            "articles.views.Article.objects.published", side_effect=RuntimeError
        ):
            response = client.get(reverse("articles:home"))
        self.assertEqual(response.status_code, 500)
        self.assertContains(response, "Xin lỗi, trang đang gặp sự cố", status_code=500)


class ContentSecurityPolicyTests(NewsroomTestCase):
    def test_reader_pages_allow_only_the_papers_own_files(self):
        policy = self.client.get(reverse("articles:home"))["Content-Security-Policy"]
        self.assertIn("script-src 'self'", policy)
        self.assertIn("style-src 'self'", policy)
        self.assertNotIn("unsafe-inline", policy)

    def test_the_admin_keeps_its_editor_working(self):
        self.client.force_login(self.editor)
        response = self.client.get(reverse("admin:index"))
        self.assertNotIn("Content-Security-Policy", response)


class AdminSiteTests(NewsroomTestCase):
    def test_the_site_settings_page_is_in_the_admin(self):
        from django.contrib.auth.models import Permission

        self.editor.user_permissions.add(
            *Permission.objects.filter(codename__endswith="sitesettings")
        )
        self.client.force_login(self.editor)
        response = self.client.get(reverse("admin:newsroom_sitesettings_changelist"))
        self.assertRedirects(
            response, reverse("admin:newsroom_sitesettings_change", args=[1])
        )
        page = self.client.get(reverse("admin:newsroom_sitesettings_change", args=[1]))
        self.assertContains(page, "Đường dây nóng nhận tin")

    def test_the_admin_index_is_the_dashboard_without_taggits_own_tags(self):
        self.client.force_login(self.chief)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Vừa xuất bản")
        self.assertNotContains(response, "/quan-tri/taggit/")
