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
migration 0002) carries a GIN index, and matching is a weighted phrase
``tsquery``. On SQLite the same lines are matched with ``LIKE`` and ranked in
Python: correct, slower.
"""

import functools
import html
import re
import unicodedata
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Case, IntegerField, QuerySet, Value, When
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


def _tsquery(query: Query) -> str:
    """The phrase inside one field: ('ben':A <-> 'tre':A) | (... :B) | (... :C).

    Weights keep a phrase from joining the last word of a title to the first
    word of the lead. Tokens are letters and digits only, so quoting is safe.
    """
    return " | ".join(
        "(" + " <-> ".join(f"'{token}':{weight}" for token in query.folded) + ")"
        for weight in "ABC"
    )


def _field_tier_sql(column: str, phrase: str) -> tuple[str, list[str]]:
    """3 if the phrase is in the title line, 2 in the lead, 1 in the body, else 0."""
    checks = [
        f"WHEN strpos(split_part({column}, E'\\n', {index}), %s) > 0 THEN {tier}"
        for index, tier in ((1, 3), (2, 2), (3, 1))
    ]
    return f"CASE {' '.join(checks)} ELSE 0 END", [phrase] * 3


def _field_tier(lines: str, phrase: str) -> int:
    for index, line in enumerate(lines.split("\n")[:3]):
        if phrase in line:
            return 3 - index
    return 0


def search(queryset: QuerySet, query: Query) -> QuerySet:
    """``queryset`` narrowed to the articles matching ``query``, best first.

    Order: an exact-diacritic match above a folded-only one; within each, a
    match in the title above the lead above the body; newest first on ties.
    """
    if not query:
        return queryset.none()
    if connection.vendor == "postgresql":
        table = queryset.model._meta.db_table
        exact_sql, exact_params = _field_tier_sql(
            f"{table}.search_exact", query.exact_phrase
        )
        folded_sql, folded_params = _field_tier_sql(
            f"{table}.search_text", query.folded_phrase
        )
        return (
            queryset.filter(
                RawSQL(  # noqa: S611 - fixed SQL; the query is a parameter
                    f"{table}.search_vector @@ to_tsquery('simple', %s)",
                    [_tsquery(query)],
                    output_field=BooleanField(),
                )
            )
            .annotate(
                # Fixed SQL from _field_tier_sql; the phrases are parameters.
                exact_tier=RawSQL(exact_sql, exact_params, output_field=INT),  # noqa: S611
                folded_tier=RawSQL(folded_sql, folded_params, output_field=INT),  # noqa: S611
            )
            .order_by("-exact_tier", "-folded_tier", "-published_at", "-id")
        )
    # SQLite: LIKE finds candidates (the lines are lower-case ASCII), Python
    # ranks them, and the page is fetched by id in that order.
    candidates = queryset.filter(search_text__contains=query.folded_phrase).values_list(
        "pk", "published_at", "search_text", "search_exact"
    )
    ranked = sorted(
        (
            (
                _field_tier(exact, query.exact_phrase),
                _field_tier(folded, query.folded_phrase),
                published_at,
                pk,
            )
            for pk, published_at, folded, exact in candidates
        ),
        reverse=True,
    )
    ranked = [row for row in ranked if row[1] > 0]
    if not ranked:
        return queryset.none()
    order = Case(
        *(When(pk=row[3], then=Value(position)) for position, row in enumerate(ranked)),
        output_field=IntegerField(),
    )
    return queryset.filter(pk__in=[row[3] for row in ranked]).order_by(order)


@functools.lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    # A page of snippets folds tens of thousands of characters from a few
    # hundred distinct ones.
    return fold(char)


def _folded_with_offsets(text: str) -> tuple[str, list[int]]:
    """``fold(text)`` char by char, with each folded char's index in ``text``."""
    folded: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        for out in _fold_char(char):
            folded.append(out)
            offsets.append(index)
    return "".join(folded), offsets


def _phrase_pattern(query: Query) -> re.Pattern:
    joined = r"[\W_]+".join(re.escape(token) for token in query.folded)
    return re.compile(rf"(?<![^\W_]){joined}(?![^\W_])")


def highlight(text: str, query: Query, *, width: int | None = None) -> SafeString:
    """``text`` escaped, with the query's phrase wrapped in ``<mark>``.

    With ``width``, only a window of about that many characters around the
    first match is kept (a snippet), cut on word boundaries.
    """
    text = unicodedata.normalize("NFC", text)
    folded, offsets = _folded_with_offsets(text)
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
    if query and not _phrase_pattern(query).search(_folded_with_offsets(lead)[0]):
        body = " ".join(plain_text(body_html).split())
        if _phrase_pattern(query).search(_folded_with_offsets(body)[0]):
            return highlight(body, query, width=width)
    return highlight(lead, query, width=width)
