"""Writes on comments: a reader's submission and a moderator's decisions."""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from articles.models import Article

from .models import Comment


@transaction.atomic
def comment_submit(
    *,
    article: Article,
    name: str,
    email: str,
    body: str,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Comment:
    """Store a reader's comment as pending; nothing is public until approved.

    Raises ValidationError (and stores nothing) on invalid input.
    """
    comment = Comment(
        article=article,
        name=name,
        email=email,
        body=body,
        ip_address=ip_address,
        user_agent=user_agent[:300],
    )
    comment.full_clean()
    comment.save()
    return comment


def _moderate(comments: Iterable[Comment], status: str, by: AbstractBaseUser) -> int:
    ids = [comment.pk for comment in comments]
    return Comment.objects.filter(pk__in=ids).update(
        status=status, moderated_at=timezone.now(), moderated_by=by
    )


@transaction.atomic
def comments_approve(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Show these comments to readers. Returns how many were changed."""
    return _moderate(comments, Comment.Status.APPROVED, by)


@transaction.atomic
def comments_reject(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Hide these comments; they are kept for the record."""
    return _moderate(comments, Comment.Status.REJECTED, by)


@transaction.atomic
def comments_mark_spam(*, comments: Iterable[Comment], by: AbstractBaseUser) -> int:
    """Hide these comments as spam; they are kept for the record."""
    return _moderate(comments, Comment.Status.SPAM, by)
