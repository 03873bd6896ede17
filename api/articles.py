"""Articles: the list, with its filters and cursor, and one article.

Readers' rule everywhere: ``Article.objects.published()``. Each answer
declares the page-cache keys of what it prints, as the pages do, so a
publication, an edit or a takedown purges it too.
"""

from datetime import date, datetime, time, timedelta

from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Status
from ninja.errors import HttpError

from articles.models import (
    Article,
    ArticleQuerySet,
    Contributor,
    Correction,
    Section,
    Tag,
)
from articles.search import Query as SearchQuery
from articles.search import matches
from pagecache.purge import show

from . import cursors, output
from .core import by_id_or_slug, check_dates, get
from .schemas import ArticleDetail, ArticleFilters, ArticlePage, Error, Gone

router = Router(tags=["Bài viết"])


def _day_start(day: date) -> datetime:
    """Midnight of ``day`` in the paper's time zone, as the archive pages count."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _named(model, slug: str, message: str):
    """The row of ``model`` with ``slug``; a 400 naming it otherwise (a filter
    on something that does not exist is a client's mistake, not an empty list)."""
    found = model.objects.filter(slug=slug).first()
    if found is None:
        raise HttpError(400, message % {"slug": slug})
    return found


def _summary_keys(article: Article) -> list[str]:
    """What a list item prints (``for_syndication()``'s relations)."""
    keys = article.card_keys()
    people = {credit.contributor_id for credit in article.credits.all()}
    if article.lead_photo_id and article.lead_photo.photographer_id:
        people.add(article.lead_photo.photographer_id)
    keys += [f"contributor:{pk}" for pk in people]
    keys += [f"tag:{tag.pk}" for tag in article.tags.all()]
    return keys


def _filtered(filters: ArticleFilters) -> tuple[ArticleQuerySet, list[str]]:
    """(the published articles the filters keep, the keys of those lists)."""
    articles = Article.objects.published()
    keys = []
    query = SearchQuery.parse(filters.q or "")
    if filters.q and filters.q.strip() and not query:
        raise HttpError(400, _("Từ khóa tìm kiếm phải có ít nhất một chữ hoặc số."))
    if filters.section:
        section = _named(Section, filters.section, _("Không có chuyên mục “%(slug)s”."))
        articles = articles.in_section(section)
        keys.append(f"section-articles:{section.pk}")
    if filters.tag:
        tag = _named(Tag, filters.tag, _("Không có từ khóa “%(slug)s”."))
        articles = articles.filter(tags=tag)
        keys.append(f"tag-articles:{tag.pk}")
    if filters.contributor:
        person = _named(
            Contributor, filters.contributor, _("Không có tác giả “%(slug)s”.")
        )
        articles = articles.filter(credits__contributor=person)
        keys.append(f"contributor-articles:{person.pk}")
    check_dates(filters.from_, filters.to)
    if filters.from_:
        articles = articles.filter(published_at__gte=_day_start(filters.from_))
    if filters.to:
        articles = articles.filter(
            published_at__lt=_day_start(filters.to + timedelta(days=1))
        )
    if filters.from_ or filters.to:
        keys.append("archive")
    if query:
        articles = matches(articles, query)
        keys.append("search")
    # Without a filter, the paper's newest articles: what the feed lists.
    return articles, keys or ["feeds"]


@get(
    router,
    "/articles/",
    response={200: ArticlePage, 400: Error},
    url_name="article_list",
    summary="Danh sách bài, mới nhất trước",
)
def article_list(request: HttpRequest, filters: Query[ArticleFilters]):
    """Bài đã đăng, mới nhất trước, lọc theo chuyên mục (gồm chuyên mục con),
    từ khóa, tác giả, ngày và cụm từ tìm kiếm. Trang sau theo liên kết
    ``next``: bài mới đăng thêm không làm lặp hay sót bài."""
    articles, keys = _filtered(filters)
    if filters.cursor:
        articles = articles.filter(cursors.after_article(filters.cursor))
    size = filters.page_size
    rows = list(articles.for_syndication().order_by("-published_at", "-id")[: size + 1])
    page = rows[:size]
    show(request, *keys, *(key for article in page for key in _summary_keys(article)))
    absolute = request.build_absolute_uri
    return {
        "items": [output.article_summary(article, absolute) for article in page],
        "next": (
            cursors.next_link(request, cursors.for_article(page[-1]))
            if len(rows) > size
            else None
        ),
    }


@get(
    router,
    "/articles/{ref}/",
    response={200: ArticleDetail, 404: Error, 410: Gone},
    url_name="article_detail",
    summary="Một bài, theo số (id) hoặc slug",
)
def article_detail(request: HttpRequest, ref: str):
    """Toàn bộ bài như trang bài in ra. Một slug trùng nhiều bài chỉ bài mới
    nhất. Bài đã thu hồi: 410, kèm các tin cải chính đăng riêng."""
    missing = _("Không có bài viết này, hoặc bài chưa được đăng.")
    found = by_id_or_slug(ref, missing=missing)
    article = (
        Article.objects.published()
        .for_detail()
        .filter(**found)
        .order_by("-published_at", "-id")
        .first()
    )
    if article is None:
        gone = Article.objects.filter(status=Article.Status.TAKEN_DOWN, **found)
        if gone.exists():
            corrections = Correction.objects.standalone().filter(article__in=gone)
            absolute = request.build_absolute_uri
            return Status(
                410,
                {
                    "detail": _("Bài viết đã bị thu hồi."),
                    "corrections": [
                        absolute(correction.get_absolute_url())
                        for correction in corrections
                    ],
                },
            )
        raise Http404(missing)
    show(request, *article.page_keys())
    if "slug" in found:
        # Another article may take this slug by being published: every
        # publication purges "feeds".
        show(request, "feeds")
    return output.article_detail(article, request.build_absolute_uri)
