from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.utils.html import format_html

from .models import Imported, Redirect

# What a redirect may lead to: the paper's pages (articles' models).
REDIRECT_TARGETS = ["article", "section", "photo", "contributor", "tag", "correction"]


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "shown_location", "content_type", "created_at"]
    # Only the kinds some redirect leads to, not every model of every app.
    list_filter = [("content_type", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["old_path", "target_url"]
    date_hierarchy = "created_at"
    list_select_related = ["content_type"]
    fields = ["old_path", "target_url", "content_type", "object_id"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "content_type":
            # A redirect leads to a page of the paper: a story, a section, a
            # photo... not to a session or a permission.
            kwargs["queryset"] = ContentType.objects.filter(
                app_label="articles", model__in=REDIRECT_TARGETS
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="chuyển tới")
    def shown_location(self, redirect: Redirect) -> str:
        location = redirect.location
        return (
            format_html('<a href="{}">{}</a>', location, location) if location else "—"
        )


@admin.register(Imported)
class ImportedAdmin(admin.ModelAdmin):
    list_display = ["kind", "wp_id", "content_type", "object_id", "imported_at"]
    list_filter = ["kind"]
    search_fields = ["wp_id"]
    list_select_related = ["content_type"]
    readonly_fields = [f.name for f in Imported._meta.fields]

    def has_add_permission(self, request) -> bool:
        # The import's own bookkeeping: written by the command only.
        return False
