"""The articles app's models, one module per concept, all importable from here."""

from .articles import (
    PREVIEW_MAX_AGE,
    PREVIEW_SALT,
    Article,
    Credit,
    ReadCount,
)
from .people import Contributor, Section, Tag, TaggedArticle
from .photos import ArticlePhoto, GalleryPhoto, Photo, PhotoUse, Picture
from .querysets import ArticleQuerySet
from .videos import ArticleVideo, Video, VideoQuerySet
from .workflow import ArticleRevision, AuditEntry, Correction, CorrectionQuerySet

__all__ = [
    "PREVIEW_MAX_AGE",
    "PREVIEW_SALT",
    "Article",
    "ArticlePhoto",
    "ArticleQuerySet",
    "ArticleRevision",
    "ArticleVideo",
    "AuditEntry",
    "Contributor",
    "Correction",
    "CorrectionQuerySet",
    "Credit",
    "GalleryPhoto",
    "Photo",
    "PhotoUse",
    "Picture",
    "ReadCount",
    "Section",
    "Tag",
    "TaggedArticle",
    "Video",
    "VideoQuerySet",
]
