"""Adjacent word pairs of each article's search lines, with a GIN index.

A phrase of common words ("nguyen van hung": each word in most articles)
could only be found by checking every article's vector. Its pairs
("nguyenvan", "vanhung") are rare, and this index narrows the phrase check to
the few articles that have them all (articles/search.py).

Made in SQL from ``search_text`` (" ben tre xa \\n ..."): the inner words of each
line are doubled, then joined two by two; a pair never spans two lines.
PostgreSQL only; SQLite matches phrases with LIKE.
"""

from django.db import migrations

_PAIRS = (
    "to_tsvector('simple'::regconfig, regexp_replace("
    "regexp_replace(search_text, '(?<=\\w )(\\w+)(?= \\w)', '\\1 \\1', 'g'),"
    " '(\\w+) (\\w+)', '\\1\\2', 'g'))"
)


def add_search_pairs(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE articles_article ADD COLUMN search_pairs tsvector "
        f"GENERATED ALWAYS AS ({_PAIRS}) STORED"
    )
    schema_editor.execute(
        "CREATE INDEX article_search_pairs_idx ON articles_article "
        "USING gin (search_pairs)"
    )


def drop_search_pairs(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE articles_article DROP COLUMN search_pairs")


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_drop_stored_stories")]

    operations = [migrations.RunPython(add_search_pairs, drop_search_pairs)]
