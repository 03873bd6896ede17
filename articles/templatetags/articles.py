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
from ..seo import article_json_ld

register = template.Library()

# Cards and pictures are built here rather than in included templates: a home
# page prints over a hundred cards, and an included card took 245 µs to render
# against 116 µs for this tag (bench/card_render.py).
CARD_SIZES = "(min-width: 60rem) 23rem, (min-width: 40rem) 50vw, calc(100vw - 2.5rem)"
LARGE_CARD_SIZES = "(min-width: 60rem) 46rem, calc(100vw - 2.5rem)"
STORY_SIZES = "(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)"


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
    ``priority`` for the one photo the page opens with (the article's lead)."""
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
        sizes=sizes,
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
    ``article`` comes from ``for_listing()``; a large card leads a block."""
    # As in picture(): the markup from constants, every value through one
    # format_html() (a home page prints over a hundred cards).
    published = timezone.localtime(article.published_at)
    values = {
        "url": article.get_absolute_url(),
        "title": article.title,
        "datetime": published.isoformat(),
        "published": vn_local_datetime(published),
    }
    markup = '<article class="card card--large">' if large else '<article class="card">'
    if article.lead_photo:
        markup += (
            '<a class="card__photo" href="{url}" tabindex="-1" aria-hidden="true">'
            "{picture}</a>"
        )
        values["picture"] = picture(
            article.lead_photo.card_picture,
            alt="",
            sizes=LARGE_CARD_SIZES if large else CARD_SIZES,
            eager=large,
        )
    markup += '<div class="card__text">'
    if show_section:
        markup += '<p class="card__section"><a href="{section_url}">{section}</a></p>'
        values["section_url"] = article.section.get_absolute_url()
        values["section"] = article.section.name
    markup += (
        '<h3 class="card__title"><a href="{url}">{title}</a></h3>'
        '<p class="card__meta"><time datetime="{datetime}">{published}</time>'
    )
    if count := article.comment_count:
        markup += ' · <a class="card__comments" href="{url}#binh-luan">{comments}</a>'
        values["comments"] = ngettext(
            "%(count)s bình luận", "%(count)s bình luận", count
        ) % {"count": count}
    markup += "</p>"
    if show_lead:
        markup += '<p class="card__lead">{lead}</p>'
        values["lead"] = Truncator(article.lead).words(40)
    return format_html(markup + "</div></article>", **values)


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
