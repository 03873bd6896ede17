from django.contrib import admin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .models import SiteSettings


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
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

    def changelist_view(self, request, extra_context=None):
        # There is one record: the list would only ever show it.
        settings = SiteSettings.load()
        return redirect(reverse("admin:paper_sitesettings_change", args=[settings.pk]))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
