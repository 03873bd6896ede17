"""The tables the archive fills: counting their rows, and emptying them
(``generate_archive --reset``)."""

from django.core.management.color import no_style
from django.db import connection, transaction

from articles.models import (
    Article,
    ArticlePhoto,
    Contributor,
    Credit,
    Photo,
    Section,
    Tag,
    TaggedArticle,
    Video,
)
from comments.models import Comment

# Every table the archive fills, children first (the order rows are deleted in).
ARCHIVE_MODELS = [
    Comment,
    TaggedArticle,
    Credit,
    ArticlePhoto,
    Article,
    Tag,
    Video,
    Photo,
    Contributor,
    Section,
]
# Photo files made by the archive start with this, so --reset can remove them.
PHOTO_PREFIX = "archive-"


def archive_counts() -> dict[str, int]:
    """Rows per archive table, as printed by the command."""
    return {model._meta.label: model.objects.count() for model in ARCHIVE_MODELS}


def delete_archive() -> None:
    """Empty every table the archive fills, and remove the archive's photo files.

    A TRUNCATE (or SQLite's DELETE) through the database's own flush SQL: going
    through the ORM would load 100,000 articles to cascade their deletion.
    """
    for photo in Photo.objects.only("image"):
        if photo.image.name.rsplit("/", 1)[-1].startswith(PHOTO_PREFIX):
            photo.image.storage.delete(photo.image.name)
    tables = [model._meta.db_table for model in ARCHIVE_MODELS]
    tables.append(Article.tags.through._meta.db_table)
    with transaction.atomic():
        postgres = connection.vendor == "postgresql"
        if postgres:
            # TRUNCATE refuses tables with deferred foreign-key checks pending
            # in this transaction (rows written earlier in it); run them now.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # CASCADE: rows that point at archive articles (audit entries,
        # revisions, read counts) go with them; TRUNCATE refuses otherwise,
        # even when those tables are empty.
        connection.ops.execute_sql_flush(
            # Cascade: workflow records, revisions, photo stories and view
            # counts hang off these articles too, and go with them.
            connection.ops.sql_flush(
                no_style(), sorted(set(tables)), allow_cascade=postgres
            )
        )
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
