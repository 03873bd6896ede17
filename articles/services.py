"""Writes on articles that carry rules: publishing and unpublishing."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from .models import Article


@transaction.atomic
def article_publish(
    *, article: Article, by: AbstractBaseUser, at: datetime | None = None
) -> Article:
    """Publish ``article`` now, or at ``at`` (readers see it from that moment).

    Keeps an existing publication time so re-publishing does not re-date a story.
    Raises ValidationError, changing nothing, if the article is not complete.
    """
    article.status = Article.Status.PUBLISHED
    article.published_at = at or article.published_at or timezone.now()
    article.full_clean()
    article.save()
    return article


@transaction.atomic
def article_unpublish(*, article: Article, by: AbstractBaseUser) -> Article:
    """Take ``article`` back to draft; it disappears from every public page."""
    article.status = Article.Status.DRAFT
    article.full_clean()
    article.save()
    return article
