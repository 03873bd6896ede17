from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from ..html import split_blocks
from ..models import Article
from ..seo import article_json_ld

register = template.Library()


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
