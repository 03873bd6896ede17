from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import ngettext

from paper.templatetags.paper import vn_datetime

from ..html import split_blocks
from ..models import Article, Picture
from ..players import (
    PageVideos,
    linked_figure,
    page_videos,
    placed_figure,
    video_figure,
)
from ..seo import article_json_ld, videos_json_ld
from ..sharing import share_links

register = template.Library()

# Cards and pictures are built here rather than in included templates: a home
# page prints over a hundred cards, and an included card took 245 µs to render
# against 116 µs for this tag (bench/card_render.py).
CARD_SIZES = "(min-width: 60rem) 23rem, (min-width: 40rem) 50vw, calc(100vw - 2.5rem)"
LARGE_CARD_SIZES = "(min-width: 60rem) 46rem, calc(100vw - 2.5rem)"
_PLAY_BADGE = SafeString('<span class="card__play"></span>')
STORY_SIZES = "(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)"
# E-magazine pages (static/css/site.css, "Long-form"): the opening photo
# spans the window ("100vw", in _longform_hero.html), the reading column is
# 38rem, wide photos up to 64rem.
COLUMN_SIZES = "(min-width: 40.5rem) 38rem, calc(100vw - 2.5rem)"
WIDE_SIZES = "(min-width: 64rem) 64rem, 100vw"


@register.simple_tag
def picture(
    picture: Picture,
    *,
    alt: str,
    sizes: str = STORY_SIZES,
    eager: bool = False,
    priority: bool = False,
) -> SafeString:
    """One photo as <picture>: WebP first, JPEG fallback, width and height
    against layout shift. ``eager`` for a photo on the first screen,
    ``priority`` for the one photo the page opens with (the article's lead).
    An empty ``sizes`` is the standard story column's."""
    sizes = sizes or STORY_SIZES
    webp = ""
    if picture.webp_srcset:
        webp = format_html(
            '<source type="image/webp" srcset="{}" sizes="{}">',
            picture.webp_srcset,
            sizes,
        )
    srcset = ""
    if picture.jpeg_srcset:
        srcset = format_html(' srcset="{}" sizes="{}"', picture.jpeg_srcset, sizes)
    if not eager:
        loading = ' loading="lazy" decoding="async"'
    elif priority:
        loading = ' loading="eager" fetchpriority="high"'
    else:
        loading = ' loading="eager"'
    return format_html(
        '<picture>{}<img src="{}"{} alt="{}" width="{}" height="{}"{}></picture>',
        webp,
        picture.src,
        srcset,
        alt,
        picture.width,
        picture.height,
        mark_safe(loading),  # noqa: S308 - one of the constants above
    )


@register.simple_tag
def card(
    article: Article,
    *,
    large: bool = False,
    show_section: bool = False,
    show_lead: bool = False,
) -> SafeString:
    """An article in a list: photo, section, title, time, comment count, lead.
    ``article`` comes from ``for_listing()``; a large card leads a block.
    A story without a photo prints none and is marked ``card--text``: the
    stylesheet lays it out as text wherever it stands, with no empty frame."""
    url = article.get_absolute_url()
    photo = section = comments = lead = kind = ""
    if article.lead_photo:
        photo = format_html(
            '<a class="card__photo" href="{}" tabindex="-1" aria-hidden="true">'
            "{}{}</a>",
            url,
            picture(
                article.lead_photo.card_picture,
                alt="",
                sizes=LARGE_CARD_SIZES if large else CARD_SIZES,
                eager=large,
            ),
            # A video story: a play badge over its photo.
            _PLAY_BADGE if article.lead_video_id else "",
        )
    if article.lead_video_id:
        # Its length when the list fetched the video (the "Video" page).
        length = (
            article.lead_video.duration_text
            if Article.lead_video.is_cached(article)
            else ""
        )
        kind = format_html(
            '<span class="card__video">{}</span> · ',
            f"Video {length}".strip() if length else "Video",
        )
    if show_section:
        section = format_html(
            '<p class="card__section"><a href="{}">{}</a></p>',
            article.section.get_absolute_url(),
            article.section.name,
        )
    if count := article.comment_count:
        comments = format_html(
            ' · <a class="card__comments" href="{}#binh-luan">{}</a>',
            url,
            ngettext("%(count)s bình luận", "%(count)s bình luận", count)
            % {"count": count},
        )
    if show_lead:
        lead = format_html(
            '<p class="card__lead">{}</p>', Truncator(article.lead).words(40)
        )
    elif not photo:
        # Where a photo would stand, the first words of the lead: a text
        # card holds its place in a grid of pictures.
        lead = format_html(
            '<p class="card__lead card__lead--brief">{}</p>',
            Truncator(article.lead).words(24),
        )
    return format_html(
        '<article class="card{}{}">{}<div class="card__text">{}'
        '<h3 class="card__title"><a href="{}">{}</a></h3>'
        '<p class="card__meta">{}<time datetime="{}">{}</time>{}</p>{}</div></article>',
        " card--large" if large else "",
        "" if photo else " card--text",
        photo,
        section,
        url,
        article.title,
        kind,
        timezone.localtime(article.published_at).isoformat(),
        vn_datetime(article.published_at),
        comments,
        lead,
    )


@register.simple_tag
def article_body(article: Article, videos: PageVideos | None = None) -> SafeString:
    """The sanitised body with the article's photos and videos placed between
    its paragraphs, and paragraphs holding only a YouTube or Facebook link
    turned into the video's facade. ``videos`` from ``page_videos(article)``."""
    videos = videos if videos is not None else page_videos(article)
    placements = list(article.body_photos.all())
    if not placements and not videos.blocks:
        # The body was sanitised against an allowlist when it was saved.
        return mark_safe(article.body)  # noqa: S308
    blocks = videos.blocks or split_blocks(article.body)
    parts: list[str] = []
    for index in range(len(blocks) + 1):
        for placement in placements:
            if min(placement.after_paragraph, len(blocks)) == index:
                parts.append(_body_figure(article, placement))
        for use in videos.placed:
            if min(use.after_paragraph, len(blocks)) == index:
                parts.append(placed_figure(use))
        if index < len(blocks):
            linked = videos.linked.get(index)
            parts.append(linked_figure(linked) if linked else blocks[index])
    return mark_safe("\n".join(parts))  # noqa: S308


@register.simple_tag
def lead_video(article: Article) -> SafeString:
    """A video story's video, in the lead photo's place; the lead photo is
    its poster when the video has none."""
    video = article.lead_video
    return video_figure(
        video, caption=video.description, poster=article.lead_photo, lead=True
    )


@register.simple_tag(takes_context=True)
def video_json_ld(context, article: Article, videos: PageVideos) -> SafeString:
    """schema.org VideoObjects for the videos the article page shows."""
    return videos_json_ld(videos, article=article, request=context["request"])


def _body_figure(article: Article, placement) -> str:
    """A photo placed in the body; wide only on an E-magazine page, where
    it leaves the reading column (the standard column is one width)."""
    wide = placement.is_wide and article.is_emagazine
    if wide:
        sizes = WIDE_SIZES
    else:
        sizes = COLUMN_SIZES if article.is_emagazine else STORY_SIZES
    return render_to_string(
        "articles/_figure.html",
        {
            "photo": placement.photo,
            "caption": placement.shown_caption,
            "wide": wide,
            "sizes": sizes,
        },
    )


@register.filter
def focus_band(photo) -> str:
    """The class that keeps a cropped opening photo's subject in frame: the
    focal point's height in fifths (the page may set no style of its own)."""
    return f"focus-y-{round(photo.focus_y * 4)}"


@register.inclusion_tag("articles/_share.html", takes_context=True)
def share_bar(context, article: Article) -> dict:
    """Facebook, Zalo, copy-link and (where the browser has one) the
    phone's share sheet, all for the canonical address."""
    url = context["request"].build_absolute_uri(article.get_absolute_url())
    return {"url": url, "title": article.title, "links": share_links(url)}


@register.simple_tag(takes_context=True)
def news_article_json_ld(context, article: Article) -> SafeString:
    """The article's JSON-LD, published under the paper's name."""
    return article_json_ld(
        article, request=context["request"], publisher=context["paper"].name
    )
