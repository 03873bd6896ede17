from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import ngettext

from paper.templatetags.paper import vn_local_datetime

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
    # One format_html() per element, its markup chosen from constants: each
    # call escapes every value, and cards print a hundred pictures a page.
    markup = "<picture>"
    if picture.webp_srcset:
        markup += '<source type="image/webp" srcset="{webp}" sizes="{sizes}">'
    markup += '<img src="{src}"'
    if picture.jpeg_srcset:
        markup += ' srcset="{jpeg}" sizes="{sizes}"'
    markup += ' alt="{alt}" width="{width}" height="{height}"'
    if not eager:
        markup += ' loading="lazy" decoding="async"'
    elif priority:
        markup += ' loading="eager" fetchpriority="high"'
    else:
        markup += ' loading="eager"'
    return format_html(
        markup + "></picture>",
        webp=picture.webp_srcset,
        jpeg=picture.jpeg_srcset,
        sizes=sizes or STORY_SIZES,
        src=picture.src,
        alt=alt,
        width=picture.width,
        height=picture.height,
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
    # As in picture(): the markup from constants, every value through one
    # format_html() (a home page prints over a hundred cards).
    published = timezone.localtime(article.published_at)
    values = {
        "url": article.get_absolute_url(),
        "title": article.title,
        "datetime": published.isoformat(),
        "published": vn_local_datetime(published),
    }
    markup = '<article class="card'
    if large:
        markup += " card--large"
    if article.lead_photo:
        markup += (
            '"><a class="card__photo" href="{url}" tabindex="-1" aria-hidden="true">'
            "{picture}"
        )
        values["picture"] = picture(
            article.lead_photo.card_picture,
            alt="",
            sizes=LARGE_CARD_SIZES if large else CARD_SIZES,
            eager=large,
        )
        if article.lead_video_id:
            # A video story: a play badge over its photo.
            markup += '<span class="card__play"></span>'
        markup += "</a>"
    else:
        markup += ' card--text">'
    markup += '<div class="card__text">'
    if show_section:
        markup += '<p class="card__section"><a href="{section_url}">{section}</a></p>'
        values["section_url"] = article.section.get_absolute_url()
        values["section"] = article.section.name
    markup += (
        '<h3 class="card__title"><a href="{url}">{title}</a></h3><p class="card__meta">'
    )
    if article.lead_video_id:
        markup += '<span class="card__video">{video}</span> · '
        # Its length when the list fetched the video (the "Video" page).
        length = (
            article.lead_video.duration_text
            if Article.lead_video.is_cached(article)
            else ""
        )
        values["video"] = f"Video {length}" if length else "Video"
    markup += '<time datetime="{datetime}">{published}</time>'
    if count := article.comment_count:
        markup += ' · <a class="card__comments" href="{url}#binh-luan">{comments}</a>'
        values["comments"] = ngettext(
            "%(count)s bình luận", "%(count)s bình luận", count
        ) % {"count": count}
    markup += "</p>"
    if show_lead:
        markup += '<p class="card__lead">{lead}</p>'
        values["lead"] = Truncator(article.lead).words(40)
    elif not article.lead_photo:
        # Where a photo would stand, the first words of the lead: a text
        # card holds its place in a grid of pictures.
        markup += '<p class="card__lead card__lead--brief">{lead}</p>'
        values["lead"] = Truncator(article.lead).words(24)
    return format_html(markup + "</div></article>", **values)


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
