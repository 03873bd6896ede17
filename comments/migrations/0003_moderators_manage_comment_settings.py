"""Comment moderators tune the defences: the settings page is theirs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Kiểm duyệt bình luận"
CODENAMES = ["view_commentsettings", "change_commentsettings"]


def _permissions(apps):
    app_config = apps.get_app_config("comments")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="comments", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("comments", "0002_moderation_and_defences"),
        ("articles", "0003_newsroom_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
