"""Opaque page cursors: a signed position in a list's order, never an offset.

A cursor names the last item a page showed, so the next page starts right
after it whatever was published meanwhile: nothing is shown twice or skipped
when new articles arrive. It is signed (Django's ``Signer``, with
``SECRET_KEY``) so a client cannot forge one and a mangled one is told apart
from a real one; it holds no timestamp, so the same page always links the
same next address and a kept copy serves every client. A new ``SECRET_KEY``
makes old cursors invalid: clients start again from the first page.
"""

from datetime import date, datetime

from django.core import signing
from django.db.models import Model, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError


def _signer(kind: str) -> signing.Signer:
    # One salt per list: a tag list's cursor is refused by the article list.
    return signing.Signer(salt=f"api.cursor.{kind}")


def _refused() -> HttpError:
    return HttpError(
        400, _("Tham số “cursor” không hợp lệ: hãy bắt đầu lại từ trang đầu.")
    )


def _read(kind: str, cursor: str) -> list:
    try:
        position = _signer(kind).unsign_object(cursor)
    except (signing.BadSignature, ValueError, UnicodeError):
        raise _refused() from None
    if not isinstance(position, list):
        raise _refused()
    return position


def for_article(article: Model) -> str:
    """The cursor of the article list after ``article``."""
    return _signer("articles").sign_object(
        [article.published_at.isoformat(), article.pk]
    )


def after_article(cursor: str) -> Q:
    """Articles after the cursor's, in the order (-published_at, -id)."""
    try:
        moment, pk = _read("articles", cursor)
        moment, pk = datetime.fromisoformat(moment), int(pk)
    except (TypeError, ValueError):  # signed by us, yet no article's place
        raise _refused() from None
    # The first condition repeats the second in a form an index range can
    # start from: PostgreSQL then begins its walk of article_visible_idx at
    # the cursor instead of reading every newer entry first.
    return Q(published_at__lte=moment) & (
        Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk)
    )


def for_issue(issue: Model) -> str:
    """The cursor of the print issue list after ``issue``."""
    return _signer("print-issues").sign_object([issue.date.isoformat(), issue.number])


def after_issue(cursor: str) -> Q:
    """Issues after the cursor's, in the order (-date, -number): a day and a
    number name one issue (issue_date_number_unique)."""
    try:
        day, number = _read("print-issues", cursor)
        day, number = date.fromisoformat(day), int(number)
    except (TypeError, ValueError):
        raise _refused() from None
    return Q(date__lte=day) & (Q(date__lt=day) | Q(date=day, number__lt=number))


def for_slug(kind: str, row: Model) -> str:
    """The cursor of a list ordered by slug (unique) after ``row``."""
    return _signer(kind).sign_object([row.slug])


def after_slug(kind: str, cursor: str) -> Q:
    position = _read(kind, cursor)
    if len(position) != 1 or not isinstance(position[0], str):
        raise _refused()
    return Q(slug__gt=position[0])


def next_link(request: HttpRequest, cursor: str) -> str:
    """This list's address with the same filters, from ``cursor`` on."""
    query = request.GET.copy()
    query["cursor"] = cursor
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
