import json
import re
from unittest import mock

from django.test import Client, override_settings
from django.urls import reverse

from paper.models import SiteSettings
from tests.base import NewsroomTestCase


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
        self.assertNotContains(response, "Về trang quản trị", status_code=500)

    def test_staff_meeting_a_server_error_in_the_admin_are_led_back_to_it(self):
        client = self.client_class(raise_request_exception=False)
        client.force_login(self.chief)
        with mock.patch("paper.sites.editor_dashboard", side_effect=RuntimeError):
            response = client.get(reverse("admin:index"))
        self.assertContains(response, "Xin lỗi, trang đang gặp sự cố", status_code=500)
        self.assertContains(
            response, f'href="{reverse("admin:index")}"', status_code=500
        )


class ContentSecurityPolicyTests(NewsroomTestCase):
    def directives(self, response) -> dict[str, str]:
        policy = response["Content-Security-Policy"]
        return dict(part.strip().split(" ", 1) for part in policy.split(";"))

    def test_reader_pages_allow_only_the_papers_own_files(self):
        policy = self.directives(self.client.get(reverse("articles:home")))
        self.assertEqual(policy["script-src"], "'self'")
        self.assertEqual(policy["style-src"], "'self'")
        self.assertEqual(policy["img-src"], "'self' data:")
        self.assertEqual(policy["report-uri"], "/csp-report")

    @override_settings(MEDIA_URL="https://anh.example-cdn.vn/media/")
    def test_photos_on_another_host_are_allowed_on_reader_pages(self):
        policy = self.directives(self.client.get(reverse("articles:home")))
        self.assertEqual(policy["img-src"], "'self' data: https://anh.example-cdn.vn")

    def test_the_admin_runs_no_inline_script_but_the_editors_own(self):
        self.client.force_login(self.chief)
        url = reverse("admin:articles_article_add")
        response = self.client.get(url)
        script_src = self.directives(response)["script-src"]
        self.assertNotIn("unsafe-inline", script_src)
        nonce = script_src.split("'nonce-")[1].rstrip("'")
        html = response.content.decode()
        inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
        self.assertIn('type="importmap"', " ".join(inline))
        for attributes in inline:
            self.assertIn(f'nonce="{nonce}"', attributes)
        again = self.directives(self.client.get(url))["script-src"]
        self.assertNotEqual(again, script_src)

    def test_violations_are_logged(self):
        report = {
            "csp-report": {
                "document-uri": "https://baodongkhoi.example/quan-tri/",
                "violated-directive": "script-src",
                "blocked-uri": "inline",
            }
        }
        with self.assertLogs("paper.views", "WARNING") as logs:
            response = self.client.post(
                reverse("csp_report"),
                json.dumps(report),
                content_type="application/csp-report",
            )
        self.assertEqual(response.status_code, 204)
        self.assertIn("blocked inline (script-src)", logs.output[0])
        with self.assertNoLogs("paper.views", "WARNING"):
            response = self.client.post(
                reverse("csp_report"), "{not json", content_type="application/json"
            )
        self.assertEqual(response.status_code, 204)
        self.assertEqual(self.client.get(reverse("csp_report")).status_code, 405)


class AdminSiteTests(NewsroomTestCase):
    def test_the_site_settings_page_is_in_the_admin(self):
        from django.contrib.auth.models import Permission

        self.editor.user_permissions.add(
            *Permission.objects.filter(codename__endswith="sitesettings")
        )
        self.client.force_login(self.editor)
        response = self.client.get(reverse("admin:paper_sitesettings_changelist"))
        self.assertRedirects(
            response, reverse("admin:paper_sitesettings_change", args=[1])
        )
        page = self.client.get(reverse("admin:paper_sitesettings_change", args=[1]))
        self.assertContains(page, "Đường dây nóng nhận tin")

    def test_the_admin_index_is_the_dashboard_without_taggits_own_tags(self):
        self.client.force_login(self.chief)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Vừa xuất bản")
        self.assertNotContains(response, "/quan-tri/taggit/")
