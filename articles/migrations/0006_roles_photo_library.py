"""Writers, desk editors and the chief editor arrange photo stories too, and
desk editors and the chief editor prune the photo library (used photos are
protected: only unused ones can go)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Phóng viên", "Biên tập viên", "Tổng biên tập"]
CODENAMES = [
    "add_galleryphoto",
    "change_galleryphoto",
    "delete_galleryphoto",
    "view_galleryphoto",
]


LIBRARY_GROUPS = ["Biên tập viên", "Tổng biên tập"]


def _photo_delete(Permission):
    return Permission.objects.filter(
        content_type__app_label="articles", codename="delete_photo"
    )


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)
    for group in Group.objects.filter(name__in=LIBRARY_GROUPS):
        group.permissions.add(*_photo_delete(Permission))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="articles", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)
    for group in Group.objects.filter(name__in=LIBRARY_GROUPS):
        group.permissions.remove(*_photo_delete(Permission))


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_photo_focus_renditions_gallery")]

    operations = [migrations.RunPython(grant, revoke)]
