"""Writers, desk editors and the chief editor keep the video library and place
videos in bodies, as they do photos; desk editors and the chief editor prune
the library (a video placed in a body is protected)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Phóng viên", "Biên tập viên", "Tổng biên tập"]
CODENAMES = [
    "add_video",
    "change_video",
    "view_video",
    "add_articlevideo",
    "change_articlevideo",
    "delete_articlevideo",
    "view_articlevideo",
]
LIBRARY_GROUPS = ["Biên tập viên", "Tổng biên tập"]


def _permissions(Permission, codenames):
    return Permission.objects.filter(
        content_type__app_label="articles", codename__in=codenames
    )


def grant(apps, schema_editor):
    app_config = apps.get_app_config("articles")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*_permissions(Permission, CODENAMES))
    for group in Group.objects.filter(name__in=LIBRARY_GROUPS):
        group.permissions.add(*_permissions(Permission, ["delete_video"]))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*_permissions(Permission, CODENAMES))
    for group in Group.objects.filter(name__in=LIBRARY_GROUPS):
        group.permissions.remove(*_permissions(Permission, ["delete_video"]))


class Migration(migrations.Migration):
    dependencies = [("articles", "0015_videos")]

    operations = [migrations.RunPython(grant, revoke)]
