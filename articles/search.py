"""Reader search: accent-insensitive, phrase-aware, exact spellings first.

Every article keeps two search lines per field (title, lead, body), written by
``Article.save()``:

* ``search_text``: the folded words, "Bến Tre" -> " ben tre ";
* ``search_exact``: one token per word that keeps its diacritics in ASCII, with
  the tone mark's position inside the syllable dropped, so "hòa" and "hoà"
  (old and new tone placement) give the same token.

Each line starts and ends with a space and the three lines are joined by a
newline, so " ben tre " is a phrase test that never runs across two words'
boundaries or from the title into the lead.

On PostgreSQL a generated ``tsvector`` column built from ``search_text`` (see
migration 0008) carries a GIN index, and matching is a weighted phrase
``tsquery``. On SQLite the same lines are matched with ``LIKE`` and ranked in
Python: correct, slower.

Work is bounded: a query ranks at most the newest ``MAX_RESULTS`` matches, and
readers are told when there were more. Common words ("dân", "văn") are in nine
articles out of ten, so the GIN index (it knows words, not their positions)
cannot narrow "dan van" down; only the phrase check on an article's vector can,
at about 3 us an article (the vector lives in TOAST). So the ranking query
walks the articles newest first and stops after ``MAX_RESULTS`` matches: its
cost follows ``MAX_RESULTS`` over the share of articles that match, not the
size of the archive (17 ms for "dan van", in a fifth of the 100,000 benchmark
articles, where ranking all 20,000 matches took a second). A rare word goes
through the GIN index instead (the planner's choice). A phrase of common words
that rarely occurs together (a person's name, "nguyen van hung", or "tre ben")
is narrowed by a second GIN index, of adjacent word pairs (``search_pairs``,
migration 0012): only articles that have every pair of the phrase are checked.
"""

import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from django.db import connection
from django.db.models import BooleanField, IntegerField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from .text import fold

# Letters and digits only: the same words PostgreSQL's parser sees in a line.
_WORD = re.compile(r"[^\W_]+")
# Tone marks, in any position: sắc, huyền, hỏi, ngã, nặng.
_TONES = {"\u0301": "1", "\u0300": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}
# Marks that change the letter itself: â ê ô (circumflex), ă (breve), ơ ư (horn).
_SHAPES = {"\u0302": "6", "\u0306": "7", "\u031b": "8"}
MAX_QUERY_WORDS = 12
# The most results a query lists: 25 pages of 20. A reader who needs older
# stories narrows by section or dates, which moves the window back in time.
# Ranking is by exact spelling and field first, so the bound is on recency:
# the newest MAX_RESULTS matches are ranked, older ones are not listed.
MAX_RESULTS = 500
INT = IntegerField()


def words(text: str) -> list[str]:
    """Lower-case words of ``text``, precomposed whatever the input form."""
    return _WORD.findall(unicodedata.normalize("NFC", text).lower())


def exact_token(word: str) -> str:
    """An ASCII token that keeps a word's diacritics but not its tone position.

    "bến" -> "ben261", "bạn" -> "ban5", "ban" -> "ban", "hòa" == "hoà" -> "hoa2".
    """
    base: list[str] = []
    shapes: list[str] = []
    tone = ""
    for char in unicodedata.normalize("NFD", word.lower()):
        if char == "đ":
            base.append("d")
            shapes.append(f"{len(base) - 1}9")
        elif char in _TONES:
            tone = _TONES[char]
        elif char in _SHAPES:
            shapes.append(f"{max(len(base) - 1, 0)}{_SHAPES[char]}")
        elif not unicodedata.combining(char):
            base.append(char)
    return "".join(base) + "".join(shapes) + tone


def _line(tokens: list[str]) -> str:
    return f" {' '.join(tokens)} " if tokens else " "


def plain_text(body_html: str) -> str:
    """The body's readable text: tags dropped, entities decoded."""
    return html.unescape(strip_tags(body_html.replace("<", " <")))


def search_lines(*, title: str, lead: str, body_html: str) -> tuple[str, str]:
    """``(search_text, search_exact)`` for an article's three fields."""
    fields = [words(title), words(lead), words(plain_text(body_html))]
    folded = "\n".join(_line([fold(w) for w in field]) for field in fields)
    exact = "\n".join(_line([exact_token(w) for w in field]) for field in fields)
    return folded, exact


@dataclass(frozen=True)
class Query:
    """A reader's query, parsed once: empty when it has no words at all."""

    raw: str
    folded: tuple[str, ...]
    exact: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str) -> "Query":
        parsed = words(raw)[:MAX_QUERY_WORDS]
        return cls(
            raw=raw,
            folded=tuple(fold(w) for w in parsed),
            exact=tuple(exact_token(w) for w in parsed),
        )

    def __bool__(self) -> bool:
        return bool(self.folded)

    @property
    def folded_phrase(self) -> str:
        return _line(list(self.folded))

    @property
    def exact_phrase(self) -> str:
        return _line(list(self.exact))


def _tsquery(query: Query, weights: str = "ABC") -> str:
    """The phrase inside one field: ('ben':A <-> 'tre':A) | (... :B) | (... :C).

    Weights keep a phrase from joining the last word of a title to the first
    word of the lead. Tokens are letters and digits only, so quoting is safe.
    """
    return " | ".join(
        "(" + " <-> ".join(f"'{token}':{weight}" for token in query.folded) + ")"
        for weight in weights
    )


def _field_tier_sql(column: str, phrase: str) -> tuple[str, list[str]]:
    """3 if the phrase is in the first line of ``column``, 2 in the second, 1
    in the third, else 0: the line of its first occurrence.

    One pass over the column: each reference to a long column fetches and
    decompresses it from TOAST again (about 10 us for a body's search line),
    so the line is found by counting the lines before the first occurrence,
    with the phrase appended as a fourth line for "not found". The "." keeps
    string_to_array() from returning no line when the phrase opens the title.
    """
    return (
        f"4 - cardinality(string_to_array("
        f"'.' || split_part({column} || E'\\n' || %s, %s, 1), E'\\n'))",
        [phrase, phrase],
    )


def _field_tier(lines: str, phrase: str) -> int:
    for index, line in enumerate(lines.split("\n")[:3]):
        if phrase in line:
            return 3 - index
    return 0


class Results(Sequence):
    """A query's results, best first: at most ``MAX_RESULTS`` article ids,
    ranked once; an index or a slice fetches those articles from the queryset
    in one query (what a ``Paginator`` page does).

    ``is_capped`` says more articles matched than were ranked: the list holds
    the newest ``MAX_RESULTS`` matches, in rank order.
    """

    def __init__(self, queryset: QuerySet, ids: list[int], *, is_capped: bool):
        self._queryset = queryset
        self.ids = ids
        self.is_capped = is_capped

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self._queryset.get(pk=self.ids[index])
        ids = self.ids[index]
        found = self._queryset.order_by().in_bulk(ids) if ids else {}
        # An article unpublished since the ranking query is left out.
        return [found[pk] for pk in ids if pk in found]

    def __iter__(self) -> Iterator:
        return iter(self[:])


def _window_postgresql(queryset: QuerySet, query: Query, limit: int) -> list[tuple]:
    """(id, exact tier, folded tier) of the newest ``limit`` matches, newest first.

    Newest first through article_visible_idx, checking the phrase on each
    article until ``limit`` match: PostgreSQL projects (computes the tiers
    for) only the rows that pass the filter. For a rare word the planner
    takes the GIN index instead, then sorts the few matches.
    """
    table = queryset.model._meta.db_table
    vector = f"{table}.search_vector @@ to_tsquery('simple', %s)"
    if len(query.folded) > 1:
        # Every adjacent pair of the phrase (see migration 0012): a rare pair
        # of common words narrows the phrase check to a few articles.
        pairs = " & ".join(f"'{a}{b}'" for a, b in pairwise(query.folded))
        queryset = queryset.filter(
            RawSQL(  # noqa: S611 - fixed SQL; the pairs are a parameter
                f"{table}.search_pairs @@ to_tsquery('simple', %s)",
                [pairs],
                output_field=BooleanField(),
            )
        )
    exact_sql, exact_params = _field_tier_sql(
        f"{table}.search_exact", query.exact_phrase
    )
    return list(
        queryset.filter(
            RawSQL(  # noqa: S611 - fixed SQL; the query is a parameter
                vector, [_tsquery(query)], output_field=BooleanField()
            )
        )
        .annotate(
            # Fixed SQL; the phrases are parameters. The folded tier reads
            # the vector (already fetched for the filter, and smaller than
            # the line); the exact one the exact line, once.
            exact_tier=RawSQL(exact_sql, exact_params, output_field=INT),  # noqa: S611
            folded_tier=RawSQL(  # noqa: S611
                f"CASE WHEN {vector} THEN 3 WHEN {vector} THEN 2 ELSE 1 END",
                [_tsquery(query, "A"), _tsquery(query, "B")],
                output_field=INT,
            ),
        )
        .order_by("-published_at", "-id")
        .values_list("pk", "exact_tier", "folded_tier")[: limit + 1]
    )


def _window_python(queryset: QuerySet, query: Query, limit: int) -> list[tuple]:
    """The same window on SQLite: ``LIKE`` finds the matches (the lines are
    lower-case ASCII), Python computes the tiers."""
    rows = (
        queryset.filter(search_text__contains=query.folded_phrase)
        .order_by("-published_at", "-id")
        .values_list("pk", "search_text", "search_exact")[: limit + 1]
    )
    return [
        (
            pk,
            _field_tier(exact, query.exact_phrase),
            _field_tier(folded, query.folded_phrase),
        )
        for pk, folded, exact in rows
    ]


def search(queryset: QuerySet, query: Query) -> Results:
    """The articles of ``queryset`` matching ``query``, best first.

    Order: an exact-diacritic match above a folded-only one; within each, a
    match in the title above the lead above the body; newest first on ties.
    Only the newest ``MAX_RESULTS`` matches are ranked (see ``Results``).
    """
    if not query:
        return Results(queryset, [], is_capped=False)
    limit = MAX_RESULTS
    if connection.vendor == "postgresql":
        window = _window_postgresql(queryset, query, limit)
    else:
        window = _window_python(queryset, query, limit)
    # Newest first, so a stable sort on the tiers leaves ties newest first.
    ranked = sorted(window[:limit], key=lambda row: (-row[1], -row[2]))
    return Results(queryset, [row[0] for row in ranked], is_capped=len(window) > limit)


class _FoldTable(dict):
    """``str.translate`` table folding one character at a time, filled as
    characters are met: a page of snippets folds tens of thousands of
    characters from a few hundred distinct ones, and translate() runs in C."""

    _MAX_SIZE = 20_000

    def __init__(self):
        super().__init__()
        # Characters that fold to none or to several (a lone combining
        # mark, "ǆ"): text holding one needs the slow, offset-keeping path.
        self.uneven: set[str] = set()

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        if len(folded) != 1:
            self.uneven.add(chr(code))
        if len(self) < self._MAX_SIZE:
            self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def _folded_with_offsets(text: str) -> tuple[str, Sequence[int]]:
    """``fold(text)`` char by char, with each folded char's index in ``text``."""
    folded = text.translate(_FOLD_TABLE)
    uneven = _FOLD_TABLE.uneven
    if len(folded) == len(text) and (not uneven or uneven.isdisjoint(text)):
        return folded, range(len(text))
    offsets: list[int] = []
    for index, char in enumerate(text):
        offsets.extend([index] * len(_FOLD_TABLE[ord(char)]))
    return folded, offsets


def _phrase_pattern(query: Query) -> re.Pattern:
    """The phrase as whole words, in folded text.

    The first word leads the pattern and the check that no letter precedes
    it comes after it (a lookbehind over the letter and the word): a pattern
    that starts with letters lets the regex engine skip to them, and a body
    was searched 30 times faster than with the lookbehind first.
    """
    first, *rest = (re.escape(token) for token in query.folded)
    joined = "".join(rf"[\W_]+{token}" for token in rest)
    return re.compile(rf"{first}(?<![^\W_]{first}){joined}(?![^\W_])")


def highlight(text: str, query: Query, *, width: int | None = None) -> SafeString:
    """``text`` escaped, with the query's phrase wrapped in ``<mark>``.

    With ``width``, only a window of about that many characters around the
    first match is kept (a snippet), cut on word boundaries.
    """
    text = unicodedata.normalize("NFC", text)
    return _highlight(text, _folded_with_offsets(text), query, width=width)


def _highlight(
    text: str,
    folded_offsets: tuple[str, Sequence[int]],
    query: Query,
    *,
    width: int | None,
) -> SafeString:
    folded, offsets = folded_offsets
    spans = (
        [
            (offsets[m.start()], offsets[m.end() - 1] + 1)
            for m in _phrase_pattern(query).finditer(folded)
            if m.end() > m.start()
        ]
        if query
        else []
    )
    start, end = 0, len(text)
    if width is not None and len(text) > width:
        centre = spans[0][0] if spans else 0
        start = max(0, centre - width // 3)
        end = min(len(text), start + width)
        if start:
            start = text.find(" ", start) + 1 or start
        if end < len(text):
            end = text.rfind(" ", start, end) if " " in text[start:end] else end
    parts: list[str] = ["… " if start else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_end <= cursor or span_start >= end:
            continue
        span_start = max(span_start, cursor)
        parts.append(escape(text[cursor:span_start]))
        parts.append(f"<mark>{escape(text[span_start : min(span_end, end)])}</mark>")
        cursor = min(span_end, end)
    parts.append(escape(text[cursor:end]))
    if end < len(text):
        parts.append(" …")
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above


def snippet(*, lead: str, body_html: str, query: Query, width: int = 240) -> SafeString:
    """The lead, highlighted; or, when only the body matched, the body around
    its first match."""
    lead = unicodedata.normalize("NFC", lead)
    lead_folded = _folded_with_offsets(lead)
    if query and not _phrase_pattern(query).search(lead_folded[0]):
        body = unicodedata.normalize("NFC", " ".join(plain_text(body_html).split()))
        body_folded = _folded_with_offsets(body)
        if _phrase_pattern(query).search(body_folded[0]):
            return _highlight(body, body_folded, query, width=width)
    return _highlight(lead, lead_folded, query, width=width)
