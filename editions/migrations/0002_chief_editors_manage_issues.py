"""Those who publish articles (the chief editor's group) publish the print
edition too: they upload, correct, hide and delete issues."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Tổng biên tập"
CODENAMES = [
    "add_issue",
    "change_issue",
    "delete_issue",
    "view_issue",
    "view_issuepage",
]


def _permissions(apps):
    app_config = apps.get_app_config("editions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.filter(
        content_type__app_label="editions", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    for group in apps.get_model("auth", "Group").objects.filter(name=GROUP):
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("editions", "0001_print_issues"),
        ("articles", "0003_newsroom_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
