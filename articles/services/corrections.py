"""Corrections: dated notes on a published article, never edited afterwards."""

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Article, Correction
from .records import _audit

S = Article.Status


@transaction.atomic
def correction_publish(*, correction: Correction, by: AbstractBaseUser) -> Correction:
    """Attach a dated correction to a published (or withdrawn) article.

    The work's title, section and publication date are copied as they stand,
    as the legal form requires. Corrections are never edited afterwards.
    """
    if not by.has_perm("articles.publish_article"):
        raise PermissionDenied(_("Chỉ tổng biên tập được đăng đính chính."))
    article = correction.article
    if article.published_at is None or article.status not in (
        S.PUBLISHED,
        S.SCHEDULED,
        S.UNPUBLISHED,
        S.TAKEN_DOWN,
    ):
        raise ValidationError(_("Chỉ đính chính được bài đã xuất bản."))
    correction.work_title = article.title
    correction.work_section = str(article.section)
    correction.work_published_at = article.published_at
    correction.created_by = by
    correction.published_at = timezone.now()
    correction.full_clean()
    correction.save()
    _audit(
        article,
        action="correct",
        from_status=article.status,
        by=by,
        note=correction.text,
    )
    return correction
