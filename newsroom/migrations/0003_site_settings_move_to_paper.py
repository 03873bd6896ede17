"""SiteSettings now belongs to the paper app (paper/migrations/0001).

The table stays. Its content type is renamed rather than recreated, so the
permissions on it, the groups and users holding them (the roles of
articles/migrations/0003) and the admin's history follow the model.
"""

from django.db import migrations


def _move_content_type(apps, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    moving = ContentType.objects.filter(app_label=source, model="sitesettings")
    if moving.exists():
        # A post_migrate between paper's 0001 and this migration (`migrate paper`
        # run alone) makes a twin whose permissions no role holds: it gives way
        # to the content type the grants point to.
        ContentType.objects.filter(app_label=target, model="sitesettings").delete()
        moving.update(app_label=target)
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move_content_type(apps, "newsroom", "paper")


def backwards(apps, schema_editor):
    _move_content_type(apps, "paper", "newsroom")


class Migration(migrations.Migration):
    dependencies = [
        ("newsroom", "0002_the_site_settings_row"),
        ("paper", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        # The roles grant "newsroom.change_sitesettings": they must be given
        # before the permission changes its name.
        ("articles", "0003_newsroom_roles"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel("SiteSettings")],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
