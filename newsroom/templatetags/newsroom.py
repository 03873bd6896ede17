from datetime import datetime

from django import template
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from articles.html import split_blocks
from articles.models import Article
from articles.seo import article_json_ld

register = template.Library()

_WEEKDAYS = [
    _("Thứ Hai"),
    _("Thứ Ba"),
    _("Thứ Tư"),
    _("Thứ Năm"),
    _("Thứ Sáu"),
    _("Thứ Bảy"),
    _("Chủ Nhật"),
]


@register.filter
def vn_datetime(value: datetime | None) -> str:
    """ "Thứ Ba, 18/02/2020 10:30", in the paper's time zone."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{_WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y %H:%M}"


@register.filter
def vn_date(value: datetime | None) -> str:
    """ "Thứ Ba, 18/02/2020": the masthead's date."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{_WEEKDAYS[local.weekday()]}, {local:%d/%m/%Y}"


@register.simple_tag
def now_vn() -> str:
    return vn_date(timezone.now())


@register.simple_tag
def article_body(article: Article) -> SafeString:
    """The sanitised body with the article's photos placed between its paragraphs."""
    placements = list(article.body_photos.all())
    if not placements:
        # The body was sanitised against an allowlist when it was saved.
        return mark_safe(article.body)  # noqa: S308
    blocks = split_blocks(article.body)
    parts: list[str] = []
    for index in range(len(blocks) + 1):
        for placement in placements:
            if min(placement.after_paragraph, len(blocks)) == index:
                parts.append(
                    render_to_string(
                        "articles/_figure.html",
                        {
                            "photo": placement.photo,
                            "caption": placement.shown_caption,
                        },
                    )
                )
        if index < len(blocks):
            parts.append(blocks[index])
    return mark_safe("\n".join(parts))  # noqa: S308


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article: Article) -> SafeString:
    """The article's JSON-LD, published under the paper's name."""
    return article_json_ld(
        article, request=context["request"], publisher=context["paper"].name
    )


@register.simple_tag(takes_context=True)
def absolute_url(context, path: str) -> str:
    """``path`` as a full URL on this site, for share previews and feeds."""
    return context["request"].build_absolute_uri(path)


@register.simple_tag
def page_href(query_string: str, number: int) -> str:
    """``?trang=<number>`` keeping the other parameters (search words, filters)."""
    params = QueryDict(query_string or "", mutable=True)
    params["trang"] = number
    return "?" + params.urlencode()
