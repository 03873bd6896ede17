"""What search engines and share previews read: JSON-LD and absolute URLs."""

import json
from datetime import timedelta
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from .models import Article

if TYPE_CHECKING:
    from .players import PageVideos

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


def iso_duration(duration: timedelta) -> str:
    """ISO 8601, as schema.org wants a length: "PT2M5S", "PT1H0M5S"."""
    minutes, seconds = divmod(int(duration.total_seconds()), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"PT{hours}H{minutes}M{seconds}S"
    return f"PT{minutes}M{seconds}S" if minutes else f"PT{seconds}S"


def videos_json_ld(
    videos: "PageVideos", *, article: Article, request: HttpRequest
) -> SafeString:
    """schema.org ``VideoObject``s for the videos an article page shows, as a
    script's text (empty without videos). A YouTube or Facebook video gives
    its player (embedUrl), the newsroom's own file its address (contentUrl);
    a video without a poster of its own shows the article's lead photo, else
    the paper's neutral poster."""
    from .players import DEFAULT_POSTER

    fallback = static(DEFAULT_POSTER)
    if article.lead_photo_id:
        fallback = article.lead_photo.share_image_url
    described = article.lead[:300]
    items = []
    for video in videos.library():
        thumbnail = (
            video.poster_photo.share_image_url if video.poster_photo_id else fallback
        )
        item = {
            "@type": "VideoObject",
            "name": video.title,
            "description": video.description or described,
            "thumbnailUrl": [request.build_absolute_uri(thumbnail)],
            "uploadDate": video.created_at.isoformat(),
        }
        if video.link:
            item["embedUrl"] = video.link.player_url
        else:
            item["contentUrl"] = request.build_absolute_uri(video.file.url)
        if video.duration:
            item["duration"] = iso_duration(video.duration)
        items.append(item)
    for found in videos.linked.values():
        if found.video is not None:
            continue  # described above, from the library
        items.append(
            {
                "@type": "VideoObject",
                "name": found.title,
                "description": described,
                "thumbnailUrl": [request.build_absolute_uri(fallback)],
                "uploadDate": (article.published_at or article.updated_at).isoformat(),
                "embedUrl": found.link.player_url,
            }
        )
    if not items:
        return SafeString("")
    data = {"@context": "https://schema.org", "@graph": items}
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return mark_safe(text)  # noqa: S308 - JSON with <, > and & escaped
