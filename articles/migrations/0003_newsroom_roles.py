"""The newsroom's roles as groups, each with exactly the permissions it needs.

The lists are frozen here on purpose: a later change to a role is a new
migration, so every deployment's groups can be traced.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_WRITE_COPY = [
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.submit_article",
    "articles.view_section",
    "articles.view_contributor",
    "articles.add_credit",
    "articles.change_credit",
    "articles.delete_credit",
    "articles.view_credit",
    "articles.add_articlephoto",
    "articles.change_articlephoto",
    "articles.delete_articlephoto",
    "articles.view_articlephoto",
    "articles.add_photo",
    "articles.change_photo",
    "articles.view_photo",
    "articles.add_tag",
    "articles.view_tag",
]
_EDIT = _WRITE_COPY + [
    "articles.review_article",
    "articles.delete_article",
    "articles.change_tag",
    "articles.add_contributor",
    "articles.change_contributor",
    "articles.view_auditentry",
    "articles.view_correction",
]
_PUBLISH = _EDIT + [
    "articles.publish_article",
    "articles.add_correction",
    "articles.add_section",
    "articles.change_section",
]

ROLES = {
    # Phóng viên: writes and edits own drafts, submits them for review.
    "Phóng viên": _WRITE_COPY,
    # Biên tập viên: edits any article in review, returns it with a note, approves.
    "Biên tập viên": _EDIT,
    # Tổng biên tập / phó tổng biên tập: publishes, schedules, unpublishes,
    # takes down and corrects.
    "Tổng biên tập": _PUBLISH,
    # Kiểm duyệt bình luận: comments only. Comments are kept, never deleted.
    "Kiểm duyệt bình luận": ["comments.view_comment", "comments.change_comment"],
    # Quản trị viên: accounts, the site's settings and the paper's structure;
    # no say in what is published.
    "Quản trị viên": [
        "auth.add_user",
        "auth.change_user",
        "auth.view_user",
        "auth.view_group",
        "newsroom.change_sitesettings",
        "newsroom.view_sitesettings",
        "articles.add_section",
        "articles.change_section",
        "articles.view_section",
        "articles.add_contributor",
        "articles.change_contributor",
        "articles.view_contributor",
        "articles.view_auditentry",
    ],
}


def make_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; on a fresh
    # database they must exist now to be given to the groups.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        permissions = []
        for code in codes:
            app_label, codename = code.split(".")
            permissions.append(
                Permission.objects.get(
                    content_type__app_label=app_label, codename=codename
                )
            )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("comments", "0001_initial"),
        ("newsroom", "0002_the_site_settings_row"),
    ]

    operations = [migrations.RunPython(make_roles, remove_roles)]
