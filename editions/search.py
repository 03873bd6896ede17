"""Search in the print edition's pages, diacritics aside.

Each page keeps its text folded into one line of words (``search_text``,
written by ``IssuePage.save()`` with the articles' folding: "Dân vận" ->
" dan van "), so a phrase is a substring test that never joins two words. On
PostgreSQL a GIN index over that line's ``tsvector`` (migration 0001) finds
the pages holding the phrase's words next to each other, and the substring
test confirms them; on SQLite the substring test is all (``LIKE``).
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

from articles.search import Query

# The indexed expression, as migration 0001 creates it: the planner uses the
# index only for this exact expression.
VECTOR = "to_tsvector('simple'::regconfig, editions_issuepage.search_text)"


def phrase_filter(query: Query) -> Q:
    """A filter on IssuePage for the query's words, in order, side by side."""
    contains = Q(search_text__contains=query.folded_phrase)
    if connection.vendor != "postgresql":
        return contains
    # Tokens are letters and digits only (articles.search.words): quoting is
    # safe, and the whole tsquery is a parameter anyway.
    tsquery = " <-> ".join(f"'{token}'" for token in query.folded)
    vector = RawSQL(  # noqa: S611 - fixed SQL; the query is a parameter
        f"{VECTOR} @@ to_tsquery('simple', %s)", [tsquery], output_field=BooleanField()
    )
    return Q(vector) & contains
