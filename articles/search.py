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

On PostgreSQL one GIN index holds every word, pair and triple of adjacent
words of those lines, with the article's section and week of publication
(migration 0018): a phrase of up to three words is one index token, found
exactly without reading any article; the newest matches are taken a slice of
weeks at a time (see articles/search_index.py). On SQLite the same lines are
matched with ``LIKE`` and ranked in Python: correct, slower.

Work is bounded: a query ranks at most the newest ``MAX_RESULTS`` matches, and
readers are told when there were more. Ranking reads two search lines of each
of those articles (the line of the first exact and of the first folded
occurrence), so their number, not the archive's size, sets the cost.
"""

import html
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import connection
from django.db.models import QuerySet
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe

from . import search_index
from .text import fold

# Letters and digits only: the words of a search line (and of its index tokens).
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


def matches(queryset: QuerySet, query: Query) -> QuerySet:
    """The articles of ``queryset`` holding the query's phrase, unranked and
    unbounded: for a list that keeps its own order (the content API pages by
    publication time, newest first)."""
    queryset = queryset.filter(search_text__contains=query.folded_phrase)
    if connection.vendor == "postgresql":
        return search_index.having(queryset, query.folded)
    return queryset


def _window_python(queryset: QuerySet, query: Query, limit: int) -> list[tuple]:
    """The same window on SQLite: ``LIKE`` finds the matches (the lines are
    lower-case ASCII), Python computes the tiers."""
    rows = (
        matches(queryset, query)
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


def search(
    queryset: QuerySet,
    query: Query,
    *,
    sections: Sequence[int] = (),
    since: datetime | None = None,
    until: datetime | None = None,
) -> Results:
    """The articles of ``queryset`` matching ``query``, best first: only
    those in ``sections`` (ids) if given, published from ``since`` and before
    ``until`` if given.

    Order: an exact-diacritic match above a folded-only one; within each, a
    match in the title above the lead above the body; newest first on ties.
    Only the newest ``MAX_RESULTS`` matches are ranked (see ``Results``).
    """
    if sections:
        queryset = queryset.filter(section__in=sections)
    if since:
        queryset = queryset.filter(published_at__gte=since)
    if until:
        queryset = queryset.filter(published_at__lt=until)
    if not query:
        return Results(queryset, [], is_capped=False)
    limit = MAX_RESULTS
    if connection.vendor == "postgresql":
        window = search_index.window(
            queryset,
            folded=query.folded,
            exact_phrase=query.exact_phrase,
            folded_phrase=query.folded_phrase,
            limit=limit,
            sections=sections,
            since=since,
            until=until,
        )
    else:
        window = _window_python(queryset, query, limit)
    # Newest first, so a stable sort on the tiers leaves ties newest first.
    # A folded tier of 0: a long phrase's words in the index, not the phrase.
    ranked = sorted(
        (row for row in window[:limit] if row[2]), key=lambda row: (-row[1], -row[2])
    )
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
