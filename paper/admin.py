from importlib import import_module

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from js_asset import Media

from .models import SiteSettings


class NonceMediaMixin:
    """For a change form with inline scripts (the body editor's import map):
    they carry this response's nonce, the only inline scripts the admin's
    Content-Security-Policy lets run (paper.middleware)."""

    def render_change_form(self, request, context, *args, **kwargs):
        context["media"] = Media.from_media(
            context["media"], nonce=getattr(request, "csp_nonce", "")
        )
        return super().render_change_form(request, context, *args, **kwargs)


class OneRecordAdmin(admin.ModelAdmin):
    """Settings kept in one row (the model's ``load()``): its list would only
    ever show that row, so the list opens it; nobody adds or deletes it."""

    def changelist_view(self, request, extra_context=None):
        # Asked first: the redirect must not tell who may not see the row.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.model._meta
        return redirect(
            f"admin:{opts.app_label}_{opts.model_name}_change", self.model.load().pk
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SiteSettings)
class SiteSettingsAdmin(OneRecordAdmin):
    fieldsets = [
        (None, {"fields": ["name", "tagline"]}),
        (
            _("Thông tin pháp lý"),
            {"fields": ["governing_body", "licence", "editor_in_chief"]},
        ),
        (
            _("Liên hệ"),
            {
                "fields": [
                    "address",
                    "phone",
                    "email",
                    "tip_hotline",
                    "advertising_contact",
                ]
            },
        ),
    ]


# The task queue's own admin pages are in English and for developers; the
# newsroom never needs them: a task that fails for good is logged as an error
# (paper/tasks.py) and a stopped worker shows in /healthz. Imported first so
# that it is registered, whichever app's admin module loads first.
admin.site.unregister(import_module("django_tasks_db.admin").DBTaskResult)
