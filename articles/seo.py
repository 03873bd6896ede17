"""What search engines and share previews read: JSON-LD and absolute URLs."""

import json

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from .models import Article

# As in Django's json_script: nothing in the data can close the <script>.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def article_json_ld(
    article: Article, *, request: HttpRequest, publisher: str
) -> SafeString:
    """A schema.org ``NewsArticle`` for the article page, as a script's text.

    ``article`` comes from ``for_detail()``: authors in byline order, and the
    share image of its lead photo.
    """
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": request.build_absolute_uri(article.get_absolute_url()),
        "headline": article.title[:110],
        "description": article.lead,
        "datePublished": article.published_at.isoformat(),
        "dateModified": max(article.updated_at, article.published_at).isoformat(),
        "articleSection": article.section.name,
        "inLanguage": "vi",
        "author": [
            {
                "@type": "Person",
                "name": credit.contributor.name,
                "url": request.build_absolute_uri(
                    credit.contributor.get_absolute_url()
                ),
            }
            for credit in article.credits.all()
        ],
        "publisher": {
            "@type": "NewsMediaOrganization",
            "name": publisher,
            "url": request.build_absolute_uri("/"),
            "logo": {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(static("img/logo.png")),
                "width": 600,
                "height": 60,
            },
        },
    }
    if article.lead_photo_id:
        url, width, height = article.lead_photo.share_image
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(url),
                "width": width,
                "height": height,
            }
        ]
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308 - JSON with <, > and & escaped
