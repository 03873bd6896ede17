"""The admin pages of the door: authenticator apps, users and groups, in
Vietnamese, and nothing of django-otp's or django-axes' own pages."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.admin import permission_label
from tests.base import NewsroomTestCase
from tests.factories import UserFactory


class AuthenticatorAdminTests(NewsroomTestCase):
    def setUp(self):
        self.administrator = UserFactory(is_staff=True, is_superuser=True)
        self.client.force_login(self.administrator)
        self.device = TOTPDevice.objects.create(
            user=self.reporter, name="Ứng dụng xác thực", confirmed=True
        )

    def test_the_list_names_whose_app_it_is_in_vietnamese(self):
        response = self.client.get(reverse("admin:accounts_authenticator_changelist"))
        self.assertContains(response, "Chọn ứng dụng xác thực để xem")
        self.assertContains(response, "phongvien")
        self.assertContains(response, "Tìm theo tên đăng nhập hoặc họ tên.")
        for english in ["TOTP", "Identity", "Search by", "qrcode"]:
            self.assertNotContains(response, english)

    def test_it_shows_no_key_and_adds_or_edits_nothing(self):
        change = reverse("admin:accounts_authenticator_change", args=[self.device.pk])
        response = self.client.get(change)
        self.assertContains(response, "Xem ứng dụng xác thực")
        self.assertNotContains(response, self.device.key)
        self.assertNotContains(response, 'name="name"')
        add = self.client.get(reverse("admin:accounts_authenticator_add"))
        self.assertEqual(add.status_code, 403)

    def test_removing_a_lost_phones_app_deletes_the_device(self):
        response = self.client.post(
            reverse("admin:accounts_authenticator_delete", args=[self.device.pk]),
            {"post": "yes"},
        )
        self.assertEqual(response.status_code, 302)
        self.assertFalse(TOTPDevice.objects.filter(pk=self.device.pk).exists())

    def test_the_third_party_pages_are_gone(self):
        for path in [
            "/quan-tri/otp_totp/totpdevice/",
            "/quan-tri/axes/accessattempt/",
            "/quan-tri/axes/accesslog/",
            "/quan-tri/axes/accessfailurelog/",
        ]:
            self.assertEqual(self.client.get(path).status_code, 404, path)


class PermissionListTests(NewsroomTestCase):
    def setUp(self):
        self.client.force_login(UserFactory(is_staff=True, is_superuser=True))

    def test_a_permission_reads_as_its_app_and_what_it_allows(self):
        permission = Permission.objects.get(codename="change_article")
        self.assertEqual(permission_label(permission), "Bài viết | Được sửa bài viết")
        permission = Permission.objects.get(codename="view_accessattempt")
        self.assertEqual(
            permission_label(permission),
            "Chặn dò mật khẩu | Được xem lần đăng nhập sai",
        )

    def test_the_group_and_user_forms_list_permissions_in_vietnamese(self):
        group = Group.objects.get(name="Tổng biên tập")
        for url in [
            reverse("admin:auth_group_change", args=[group.pk]),
            reverse("admin:auth_user_change", args=[self.chief.pk]),
        ]:
            response = self.client.get(url)
            self.assertContains(response, ">Bình luận | Được xem bình luận</option>")
            self.assertContains(
                response, ">Xác thực hai bước | Được xóa ứng dụng xác thực (TOTP)<"
            )
            for english in ["Can ", "Otp_Totp", "Axes", "TOTP device"]:
                self.assertNotContains(response, english)
