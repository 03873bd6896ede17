"""Rows as the API prints them: plain dicts of the shapes in ``schemas.py``.

Every address is absolute, built from the request (its scheme and host) or
left as the storage gave it (photos on object storage or behind a CDN named
in ``MEDIA_URL``). Times are in the paper's time zone, to the second.
"""

from collections.abc import Callable
from datetime import datetime
from pathlib import PurePosixPath
from urllib.parse import urlencode

from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from articles.credits import Role
from articles.models import Article, Contributor, Photo, Section, Tag
from editions.models import Issue, IssuePage

Absolute = Callable[[str], str]  # request.build_absolute_uri

CROPS = ("card", "full", "share")
FORMATS = ("webp", "jpeg")
# The stored original's format, by its extension (articles/images.py stores
# only these three).
_ORIGINAL_FORMATS = {".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".webp": "webp"}


def local_time(moment: datetime) -> datetime:
    return timezone.localtime(moment).replace(microsecond=0)


def articles_url(absolute: Absolute, **filters: str) -> str:
    return absolute(f"{reverse('api:article_list')}?{urlencode(filters)}")


def renditions(photo: Photo, absolute: Absolute) -> list[dict]:
    """Every rendition made at upload, or the original while there is none."""
    made = [
        {
            "url": absolute(default_storage.url(name)),
            "width": width,
            "height": height,
            "format": fmt,
            "crop": crop,
        }
        for crop in CROPS
        for fmt in FORMATS
        for width, height, name in (photo.renditions.get(crop) or {}).get(fmt) or ()
    ]
    if made:
        return made
    extension = PurePosixPath(photo.image.name).suffix.lower()
    return [
        {
            "url": absolute(photo.image.url),
            "width": photo.width,
            "height": photo.height,
            "format": _ORIGINAL_FORMATS.get(extension, "jpeg"),
            "crop": "original",
        }
    ]


def photo(photo: Photo, *, caption: str, absolute: Absolute) -> dict:
    return {
        "id": photo.pk,
        "caption": caption,
        "alt": photo.alt_text,
        "credit": photo.credit,
        "width": photo.width,
        "height": photo.height,
        "renditions": renditions(photo, absolute),
    }


def section_ref(section: Section, absolute: Absolute) -> dict:
    return {
        "id": section.pk,
        "slug": section.slug,
        "name": section.name,
        "url": absolute(section.get_absolute_url()),
    }


def section(section: Section, absolute: Absolute) -> dict:
    return {
        **section_ref(section, absolute),
        "description": section.description,
        "parent": section.parent.slug if section.parent_id else None,
        "articles_url": articles_url(absolute, section=section.slug),
    }


def tag_ref(tag: Tag, absolute: Absolute) -> dict:
    return {
        "id": tag.pk,
        "slug": tag.slug,
        "name": tag.name,
        "url": absolute(tag.get_absolute_url()),
    }


def tag(tag: Tag, absolute: Absolute) -> dict:
    return {
        **tag_ref(tag, absolute),
        "articles_url": articles_url(absolute, tag=tag.slug),
    }


def contributor_ref(contributor: Contributor, absolute: Absolute) -> dict:
    return {
        "id": contributor.pk,
        "slug": contributor.slug,
        "name": contributor.name,
        "url": absolute(contributor.get_absolute_url()),
    }


def contributor(contributor: Contributor, absolute: Absolute) -> dict:
    return {
        **contributor_ref(contributor, absolute),
        "bio": contributor.bio,
        "articles_url": articles_url(absolute, contributor=contributor.slug),
    }


def article_summary(article: Article, absolute: Absolute) -> dict:
    """An article from ``for_syndication()`` or ``for_detail()``, without its
    body: what a list prints."""
    lead_photo = None
    if article.lead_photo_id:
        lead_photo = photo(
            article.lead_photo, caption=article.photo_caption, absolute=absolute
        )
    return {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "kind": article.kind,
        "canonical_url": absolute(article.get_absolute_url()),
        "api_url": absolute(reverse("api:article_detail", args=[article.pk])),
        "lead": article.lead,
        "section": section_ref(article.section, absolute),
        "tags": [tag_ref(t, absolute) for t in article.tags.all()],
        "credits": [
            {
                "contributor": contributor_ref(credit.contributor, absolute),
                "roles": credit.roles,
                "role_labels": [str(Role(role).label) for role in credit.roles],
            }
            for credit in article.credits.all()
        ],
        "byline": article.byline,
        "published_at": local_time(article.published_at),
        # A scheduled story was last saved before it appeared.
        "updated_at": local_time(max(article.updated_at, article.published_at)),
        "lead_photo": lead_photo,
    }


def article_detail(article: Article, absolute: Absolute) -> dict:
    """An article from ``for_detail()``: everything its page prints."""
    source = None
    if article.source_name:
        source = {"name": article.source_name, "url": article.source_url or None}
    return {
        **article_summary(article, absolute),
        "body_html": article.body,
        "body_photos": [
            {
                **photo(use.photo, caption=use.shown_caption, absolute=absolute),
                "after_paragraph": use.after_paragraph,
            }
            for use in article.body_photos.all()
        ],
        "gallery": [
            photo(use.photo, caption=use.shown_caption, absolute=absolute)
            for use in article.gallery_photos.all()
        ],
        "source": source,
        "corrections": [
            {
                "kind": correction.kind,
                "label": correction.get_kind_display(),
                "text": correction.text,
                "false_content": correction.false_content,
                "corrected_content": correction.corrected_content,
                "published_at": local_time(correction.published_at),
                "url": (
                    absolute(correction.get_absolute_url())
                    if correction.is_standalone
                    else None
                ),
            }
            for correction in article.corrections.all()
        ],
    }


def page_pictures(page: IssuePage, absolute: Absolute) -> list[dict]:
    """A print page's pictures as the worker made them (editions/pdf.py):
    WebP at three widths, the largest being the page's own size, and a JPEG
    at the phone's width for what cannot read WebP."""

    def picture(file, width: int, fmt: str) -> dict:
        return {
            "url": absolute(file.url),
            "width": width,
            "height": max(1, round(page.height * width / page.width)),
            "format": fmt,
        }

    return [
        picture(page.thumb, page.THUMB_WIDTH, "webp"),
        picture(page.phone, page.PHONE_WIDTH, "webp"),
        picture(page.jpeg, page.PHONE_WIDTH, "jpeg"),
        picture(page.desktop, page.width, "webp"),
    ]


def issue_summary(issue: Issue, absolute: Absolute, cover: IssuePage | None) -> dict:
    return {
        "id": issue.pk,
        "date": issue.date,
        "number": issue.number,
        "label": str(issue),
        "canonical_url": absolute(issue.get_absolute_url()),
        "api_url": absolute(reverse("api:print_issue_detail", args=[issue.pk])),
        "pdf_url": absolute(issue.pdf.url),
        "pdf_size": issue.pdf_size,
        "page_count": issue.page_count,
        "cover": page_pictures(cover, absolute) if cover else [],
    }


def issue_detail(issue: Issue, pages: list[IssuePage], absolute: Absolute) -> dict:
    return {
        **issue_summary(issue, absolute, pages[0] if pages else None),
        "pages": [
            {
                "number": page.number,
                "url": absolute(issue.page_url(page.number)),
                "pictures": page_pictures(page, absolute),
                "text": page.text,
            }
            for page in pages
        ],
    }
