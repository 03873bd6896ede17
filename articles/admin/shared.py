"""What the articles app's admins share: the slug prefill and thumbnails."""

from django.utils.html import format_html

from ..models import Photo


class VietnameseSlugMixin:
    """Prefills slugs in the browser with the same rule as the server."""

    class Media:
        # Listed after Django's urlify.js so that ours replaces it.
        js = ["admin/js/urlify.js", "articles/admin/urlify_vi.js"]


def photo_thumbnail(photo: Photo | None, height: int = 60):
    if photo is None or not photo.image:
        return "—"
    # The smallest card rendition: the original may be megabytes.
    return format_html(
        '<img src="{}" alt="{}" style="height:{}px;width:auto;border-radius:3px">',
        photo.thumbnail_url,
        photo.alt_text,
        height,
    )
