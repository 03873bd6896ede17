"""Writing the archive's rows: COPY on PostgreSQL, ``bulk_create`` on SQLite.

On PostgreSQL the rows go with COPY (psycopg's ``cursor.copy()``) into the
tables as they are, indexes and constraints included. Dropping them and
making them again after the load was tried, and was slower: on 100,000
articles the load took 298 s instead of 390 s, but building the two GIN
search indexes took 173 s more (the word-pairs one alone 142 s), where
PostgreSQL's pending list takes rows in at little cost. The schema is never
touched, so a failed or interrupted build cannot leave it changed.
"""

from collections.abc import Iterable

from django.db import connection, models


class Table:
    """A model's table as the archive writes it: ``columns`` from each row,
    then every other column (except the generated id) at its field's default,
    prepared once."""

    def __init__(self, model: type[models.Model], columns: tuple[str, ...]):
        self.model = model
        self.columns = columns
        fields = {field.attname: field for field in model._meta.concrete_fields}
        rest = [
            field
            for field in model._meta.concrete_fields
            if field.attname not in columns and not field.primary_key
        ]
        self.db_columns = [fields[name].column for name in columns]
        self.db_columns += [field.column for field in rest]
        self.defaults = tuple(
            field.get_db_prep_save(field.get_default(), connection) for field in rest
        )
        # JSON is the one kind of value psycopg cannot send as it is (a list
        # would go as an array): it goes through the field, as save() does.
        self.json = [
            (index, fields[name])
            for index, name in enumerate(columns)
            if isinstance(fields[name], models.JSONField)
        ]

    def copy(self, rows: Iterable[tuple]) -> None:
        """Append ``rows`` with one COPY (PostgreSQL)."""
        quote = connection.ops.quote_name
        sql = (
            f"COPY {quote(self.model._meta.db_table)} "
            f"({', '.join(quote(c) for c in self.db_columns)}) FROM STDIN"
        )
        with connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                if self.json:
                    row = list(row)
                    for index, field in self.json:
                        row[index] = field.get_db_prep_save(row[index], connection)
                    row = tuple(row)
                copy.write_row(row + self.defaults)

    def bulk_create(self, rows: Iterable[tuple]) -> None:
        """Append ``rows`` through the ORM (SQLite): slow, but any database."""
        self.model.objects.bulk_create(
            [self.model(**dict(zip(self.columns, row, strict=True))) for row in rows],
            batch_size=500,
        )


def write(tables: dict[type, Table], rows: dict[type, list[tuple]]) -> None:
    """Append one chunk's rows to their tables, parents first."""
    postgres = connection.vendor == "postgresql"
    for model, table in tables.items():
        if rows.get(model):
            (table.copy if postgres else table.bulk_create)(rows[model])


def reserve_ids(model: type[models.Model], count: int) -> int:
    """The first of ``count`` consecutive new ids of ``model``'s table.

    The sequence moves past them at once, as if the rows had been inserted
    one by one: later inserts, by the app or the archive, get other ids.
    """
    if connection.vendor != "postgresql":
        last = model.objects.aggregate(last=models.Max("pk"))["last"] or 0
        return last + 1
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), "
            "nextval(pg_get_serial_sequence(%s, 'id')) + %s - 1)",
            [table, table, count],
        )
        return cursor.fetchone()[0] - count + 1


def tidy_up(models_: list[type[models.Model]]) -> None:
    """Leave the loaded tables as a running site's would be (PostgreSQL).

    GIN indexes take new rows into a pending list that every search must
    read until it is merged (by autovacuum, later): merge it now. Then
    ANALYZE, so the planner knows the tables' new sizes.
    """
    if connection.vendor != "postgresql":
        return
    tables = [model._meta.db_table for model in models_]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT gin_clean_pending_list(indexrelid) FROM pg_index "
            "JOIN pg_class ON pg_class.oid = indexrelid "
            "JOIN pg_am ON pg_am.oid = relam "
            "WHERE amname = 'gin' AND indrelid = ANY(%s::regclass[])",
            [tables],
        )
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
