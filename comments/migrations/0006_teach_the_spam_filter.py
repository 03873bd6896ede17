from django.db import migrations


def forwards(apps, schema_editor):
    from comments.models import body_fingerprint
    from comments.spam import corpus, teach

    Comment = apps.get_model("comments", "Comment")
    # Fingerprints now read through disguises; recompute so that repeats of
    # earlier comments are recognised.
    batch = []
    for comment in Comment.objects.only("pk", "body").iterator(chunk_size=2000):
        comment.body_hash = body_fingerprint(comment.body)
        batch.append(comment)
        if len(batch) == 2000:
            Comment.objects.bulk_update(batch, ["body_hash"])
            batch = []
    Comment.objects.bulk_update(batch, ["body_hash"])
    teach(corpus(), model=apps.get_model("comments", "SpamFeature"))


def backwards(apps, schema_editor):
    apps.get_model("comments", "SpamFeature").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("comments", "0005_spam_score")]

    operations = [migrations.RunPython(forwards, backwards)]
