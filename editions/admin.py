"""The print edition in the admin: the chief editor uploads each issue's PDF."""

from django.contrib import admin, messages
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import IssueAdminForm
from .models import Issue
from .services import issue_delete, issue_queue_render, issue_save


def _thumbnail(page, height: int) -> str:
    return format_html(
        '<img src="{}" alt="{}" style="height:{}px;width:auto;border:1px solid #ccc">',
        page.thumb.url,
        page,
        height,
    )


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin):
    form = IssueAdminForm
    list_display = [
        "cover",
        "__str__",
        "date",
        "number",
        "page_count",
        "status_display",
        "is_published",
        "created_at",
    ]
    list_display_links = ["cover", "__str__"]
    list_filter = ["status", "is_published", ("date", admin.DateFieldListFilter)]
    date_hierarchy = "date"
    search_fields = ["number"]
    actions = ["render_again"]
    readonly_fields = ["status_display", "page_count", "pdf_weight", "pages_preview"]
    fieldsets = [
        (None, {"fields": ["date", "number", "pdf", "is_published"]}),
        (
            _("Xử lý"),
            {
                "fields": [
                    "status_display",
                    ("page_count", "pdf_weight"),
                    "pages_preview",
                ],
                "description": _(
                    "Các trang được làm thành ảnh sau khi tải lên, thường trong vài "
                    "chục giây; số báo hiện cho bạn đọc khi xong."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_cover()

    @admin.display(description=_("trang nhất"))
    def cover(self, issue: Issue):
        return _thumbnail(issue.cover, 80) if issue.cover else "—"

    @admin.display(description=_("xử lý"), ordering="status")
    def status_display(self, issue: Issue):
        if issue.status == Issue.Status.FAILED:
            return format_html(
                '<strong style="color:#b00020">{}</strong>: {}',
                issue.get_status_display(),
                issue.error,
            )
        return issue.get_status_display()

    @admin.display(description=_("dung lượng PDF"))
    def pdf_weight(self, issue: Issue):
        return filesizeformat(issue.pdf_size) if issue.pdf_size else "—"

    @admin.display(description=_("các trang"))
    def pages_preview(self, issue: Issue):
        if not issue.pk or not issue.page_count:
            return "—"
        return format_html(
            '<div style="display:flex;flex-wrap:wrap;gap:8px">{}</div>',
            format_html_join(
                "",
                '<a href="{}">{}</a>',
                (
                    (page.get_absolute_url(), _thumbnail(page, 120))
                    for page in issue.pages.select_related("issue")
                ),
            ),
        )

    def save_model(self, request, obj, form, change):
        issue_save(issue=obj, pdf_changed="pdf" in form.changed_data, by=request.user)
        if "pdf" in form.changed_data:
            messages.info(
                request,
                _(
                    "Đã nhận tệp PDF. Các trang đang được làm thành ảnh; số báo hiện "
                    "cho bạn đọc khi xong."
                ),
            )

    def delete_model(self, request, obj):
        issue_delete(issue=obj)

    def delete_queryset(self, request, queryset):
        for issue in queryset:
            issue_delete(issue=issue)

    @admin.action(description=_("Làm lại ảnh các trang"), permissions=["change"])
    def render_again(self, request, queryset):
        count = 0
        for issue in queryset:
            issue_queue_render(issue=issue)
            count += 1
        self.message_user(
            request,
            ngettext(
                "Đã xếp %(count)d số báo để làm lại ảnh.",
                "Đã xếp %(count)d số báo để làm lại ảnh.",
                count,
            )
            % {"count": count},
        )
