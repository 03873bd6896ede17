from django.contrib import admin, messages
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .models import Comment
from .services import comments_approve, comments_mark_spam, comments_reject


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = [
        "excerpt",
        "name",
        "email",
        "article_link",
        "status",
        "created_at",
        "ip_address",
    ]
    list_filter = ["status", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["article"]
    search_fields = ["name", "email", "body", "ip_address"]
    date_hierarchy = "created_at"
    actions = ["approve", "reject", "mark_spam"]
    readonly_fields = [
        "article_link",
        "ip_address",
        "user_agent",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
    fields = [
        "article_link",
        "name",
        "email",
        "body",
        "status",
        "created_at",
        "ip_address",
        "user_agent",
        "moderated_at",
        "moderated_by",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).moderation_first()

    def has_add_permission(self, request):
        # Comments come from readers, not from the admin.
        return False

    @admin.display(description=_("bình luận"))
    def excerpt(self, comment):
        return Truncator(comment.body).chars(90)

    @admin.display(description=_("bài viết"), ordering="article__title")
    def article_link(self, comment):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            comment.article.get_absolute_url(),
            Truncator(comment.article.title).chars(60),
        )

    def _moderate(self, request, queryset, service, message):
        count = service(comments=list(queryset), by=request.user)
        self.message_user(request, message(count), messages.SUCCESS)

    @admin.action(description=_("Duyệt, cho hiển thị"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(
            request,
            queryset,
            comments_approve,
            lambda n: (
                ngettext("Đã duyệt %d bình luận.", "Đã duyệt %d bình luận.", n) % n
            ),
        )

    @admin.action(description=_("Từ chối"), permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(
            request,
            queryset,
            comments_reject,
            lambda n: (
                ngettext("Đã từ chối %d bình luận.", "Đã từ chối %d bình luận.", n) % n
            ),
        )

    @admin.action(description=_("Đánh dấu là rác"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(
            request,
            queryset,
            comments_mark_spam,
            lambda n: (
                ngettext(
                    "Đã đánh dấu rác %d bình luận.", "Đã đánh dấu rác %d bình luận.", n
                )
                % n
            ),
        )
