"""Pages of an article listing (section, tag, contributor, video, archive).

A listing page shows "Trang 3" with a previous and a next link, not "Trang 3 /
2210": counting the listing took 30 ms of the tag page's 52 on the
100,000-article benchmark archive (the page took 545 ms at a million), and no
reader needs the number of pages of a 44,000-article tag. One row past the page
tells whether there is a next one.

Search results keep Django's ``Paginator``: their count is capped and known.
"""

from django.http import Http404

# Far past any listing (20 million articles at 20 a page), and a bound on the
# OFFSET a made-up number would ask of the database.
LAST_PAGE = 1_000_000


class ListingPage:
    """The rows of page ``number``, with what ``_pagination.html`` asks of a
    Django ``Page``."""

    paginator = None  # the total is not known: the template prints no "/ N"

    def __init__(self, rows: list, number: int, per_page: int) -> None:
        self.object_list = rows[:per_page]
        self.number = number
        self._has_next = len(rows) > per_page

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous() or self.has_next()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def listing_page(queryset, number: str | int, per_page: int) -> ListingPage:
    """Page ``number`` (from ``?trang=``) of ``queryset``, in one query. A number
    that is not a page, or a page past the end, is a 404; the first page of an
    empty listing is an empty page."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404 from None
    if not 1 <= number <= LAST_PAGE:
        raise Http404
    start = (number - 1) * per_page
    rows = list(queryset[start : start + per_page + 1])
    if not rows and number > 1:
        raise Http404
    return ListingPage(rows, number, per_page)
