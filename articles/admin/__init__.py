"""The articles app's admin, one module per concept. Importing this package
(Django's admin autodiscovery does) registers every ModelAdmin on the site."""

from .articles import (
    ArticleAdmin,
    ArticlePhotoInline,
    ArticleVideoInline,
    CreditInline,
    GalleryPhotoInline,
)
from .people import ContributorAdmin, SectionAdmin, TagAdmin
from .photos import PhotoAdmin
from .records import AuditEntryAdmin, CorrectionAdmin
from .revisions import compare_rows, word_diff
from .shared import VietnameseSlugMixin, photo_thumbnail
from .videos import VideoAdmin

__all__ = [
    "ArticleAdmin",
    "ArticlePhotoInline",
    "ArticleVideoInline",
    "AuditEntryAdmin",
    "ContributorAdmin",
    "CorrectionAdmin",
    "CreditInline",
    "GalleryPhotoInline",
    "PhotoAdmin",
    "SectionAdmin",
    "TagAdmin",
    "VideoAdmin",
    "VietnameseSlugMixin",
    "compare_rows",
    "photo_thumbnail",
    "word_diff",
]
