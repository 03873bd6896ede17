"""The permissions the user and group forms list are named in Vietnamese."""

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from comments.models import Comment
from paper.permissions import name_default_permissions


def _name(app_label: str, codename: str) -> str:
    return Permission.objects.get(
        content_type__app_label=app_label, codename=codename
    ).name


class PermissionNameTests(TestCase):
    def test_after_migrating_no_permission_is_named_in_english(self):
        english = Permission.objects.filter(name__startswith="Can ")
        self.assertEqual(list(english.values_list("name", flat=True)), [])

    def test_default_permissions_say_what_they_allow_with_the_models_name(self):
        self.assertEqual(_name("comments", "add_comment"), "Được thêm bình luận")
        self.assertEqual(_name("articles", "change_article"), "Được sửa bài viết")
        self.assertEqual(_name("auth", "delete_group"), "Được xóa nhóm")
        self.assertEqual(_name("auth", "view_user"), "Được xem người dùng")

    def test_third_party_models_are_named_from_the_catalogue(self):
        # axes marks its names for translation; django-otp does not, and
        # locale/vi translates its English name all the same.
        self.assertEqual(
            _name("axes", "view_accessattempt"), "Được xem lần đăng nhập sai"
        )
        self.assertEqual(
            _name("otp_totp", "delete_totpdevice"), "Được xóa ứng dụng xác thực (TOTP)"
        )

    def test_the_roles_own_permissions_keep_their_names(self):
        self.assertEqual(
            _name("articles", "publish_article"),
            "Xuất bản, hẹn giờ, gỡ, thu hồi và đính chính bài",
        )

    def test_a_permission_made_in_english_later_is_renamed_on_the_next_migrate(self):
        # As Django makes it for a new model; only the name is rewritten.
        permission = Permission.objects.get(
            content_type=ContentType.objects.get_for_model(Comment),
            codename="add_comment",
        )
        permission.name = "Can add bình luận"
        permission.save()
        call_command("migrate", verbosity=0)
        permission.refresh_from_db()
        self.assertEqual(permission.name, "Được thêm bình luận")

    def test_a_missing_permission_is_made_in_vietnamese(self):
        Permission.objects.filter(codename="view_comment").delete()
        name_default_permissions(apps.get_app_config("comments"))
        self.assertEqual(_name("comments", "view_comment"), "Được xem bình luận")

    def test_running_again_writes_nothing(self):
        with CaptureQueriesContext(connection) as queries:
            name_default_permissions(apps.get_app_config("comments"))
        writes = [q["sql"] for q in queries if not q["sql"].startswith("SELECT")]
        self.assertEqual(writes, [])
