from unittest import mock

from django.test import Client
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
