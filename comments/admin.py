from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from paper.admin import OneRecordAdmin

from .models import Comment, CommentSettings, moderation_order
from .normalise import LINK
from .services import comments_approve, comments_mark_spam, comments_reject
from .spam import learn_from_decisions

# Longer comments are cut in the queue; the change page shows them whole.
_QUEUE_TEXT_CHARS = 1200


def highlight_links(text: str):
    """The text escaped, with every link wrapped in <mark> (never clickable)."""
    parts = []
    position = 0
    for match in LINK.finditer(text):
        parts.append(format_html("{}", text[position : match.start()]))
        parts.append(format_html('<mark class="comment-link">{}</mark>', match[0]))
        position = match.end()
    parts.append(format_html("{}", text[position:]))
    return format_html_join("", "{}", ((part,) for part in parts))


# Each decision: the service that applies it and the message it leaves.
_DECISIONS = {
    "approve": (
        comments_approve,
        lambda n: ngettext("Đã duyệt %d bình luận.", "Đã duyệt %d bình luận.", n) % n,
    ),
    "reject": (
        comments_reject,
        lambda n: (
            ngettext("Đã từ chối %d bình luận.", "Đã từ chối %d bình luận.", n) % n
        ),
    ),
    "mark_spam": (
        comments_mark_spam,
        lambda n: (
            ngettext(
                "Đã đánh dấu rác %d bình luận.", "Đã đánh dấu rác %d bình luận.", n
            )
            % n
        ),
    ),
}


class StatusFilter(admin.SimpleListFilter):
    """The queue opens on the comments waiting for a decision; the others are
    one click away."""

    title = _("trạng thái")
    # Django's own name for a status filter, so existing links keep working.
    parameter_name = "status__exact"
    ALL = "tat-ca"

    def lookups(self, request, model_admin):
        return [*Comment.Status.choices, (self.ALL, _("Tất cả"))]

    def value(self):
        return super().value() or Comment.Status.PENDING

    def queryset(self, request, queryset):
        if self.value() in Comment.Status.values:
            return queryset.filter(status=self.value())
        return queryset

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string(
                    {self.parameter_name: lookup}
                ),
                "display": title,
            }


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """The moderation queue: pending first, oldest first, one click per decision."""

    # The decision buttons sit under the text, where the eye already is; one
    # column fewer keeps the queue within a 1366-pixel laptop screen.
    list_display = [
        "comment_text",
        "author",
        "article_link",
        "sent_at",
        "status",
        "score",
    ]
    list_display_links = None
    list_filter = [
        StatusFilter,
        "is_newsroom",
        ("created_at", admin.DateFieldListFilter),
    ]
    list_select_related = ["article"]
    # Fifty pending comments fit on one page, so one "select all" clears them.
    list_per_page = 100
    search_fields = ["name", "email", "body", "ip_address", "article__title"]
    date_hierarchy = "created_at"
    actions = ["approve", "reject", "mark_spam"]
    readonly_fields = [
        "article_link",
        "parent",
        "is_newsroom",
        "held_reason",
        "spam_score",
        "report_count",
        "ip_address",
        "user_agent",
        "created_at",
        "moderated_at",
        "moderated_by",
    ]
    fields = [
        "article_link",
        "parent",
        "name",
        "email",
        "body",
        "status",
        "held_reason",
        "spam_score",
        "report_count",
        "is_newsroom",
        "created_at",
        "ip_address",
        "user_agent",
        "moderated_at",
        "moderated_by",
    ]

    class Media:
        js = ["comments/moderation.js"]

    def get_ordering(self, request):
        # The changelist replaces any queryset ordering with this one.
        return moderation_order()

    def has_add_permission(self, request):
        # Comments come from readers, not from the admin.
        return False

    def get_urls(self):
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [
            path(
                "<int:pk>/kiem-duyet/",
                decide,
                name="comments_comment_decide",
            ),
            *super().get_urls(),
        ]

    def decide_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """One click on a row: approve, reject or mark as spam, then back."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        comment = get_object_or_404(Comment, pk=pk)
        decision = _DECISIONS.get(request.POST.get("decision", ""))
        if decision is None:
            self.message_user(request, _("Thao tác không hợp lệ."), messages.ERROR)
        else:
            service, message = decision
            self.message_user(
                request, message(service(comments=[comment], by=request.user))
            )
        back = request.META.get("HTTP_REFERER", "")
        if url_has_allowed_host_and_scheme(
            back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(back)
        return redirect("admin:comments_comment_changelist")

    @admin.display(description=_("bình luận"))
    def comment_text(self, comment):
        text = highlight_links(Truncator(comment.body).chars(_QUEUE_TEXT_CHARS))
        reason = ""
        if comment.held_reason:
            reason = format_html(
                '<p class="comment-reason"><strong>{}</strong> {}</p>',
                _("Lý do giữ lại:"),
                comment.held_reason,
            )
        reply = ""
        if comment.parent_id:
            reply = format_html('<p class="comment-reply">{}</p>', _("↳ trả lời"))
        badge = ""
        if comment.is_newsroom:
            badge = format_html('<span class="comment-badge">{}</span> ', _("Tòa soạn"))
        return format_html(
            '{}{}<div class="comment-text">{}</div>{}{}',
            reply,
            badge,
            text,
            reason,
            self.row_actions(comment),
        )

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "status" in form.changed_data:
            # A decision taken in the change form teaches the filter too.
            learn_from_decisions([obj], obj.status)

    @admin.display(description=_("điểm rác"), ordering="-spam_score")
    def score(self, comment):
        if comment.spam_score is None:
            return "—"
        if comment.spam_score >= 80:
            level = "high"
        elif comment.spam_score >= 50:
            level = "medium"
        else:
            level = "low"
        return format_html(
            '<span class="spam-score spam-score--{}">{}</span>',
            level,
            comment.spam_score,
        )

    @admin.display(description=_("gửi lúc"), ordering="created_at")
    def sent_at(self, comment):
        sent = timezone.localtime(comment.created_at)
        return format_html(
            '<span class="comment-time">{}<br>{}</span>',
            f"{sent:%d/%m/%Y}",
            f"{sent:%H:%M}",
        )

    @admin.display(description=_("người gửi"), ordering="name")
    def author(self, comment):
        return format_html(
            '{}<br><a href="mailto:{}">{}</a><br><span class="comment-ip">{}</span>',
            comment.name,
            comment.email,
            comment.email,
            comment.ip_address or "—",
        )

    @admin.display(description=_("bài viết"), ordering="article__title")
    def article_link(self, comment):
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            comment.article.get_absolute_url(),
            Truncator(comment.article.title).chars(60),
        )

    def row_actions(self, comment):
        url = reverse("admin:comments_comment_decide", args=[comment.pk])
        buttons = [
            (url, "approve", "a", _("Duyệt"), comment.name),
            (url, "reject", "r", _("Từ chối"), comment.name),
            (url, "mark_spam", "s", _("Rác"), comment.name),
        ]
        row = format_html_join(
            "",
            '<button type="submit" class="button moderation-button" '
            'formaction="{}" formmethod="post" name="decision" value="{}" '
            'data-key="{}" aria-label="{} – {}">{}</button>',
            (
                (action_url, value, key, label, name, label)
                for action_url, value, key, label, name in buttons
            ),
        )
        edit = format_html(
            '<a href="{}">{}</a>',
            reverse("admin:comments_comment_change", args=[comment.pk]),
            _("Sửa"),
        )
        reply = ""
        if comment.status == Comment.Status.APPROVED and comment.parent_id is None:
            reply = format_html(
                ' · <a href="{}?tra-loi={}#gui-binh-luan" target="_blank">{}</a>',
                comment.article.get_absolute_url(),
                comment.pk,
                _("Trả lời"),
            )
        return format_html(
            '<div class="moderation-actions">{} {}{}</div>', row, edit, reply
        )

    def _moderate(self, request, queryset, decision: str):
        service, message = _DECISIONS[decision]
        count = service(comments=list(queryset), by=request.user)
        self.message_user(request, message(count), messages.SUCCESS)

    @admin.action(description=_("Duyệt, cho hiển thị"), permissions=["change"])
    def approve(self, request, queryset):
        self._moderate(request, queryset, "approve")

    @admin.action(description=_("Từ chối"), permissions=["change"])
    def reject(self, request, queryset):
        self._moderate(request, queryset, "reject")

    @admin.action(description=_("Đánh dấu là rác"), permissions=["change"])
    def mark_spam(self, request, queryset):
        self._moderate(request, queryset, "mark_spam")


@admin.register(CommentSettings)
class CommentSettingsAdmin(OneRecordAdmin):
    fieldsets = [
        (
            _("Kiểm duyệt"),
            {"fields": ["require_approval", "close_after_days", "report_threshold"]},
        ),
        (
            _("Chống rác"),
            {
                "fields": [
                    "spam_hold_score",
                    "spam_score_threshold",
                    "max_links",
                    "moderation_words",
                    "blocked_words",
                    "min_seconds_to_post",
                    "form_max_age_hours",
                    "duplicate_window_days",
                ]
            },
        ),
        (
            _("Giới hạn tần suất"),
            {
                "fields": [
                    "ip_per_minute",
                    "ip_per_day",
                    "email_per_minute",
                    "email_per_day",
                ]
            },
        ),
        (
            _("Email nhắc kiểm duyệt"),
            {"fields": ["notify_interval_minutes", "notify_emails", "digest_sent_at"]},
        ),
    ]
    readonly_fields = ["digest_sent_at"]
