from django.conf import settings
from django.core.paginator import InvalidPage, Page, Paginator
from django.core.signing import BadSignature, SignatureExpired, TimestampSigner
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from comments.forms import CommentForm, comment_section_context

from .models import (
    PREVIEW_MAX_AGE,
    PREVIEW_SALT,
    Article,
    Contributor,
    Correction,
    Section,
    Tag,
)


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
    is_preview: bool = False,
) -> HttpResponse:
    """The article page; also used to show a comment form returned with errors."""
    context = {
        "article": article,
        "current_section": article.section.root,
        "is_preview": is_preview,
        **comment_section_context(request, article, form=comment_form),
    }
    return render(request, "articles/article_detail.html", context, status=status)


def article_gone(request: HttpRequest, pk: int) -> HttpResponse:
    """410 for a withdrawn article: it is kept on the server, not shown."""
    corrections = Correction.objects.filter(article_id=pk, is_standalone=True)
    return render(
        request, "articles/article_gone.html", {"corrections": corrections}, status=410
    )


def article_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    article = Article.objects.published().for_detail().filter(pk=pk).first()
    if article is None:
        # Only a miss pays for this query; readers of live stories do not.
        if Article.objects.filter(pk=pk, status=Article.Status.TAKEN_DOWN).exists():
            return article_gone(request, pk)
        raise Http404
    if slug != article.slug:
        # The title (and so the slug) changed; old links keep working.
        return redirect(article, permanent=True)
    return render_article(request, article)


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


def correction_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A legal correction published as its own item."""
    correction = get_object_or_404(Correction.objects.standalone(), pk=pk)
    return render(
        request, "articles/correction_detail.html", {"correction": correction}
    )
