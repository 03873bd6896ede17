"""Reader search on PostgreSQL: one GIN index of word n-grams, section and week.

Migration 0018 indexes, for every article, the tokens of
``article_search_tokens(search_text, section_id, published_at)``:

* each word of its search lines, each pair and each triple of adjacent words
  ("ben", "ben_tre", "tinh_ben_tre"), never across two lines (fields);
* ``@s<section id>``;
* the aligned blocks of 1, 4, 16, ... 4096 weeks since 1970 that hold its
  publication ("@16w185": weeks 2960 to 2975), so that any run of weeks is a
  few tokens (``blocks()``).

A phrase of one to three words is then one token, and the index answers it
exactly: "cau rach mieu" is "cau_rach_mieu", in 19,720 of the 100,000
benchmark articles, found without reading one of them (the pairs index it
replaces planned for 428 and checked the phrase in each of the 19,720: 0.7 s).
A longer phrase is its triples, all present: nearly always the phrase, which
ranking checks on the line itself (a row without it is dropped).

Reading the index is cheap; reading rows is not (a row for its date, a few
microseconds; its search lines for ranking, several times that). So the
window of the newest matches is read from the index a slice of weeks at a
time, newest first: the last week, the two before, then 4, 8, 16, 32, 128 and
512 weeks, then the rest (``SLICE_WEEKS``). A slice is read only if the newer
ones held fewer matches than the window, so a common word reads a week or two
of articles, a rare phrase all of its few matches, and a phrase in between
about two windows' worth. One SQL statement does it all: a materialized CTE
per slice, each under a one-time filter on the count of the ones before (a
false one and PostgreSQL skips the scan).

The chosen section and its subsections are index tokens too ("@s3 | @s7"),
so a small section does not read the articles of the others.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from math import floor

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

TOKENS = (
    "article_search_tokens({table}.search_text, {table}.section_id, "
    "{table}.published_at)"
)
WEEK = timedelta(weeks=1)
# A slice is read only when the newer ones held fewer than the window's
# matches; as many weeks as those together, plus one, it holds about two
# windows of matches at most (four from the 128 weeks on, where only a rare
# phrase goes: fewer slices to plan).
SLICE_WEEKS = (1, 2, 4, 8, 16, 32, 128, 512)
# The blocks of weeks each article has a token for (migration 0018).
BLOCK_WEEKS = (4096, 1024, 256, 64, 16, 4, 1)


def week(moment: datetime) -> int:
    """Weeks since the epoch, as the index function counts them."""
    return floor(moment.timestamp() / WEEK.total_seconds())


def blocks(first: int, last: int) -> list[str]:
    """Tokens of the fewest aligned blocks covering weeks ``first``..``last``."""
    tokens = []
    while first <= last:
        size = next(
            size
            for size in BLOCK_WEEKS
            if first % size == 0 and first + size - 1 <= last
        )
        tokens.append(f"@{size}w{first // size}")
        first += size
    return tokens


def phrase_tokens(folded: Sequence[str]) -> list[str]:
    """The index tokens every article with the phrase has: the phrase itself
    up to three words, else its triples."""
    if len(folded) <= 3:
        return ["_".join(folded)]
    return ["_".join(folded[i : i + 3]) for i in range(len(folded) - 2)]


def _any(tokens: Sequence[str]) -> str:
    # Tokens are letters, digits, "_" and "@" (query words are letters and
    # digits only): quoting them is safe, and ::tsquery keeps them verbatim.
    return "(" + " | ".join(f"'{token}'" for token in tokens) + ")"


def _slices(since: datetime | None, until: datetime) -> list[str]:
    """Each slice's tsquery part, newest first: its weeks' blocks, and for
    the last, "none of the weeks above" when the archive may go further back."""
    newest = week(until)
    oldest = week(since) if since else None
    slices: list[str] = []
    first = newest + 1
    for size in SLICE_WEEKS:
        last, first = first - 1, first - size
        if oldest is not None and last < oldest:
            return slices
        if oldest is not None:
            first = max(first, oldest)
        slices.append(_any(blocks(first, last)))
    if oldest is None or oldest < first:
        # Not these weeks nor any later (up to one to two blocks of 4096
        # weeks ahead: scheduled stories, or those past ``until``).
        ceiling = (first // BLOCK_WEEKS[0] + 2) * BLOCK_WEEKS[0] - 1
        slices.append("!" + _any(blocks(first, ceiling)))
    return slices


def _every(tokens: Sequence[str]) -> str:
    # Quoted as in _any().
    return " & ".join(f"'{token}'" for token in tokens)


def _tokens_match(table: str, tsquery) -> RawSQL:
    return RawSQL(  # noqa: S611 - fixed SQL; the tsquery is a parameter
        f"{TOKENS.format(table=table)} @@ %s::tsquery",
        [tsquery],
        output_field=BooleanField(),
    )


def having(queryset: QuerySet, folded: Sequence[str]) -> QuerySet:
    """``queryset`` narrowed through the index to the articles having every
    token of the phrase (``phrase_tokens``): the phrase itself up to three
    words; a longer one needs its line checked too."""
    table = queryset.model._meta.db_table
    match = _every(phrase_tokens(folded))
    return queryset.filter(_tokens_match(table, match))


def _tier_sql(column: str, phrase: str) -> tuple[str, list[str]]:
    """3 if the phrase is in the first line of ``column``, 2 in the second, 1
    in the third, else 0: the line of its first occurrence.

    One pass over the column: each reference to a long column fetches and
    decompresses it from TOAST again, so the line is found by counting the
    lines before the first occurrence, with the phrase appended as a fourth
    line for "not found". The "." keeps string_to_array() from returning no
    line when the phrase opens the title.
    """
    return (
        f"4 - cardinality(string_to_array("
        f"'.' || split_part({column} || E'\\n' || %s, %s, 1), E'\\n'))",
        [phrase, phrase],
    )


def window(
    queryset: QuerySet,
    *,
    folded: Sequence[str],
    exact_phrase: str,
    folded_phrase: str,
    limit: int,
    sections: Sequence[int] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> list[tuple[int, int, int]]:
    """(id, exact tier, folded tier) of the newest ``limit`` + 1 articles of
    ``queryset`` that have all of ``phrase_tokens(folded)``, newest first.

    ``queryset`` is already filtered by ``sections`` and the dates; they are
    passed again to narrow the index scans. A longer phrase's rows whose lines
    lack it have a folded tier of 0.
    """
    table = queryset.model._meta.db_table
    until = min(until or timezone.now(), timezone.now())
    slices = _slices(since, until)
    if not slices:
        return []
    match = _every(phrase_tokens(folded))
    if sections:
        match += " & " + _any([f"@s{pk}" for pk in sections])
    # One slice's query, compiled once: the slices differ only in their
    # tsquery parameter.
    marker = object()
    sql, base_params = (
        queryset.filter(_tokens_match(table, marker))
        .order_by()
        .values_list("pk", "published_at")
        .query.sql_with_params()
    )
    at = base_params.index(marker)
    ctes: list[str] = []
    params: list = []
    for index, weeks in enumerate(slices):
        part = sql
        if index:
            # Read only if the newer slices hold at most ``limit`` rows
            # (counting no further): a one-time filter, the scan is skipped.
            newer = " UNION ALL ".join(f"SELECT FROM slice{i}" for i in range(index))
            part = (
                f"SELECT * FROM ({sql}) AS part WHERE (SELECT count(*) FROM "  # noqa: S608
                f"({newer} LIMIT %s) AS newer) <= %s"
            )
        ctes.append(f"slice{index} AS MATERIALIZED ({part})")
        params += [*base_params[:at], f"{match} & {weeks}", *base_params[at + 1 :]]
        if index:
            params += [limit + 1, limit]
    union = " UNION ALL ".join(
        f"SELECT * FROM slice{i}"  # noqa: S608 - fixed SQL
        for i in range(len(slices))
    )
    exact_sql, exact_params = _tier_sql("article.search_exact", exact_phrase)
    folded_sql, folded_params = _tier_sql("article.search_text", folded_phrase)
    # Fixed SQL and Django's own for the slices; every value is a parameter.
    sql = (
        f"WITH {', '.join(ctes)} "  # noqa: S608
        f"SELECT article.id, {exact_sql}, {folded_sql} "
        f"FROM (SELECT * FROM ({union}) AS slices(id, published_at) "
        f"ORDER BY published_at DESC, id DESC LIMIT %s) AS hit "
        f"JOIN {table} AS article ON article.id = hit.id "
        f"ORDER BY hit.published_at DESC, hit.id DESC"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *exact_params, *folded_params, limit + 1])
        return cursor.fetchall()
