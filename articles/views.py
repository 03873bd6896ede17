from datetime import date, timedelta

from django.conf import settings
from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from pagecache.purge import show
from paper.middleware import allow_frames

from .forms import SearchForm, day_start
from .front import front_page
from .models import (
    PREVIEW_MAX_AGE,
    PREVIEW_SALT,
    Article,
    Contributor,
    Correction,
    Section,
    Tag,
)
from .navigation import section_tree
from .paging import ListingPage, listing_page
from .players import page_videos
from .reading import read_count_add, read_counts_flush, read_counts_flush_due
from .search import Query, Results, highlight, search, snippet
from .sitemaps import news_articles

RELATED = 6


def _show_cards(request: HttpRequest, articles, *keys: str) -> None:
    """The page prints these articles' cards, and lists what ``keys`` name."""
    show(request, *keys, *(key for article in articles for key in article.card_keys()))


def _page(request: HttpRequest, queryset, *keys: str) -> ListingPage:
    """One page of a listing; a page number that does not exist is a 404."""
    page = listing_page(
        queryset, request.GET.get("trang", 1), settings.ARTICLES_PER_PAGE
    )
    _show_cards(request, page.object_list, *keys)
    return page


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    front = front_page()
    _show_cards(request, front.stories, "home")
    return render(request, "articles/home.html", {"front": front})


@require_safe
def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section.objects.select_related("parent"), slug=slug)
    articles = Article.objects.published().in_section(section).for_listing()
    page = _page(request, articles, f"section-articles:{section.pk}")
    return render(
        request,
        "articles/section_detail.html",
        {
            "section": section,
            "page": page,
            "current_section": section.root,
            "current_subsection": section if section.parent_id else None,
        },
    )


@require_safe
def video_list(request: HttpRequest) -> HttpResponse:
    """The "Video" page: video stories, newest first."""
    page = _page(request, Article.objects.published().video_stories(), "video-articles")
    return render(request, "articles/video_list.html", {"page": page})


@require_safe
def archive(
    request: HttpRequest, year: int, month: int, day: int | None = None
) -> HttpResponse:
    """Articles published on a day, or in a month, in the paper's time zone."""
    try:
        first = date(year, month, day or 1)
        if day:
            after = first + timedelta(days=1)
        else:
            after = date(year + month // 12, month % 12 + 1, 1)
    except (ValueError, OverflowError):  # 30/2, month 13, year 99999...
        raise Http404 from None
    articles = (
        Article.objects.published()
        .filter(published_at__gte=day_start(first), published_at__lt=day_start(after))
        .for_listing()
    )
    return render(
        request,
        "articles/archive.html",
        {
            "day": first if day else None,
            "month": first,
            "page": _page(request, articles, "archive"),
        },
    )


@require_safe
def archive_pick(request: HttpRequest) -> HttpResponse:
    """The footer's date picker: ?ngay=2026-02-17 goes to that day's archive."""
    try:
        picked = date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        picked = timezone.localdate()
    return redirect(
        "articles:archive_day", year=picked.year, month=picked.month, day=picked.day
    )


def _search_page(request: HttpRequest, found: Results) -> tuple[Page | None, int]:
    """The asked page of results, or ``(None, last page)`` when the page is
    past the listed results but more articles matched (a message, not a 404
    page). Any other page that does not exist is a 404."""
    paginator = Paginator(found, settings.ARTICLES_PER_PAGE)
    try:
        return paginator.page(request.GET.get("trang", 1)), 0
    except EmptyPage:
        # validate_number() has read it as an integer by now.
        if found.is_capped and int(request.GET["trang"]) > paginator.num_pages:
            return None, paginator.num_pages
        raise Http404 from None
    except InvalidPage:
        raise Http404 from None


@require_safe
def search_results(request: HttpRequest) -> HttpResponse:
    # One query for the navigation and the form's section list.
    sections = list(Section.objects.select_related("parent"))
    form = SearchForm(request.GET or None, sections=sections)
    query, found, page, last_page, results = Query.parse(""), None, None, 0, []
    if form.is_valid():
        query = Query.parse(form.cleaned_data["q"])
        if query:
            articles = Article.objects.published().for_search_results()
            found = search(articles, query, **form.scope())
            page, last_page = _search_page(request, found)
            _show_cards(request, page.object_list if page else [], "search")
            results = [
                (
                    article,
                    highlight(article.title, query),
                    snippet(lead=article.lead, body_html=article.body, query=query),
                )
                for article in (page.object_list if page else [])
            ]
    return render(
        request,
        "articles/search.html",
        {
            "form": form,
            "query": query,
            "found": found,
            "page": page,
            "results": results,
            "last_page": last_page,
            "nav_sections": section_tree(sections),
        },
        # Past the listed results: the page says why, as a 404.
        status=404 if last_page else 200,
    )


@require_safe
def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=tag).for_listing()
    page = _page(request, articles, f"tag:{tag.pk}", f"tag-articles:{tag.pk}")
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


@require_safe
def contributor_detail(request: HttpRequest, slug: str) -> HttpResponse:
    contributor = get_object_or_404(Contributor, slug=slug)
    articles = (
        Article.objects.published()
        .filter(credits__contributor=contributor)
        .for_listing()
    )
    return render(
        request,
        "articles/contributor_detail.html",
        {
            "contributor": contributor,
            "page": _page(
                request,
                articles,
                f"contributor:{contributor.pk}",
                f"contributor-articles:{contributor.pk}",
            ),
        },
    )


def render_article(
    request: HttpRequest,
    article: Article,
    *,
    status: int = 200,
    is_preview: bool = False,
    **context,
) -> HttpResponse:
    """The article page, ``article`` from ``for_detail()``; ``context`` adds to
    the template's (the comments app passes a form returned with errors)."""
    related = list(
        Article.objects.published().for_listing().related_to(article)[:RELATED]
    )
    videos = page_videos(article)
    show(request, *article.page_keys(), *videos.keys())
    _show_cards(request, related)
    context = {
        "article": article,
        "videos": videos,
        "current_section": article.section.root,
        "current_subsection": article.section if article.section.parent_id else None,
        "related": related,
        "is_preview": is_preview,
        **context,
    }
    response = render(request, "articles/article_detail.html", context, status=status)
    # A YouTube or Facebook player, once the reader clicks its poster.
    allow_frames(response, videos.frame_origins())
    return response


def article_gone(request: HttpRequest, pk: int) -> HttpResponse:
    """410 for a withdrawn article: it is kept on the server, not shown."""
    corrections = Correction.objects.filter(article_id=pk, is_standalone=True)
    return render(
        request, "articles/article_gone.html", {"corrections": corrections}, status=410
    )


@require_safe
def article_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    # By primary key, then the visibility rule on the row (``is_public``, the
    # rule of ``published()``): a withdrawn article's 410 needs no second query.
    article = Article.objects.for_detail().filter(pk=pk).first()
    if article is None or not article.is_public:
        if article is not None and article.status == Article.Status.TAKEN_DOWN:
            return article_gone(request, pk)
        raise Http404
    if slug != article.slug:
        # The title (and so the slug) changed; old links keep working.
        return redirect(article, permanent=True)
    return render_article(request, article)


@require_safe
def article_preview(request: HttpRequest, token: str) -> HttpResponse:
    """A draft exactly as readers would see it, through a signed, expiring link."""
    try:
        pk = TimestampSigner(salt=PREVIEW_SALT).unsign(token, max_age=PREVIEW_MAX_AGE)
    except SignatureExpired:
        return _preview_refused(request, _("Liên kết xem trước đã hết hạn."))
    except BadSignature:
        raise Http404 from None
    article = get_object_or_404(Article.objects.for_detail(), pk=pk)
    if article.status == Article.Status.TAKEN_DOWN:
        return article_gone(request, article.pk)
    if article.is_embargoed:
        return _preview_refused(request, _("Bài đang trong thời gian cấm đăng."))
    response = render_article(request, article, is_preview=True)
    # Never indexed, never kept by a shared cache.
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response


def _preview_refused(request: HttpRequest, reason: str) -> HttpResponse:
    return render(
        request, "articles/preview_refused.html", {"reason": reason}, status=403
    )


@require_safe
def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A legal correction published as its own item."""
    correction = get_object_or_404(Correction.objects.standalone(), pk=pk)
    show(request, f"article:{correction.article_id}")
    return render(
        request, "articles/correction_detail.html", {"correction": correction}
    )


@csrf_exempt  # sent by navigator.sendBeacon, which carries no token; it only counts
@require_POST
@never_cache
def read_beacon(request: HttpRequest, pk: int) -> HttpResponse:
    """One view of an article, counted in the cache (no database query).

    Unknown ids are dropped when the counters are flushed.
    """
    read_count_add(article_id=pk)
    if read_counts_flush_due():
        read_counts_flush()
    return HttpResponse(status=204)


@require_safe
def news_sitemap(request: HttpRequest) -> HttpResponse:
    """The Google News sitemap: the last two days, with publication and language."""
    show(request, "sitemaps")
    return render(
        request,
        "articles/news_sitemap.xml",
        {"articles": news_articles()},
        content_type="application/xml; charset=utf-8",
    )


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    show(request)
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")
