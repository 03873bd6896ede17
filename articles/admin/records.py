"""The newsroom's records: the workflow's audit trail and corrections."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import AuditEntry, Correction
from ..services import correction_publish


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The workflow's record: read only, never deleted."""

    list_display = [
        "created_at",
        "article",
        "action",
        "from_status",
        "to_status",
        "actor",
    ]
    list_filter = ["action", "to_status", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["article", "actor"]
    search_fields = ["article__title", "note", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are published once and never edited or deleted."""

    list_display = ["__str__", "kind", "published_at", "is_standalone"]
    list_filter = ["kind", "is_standalone"]
    list_select_related = ["article"]
    search_fields = ["work_title", "text"]
    autocomplete_fields = ["article"]
    fields = [
        "article",
        "kind",
        "text",
        "false_content",
        "corrected_content",
        "is_standalone",
    ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        correction_publish(correction=obj, by=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CheckedForm(form):
            # The service's rules, shown on the form instead of as an error page.
            def _post_clean(self):
                super()._post_clean()
                article = self.cleaned_data.get("article")
                if article is not None and article.published_at is None:
                    self.add_error("article", _("Chỉ đính chính được bài đã xuất bản."))

        return CheckedForm
