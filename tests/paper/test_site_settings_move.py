"""SiteSettings moved from newsroom/ to paper/ with its table, row and grants."""

import importlib

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from paper.models import SiteSettings
from tests.base import NewsroomTestCase
from tests.factories import UserFactory

move = importlib.import_module("newsroom.migrations.0003_site_settings_move_to_paper")


def _held_by(group_name: str) -> set[str]:
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.filter(codename__endswith="sitesettings")
    }


class SiteSettingsMoveTests(NewsroomTestCase):
    def setUp(self):
        self.addCleanup(ContentType.objects.clear_cache)

    def test_the_model_keeps_its_table_and_the_row_the_migrations_made(self):
        self.assertEqual(SiteSettings._meta.db_table, "newsroom_sitesettings")
        self.assertTrue(SiteSettings.objects.filter(pk=1).exists())

    def test_after_migrating_the_administrators_hold_the_paper_permissions(self):
        self.assertEqual(
            _held_by("Quản trị viên"),
            {"paper.change_sitesettings", "paper.view_sitesettings"},
        )
        self.assertFalse(ContentType.objects.filter(app_label="newsroom").exists())

    def test_only_the_administrators_may_change_the_site_settings(self):
        holders = Group.objects.filter(
            permissions__content_type__app_label="paper",
            permissions__codename="change_sitesettings",
        )
        self.assertEqual(
            list(holders.values_list("name", flat=True)), ["Quản trị viên"]
        )

    def test_an_administrator_edits_the_site_settings_in_the_admin(self):
        administrator = UserFactory(is_staff=True)
        administrator.groups.set([Group.objects.get(name="Quản trị viên")])
        self.client.force_login(administrator)
        url = reverse("admin:paper_sitesettings_change", args=[1])
        self.assertContains(self.client.get(url), "Đường dây nóng nhận tin")

    def test_the_content_type_is_renamed_so_grants_follow_both_ways(self):
        content_type = ContentType.objects.get(app_label="paper", model="sitesettings")
        move.backwards(apps, None)
        self.assertEqual(
            _held_by("Quản trị viên"),
            {"newsroom.change_sitesettings", "newsroom.view_sitesettings"},
        )
        move.forwards(apps, None)
        self.assertEqual(
            ContentType.objects.get(app_label="paper", model="sitesettings").pk,
            content_type.pk,
        )
        self.assertIn("paper.change_sitesettings", _held_by("Quản trị viên"))

    def test_a_twin_made_by_migrating_paper_alone_gives_way_to_the_granted_one(self):
        content_type = ContentType.objects.get(app_label="paper", model="sitesettings")
        move.backwards(apps, None)
        twin = ContentType.objects.create(app_label="paper", model="sitesettings")
        Permission.objects.create(
            content_type=twin, codename="change_sitesettings", name="twin"
        )
        move.forwards(apps, None)
        self.assertEqual(
            list(ContentType.objects.filter(model="sitesettings")), [content_type]
        )
        self.assertIn("paper.change_sitesettings", _held_by("Quản trị viên"))
