"""One GIN index of each article's words, word pairs and triples, section and
week, replacing the search vector (0008) and the pairs vector (0012).

See articles/search_index.py for how search reads it. The tokens are computed
by a PL/pgSQL function from ``search_text`` (" ben tre xa \\n ..."): each
line's words, each two and three adjacent words joined by "_", never across a
line (a field), plus "@s<section id>" and the blocks of 1, 4, 16, ... 4096
weeks since 1970 that hold its publication ("@16w185": the 185th block of 16
weeks), so that any run of weeks is a few tokens. An expression
index, not a stored column: nothing is kept in the table (the two vectors it
replaces took 1.2 GB of TOAST on the 100,000-article benchmark archive), and
PostgreSQL keeps it right on every write, bulk_create() and update() included.

The function costs about 2 ms an article: ``COST`` tells the planner so, and
the index column has no planner statistics (``ANALYZE`` would run the function
on 30,000 sampled rows; search does not ask the planner to guess counts).
PostgreSQL only; SQLite matches phrases with LIKE.
"""

import importlib

from django.db import migrations

_FUNCTION = r"""
CREATE FUNCTION article_search_tokens(lines text, section bigint, published timestamptz)
RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE COST 50000 AS $$
DECLARE
    line text;
    word text;
    gram text;
    before text;
    last text;
    size integer := 0;
    week bigint;
    weeks integer;
    tokens text[] := '{}';
BEGIN
    FOREACH line IN ARRAY string_to_array(lines, E'\n') LOOP
        before := NULL;
        last := NULL;
        FOREACH word IN ARRAY string_to_array(btrim(line, ' '), ' ') LOOP
            -- A tsvector holds at most 1 MB: past about 15,000 words of a
            -- body, and for runs of letters no language has as a word, the
            -- text is not indexed (an article of that size still saves).
            IF length(word) > 60 OR size > 700000 THEN
                before := NULL;
                last := NULL;
                CONTINUE;
            END IF;
            tokens := tokens || word;
            size := size + octet_length(word) + 4;
            IF last IS NOT NULL THEN
                gram := last || '_' || word;
                tokens := tokens || gram;
                size := size + octet_length(gram) + 4;
                IF before IS NOT NULL THEN
                    gram := before || '_' || gram;
                    tokens := tokens || gram;
                    size := size + octet_length(gram) + 4;
                END IF;
            END IF;
            before := last;
            last := word;
        END LOOP;
    END LOOP;
    IF section IS NOT NULL THEN
        tokens := tokens || ('@s' || section);
    END IF;
    IF published IS NOT NULL THEN
        week := floor(extract(epoch FROM published AT TIME ZONE 'UTC') / 604800);
        FOREACH weeks IN ARRAY ARRAY[1, 4, 16, 64, 256, 1024, 4096] LOOP
            tokens := tokens || ('@' || weeks || 'w' || floor(week / weeks::numeric));
        END LOOP;
    END IF;
    RETURN array_to_tsvector(tokens);
END
$$
"""

# Writes go to the index's pending list, which every search scans whole, once
# per slice of weeks it reads: 1 MB (about 40 articles' tokens, then merged
# by the writer that fills it), not the default 4 MB. A save costs about as
# much as with the two vectors this replaces (8-10 ms of database time on the
# benchmark archive; 19 ms with no pending list at all).
_INDEX = (
    "CREATE INDEX article_search_tokens_idx ON articles_article USING gin "
    "(article_search_tokens(search_text, section_id, published_at)) "
    "WITH (gin_pending_list_limit = 1024)"
)


def _previous(name: str):
    return importlib.import_module(f"articles.migrations.{name}")


def _has_lz4(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
            "WHERE name = 'default_toast_compression'"
        )
        return bool(cursor.fetchone()[0])


def add_search_tokens(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # Ranking reads both search lines of up to 500 articles a query: lz4
    # decompresses them in half the time pglz takes (the lines take a quarter
    # more room). Rows written from now on; older ones keep pglz until saved.
    if _has_lz4(schema_editor.connection):
        schema_editor.execute(
            "ALTER TABLE articles_article "
            "ALTER COLUMN search_text SET COMPRESSION lz4, "
            "ALTER COLUMN search_exact SET COMPRESSION lz4"
        )
    schema_editor.execute(_FUNCTION)
    schema_editor.execute(_INDEX)
    schema_editor.execute(
        "ALTER INDEX article_search_tokens_idx ALTER COLUMN 1 SET STATISTICS 0"
    )
    schema_editor.execute("ALTER TABLE articles_article DROP COLUMN search_pairs")
    schema_editor.execute("ALTER TABLE articles_article DROP COLUMN search_vector")


def drop_search_tokens(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    _previous("0008_home_search_and_reading").add_search_vector(apps, schema_editor)
    _previous("0012_search_pairs").add_search_pairs(apps, schema_editor)
    schema_editor.execute("DROP INDEX article_search_tokens_idx")
    schema_editor.execute(
        "DROP FUNCTION article_search_tokens(text, bigint, timestamptz)"
    )


class Migration(migrations.Migration):
    dependencies = [("articles", "0017_longform")]

    operations = [migrations.RunPython(add_search_tokens, drop_search_tokens)]
