from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from comments.forms import CommentForm, comment_section_context

from .models import Article, Contributor, Section, Tag


def _page(request: HttpRequest, queryset) -> Page:
    """One page of a listing; a page number that does not exist is a 404."""
    paginator = Paginator(queryset, settings.ARTICLES_PER_PAGE)
    try:
        return paginator.page(request.GET.get("trang", 1))
    except InvalidPage:
        raise Http404 from None


def home(request: HttpRequest) -> HttpResponse:
    articles = list(Article.objects.published().for_listing().latest_per_section(5))
    latest = sorted(articles, key=lambda a: (a.published_at, a.pk), reverse=True)
    by_section: dict[int, list[Article]] = {}
    for article in articles:
        by_section.setdefault(article.section_id, []).append(article)
    sections = Section.objects.filter(pk__in=by_section).select_related("parent")
    blocks = [
        (section, by_section[section.pk])
        for section in sorted(
            sections,
            key=lambda s: (
                (s.parent or s).order,
                (s.parent or s).name,
                s.parent_id is not None,
                s.order,
            ),
        )
    ]
    return render(
        request,
        "articles/home.html",
        {
            "lead_story": latest[0] if latest else None,
            "latest": latest[1:9],
            "blocks": blocks,
        },
    )


def section_detail(request: HttpRequest, slug: str) -> HttpResponse:
    section = get_object_or_404(Section.objects.select_related("parent"), slug=slug)
    page = _page(request, Article.objects.published().in_section(section).for_listing())
    return render(
        request,
        "articles/section_detail.html",
        {"section": section, "page": page, "current_section": section.root},
    )


def tag_detail(request: HttpRequest, slug: str) -> HttpResponse:
    tag = get_object_or_404(Tag, slug=slug)
    page = _page(request, Article.objects.published().filter(tags=tag).for_listing())
    return render(request, "articles/tag_detail.html", {"tag": tag, "page": page})


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
        {"contributor": contributor, "page": _page(request, articles)},
    )


def render_article(
    request: HttpRequest,
    article: Article,
    *,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The article page; also used to show a comment form returned with errors."""
    context = {
        "article": article,
        "current_section": article.section.root,
        **comment_section_context(request, article, form=comment_form),
    }
    return render(request, "articles/article_detail.html", context, status=status)


def article_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.published().for_detail(), pk=pk)
    if slug != article.slug:
        # The title (and so the slug) changed; old links keep working.
        return redirect(article, permanent=True)
    return render_article(request, article)
