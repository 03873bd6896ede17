"""The articles' panels on the editors' dashboard (the admin index)."""

from datetime import datetime, time, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Article

_LIMIT = 10


def _panel(key: str, title: str, queryset: QuerySet, empty: str) -> dict:
    return {
        "key": key,
        "title": title,
        "rows": list(queryset[:_LIMIT]),
        "count": None,
        "empty": empty,
    }


def dashboard_panels(user: AbstractBaseUser) -> list[dict]:
    """Drafts, the review and publishing queues and the day's schedule, by role."""
    now = timezone.now()
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, time.min))
    # Only what this person may open: a reporter sees their own stories.
    articles = Article.objects.for_dashboard().visible_to(user)
    S = Article.Status
    panels = []
    if user.has_perm("articles.add_article"):
        panels.append(
            _panel(
                "drafts",
                _("Bản nháp của tôi"),
                articles.filter(created_by=user, status__in=[S.DRAFT, S.RETURNED]),
                _("Không có bản nháp."),
            )
        )
    if user.has_perm("articles.review_article"):
        panels.append(
            _panel(
                "review",
                _("Chờ tôi biên tập"),
                articles.filter(status=S.IN_REVIEW).order_by("updated_at"),
                _("Không có bài chờ biên tập."),
            )
        )
    if user.has_perm("articles.publish_article"):
        panels.append(
            _panel(
                "approved",
                _("Đã duyệt, chờ đăng"),
                articles.filter(status=S.APPROVED).order_by("updated_at"),
                _("Không có bài chờ đăng."),
            )
        )
    if user.has_perm("articles.view_article"):
        panels += [
            _panel(
                "overdue",
                _("Quá giờ hẹn (lệnh publish_scheduled chưa chạy)"),
                articles.filter(status=S.SCHEDULED, published_at__lte=now).order_by(
                    "published_at"
                ),
                _("Không có bài quá giờ."),
            ),
            _panel(
                "today",
                _("Hẹn đăng hôm nay (giờ Việt Nam)"),
                articles.filter(
                    status=S.SCHEDULED,
                    published_at__gt=now,
                    published_at__lt=start + timedelta(days=1),
                ).order_by("published_at"),
                _("Không có bài hẹn giờ hôm nay."),
            ),
            _panel(
                "recent",
                _("Vừa xuất bản"),
                articles.published(now),
                _("Chưa có bài nào."),
            ),
        ]
    return panels
