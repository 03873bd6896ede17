from django.db import migrations


def create_row(apps, schema_editor):
    # Every page prints the footer; the row exists from the start so a page
    # never has to create it while a reader waits.
    SiteSettings = apps.get_model("newsroom", "SiteSettings")
    SiteSettings.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0001_initial")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
