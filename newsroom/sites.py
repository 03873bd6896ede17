"""The admin site. Its index is the editors' dashboard.

Kept apart from newsroom/admin.py on purpose: Django imports the default site's
class while it builds the site, and a module that registers models on
``admin.site`` at import time would then register them on a site that is
thrown away.
"""

from datetime import datetime, time, timedelta

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from comments.models import Comment

_LIMIT = 10


def editor_dashboard(user: AbstractBaseUser) -> list[dict]:
    """The panels of the admin index, each only for those whose work it is."""
    now = timezone.now()
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.combine(today, time.min))
    articles = Article.objects.for_dashboard()
    S = Article.Status
    panels = []

    def panel(key, title, queryset=None, count=None, empty=""):
        rows = list(queryset[:_LIMIT]) if queryset is not None else []
        panels.append(
            {"key": key, "title": title, "rows": rows, "count": count, "empty": empty}
        )

    if user.has_perm("articles.add_article"):
        panel(
            "drafts",
            _("Bản nháp của tôi"),
            articles.filter(created_by=user, status__in=[S.DRAFT, S.RETURNED]),
            empty=_("Không có bản nháp."),
        )
    if user.has_perm("articles.review_article"):
        panel(
            "review",
            _("Chờ tôi biên tập"),
            articles.filter(status=S.IN_REVIEW).order_by("updated_at"),
            empty=_("Không có bài chờ biên tập."),
        )
    if user.has_perm("articles.publish_article"):
        panel(
            "approved",
            _("Đã duyệt, chờ đăng"),
            articles.filter(status=S.APPROVED).order_by("updated_at"),
            empty=_("Không có bài chờ đăng."),
        )
    if user.has_perm("articles.view_article"):
        panel(
            "overdue",
            _("Quá giờ hẹn (lệnh publish_scheduled chưa chạy)"),
            articles.filter(status=S.SCHEDULED, published_at__lte=now).order_by(
                "published_at"
            ),
            empty=_("Không có bài quá giờ."),
        )
        panel(
            "today",
            _("Hẹn đăng hôm nay (giờ Việt Nam)"),
            articles.filter(
                status=S.SCHEDULED,
                published_at__gt=now,
                published_at__lt=start + timedelta(days=1),
            ).order_by("published_at"),
            empty=_("Không có bài hẹn giờ hôm nay."),
        )
        panel(
            "recent",
            _("Vừa xuất bản"),
            articles.published(now),
            empty=_("Chưa có bài nào."),
        )
    if user.has_perm("comments.view_comment"):
        panel(
            "comments",
            _("Bình luận chờ duyệt"),
            count=Comment.objects.pending().count(),
        )
    return panels


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Tòa soạn – Quản trị")
    site_title = _("Tòa soạn")
    index_title = _("Bàn làm việc")

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "dashboard": editor_dashboard(request.user),
        }
        return super().index(request, extra_context)
