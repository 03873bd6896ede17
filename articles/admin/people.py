"""Where articles live and who makes them: sections, contributors, tags."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag as TaggitTag

from ..models import Contributor, Section, Tag
from .shared import VietnameseSlugMixin

# Articles use their own Tag model; taggit's generic one stays empty.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)


@admin.register(Section)
class SectionAdmin(VietnameseSlugMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "parent",
        "order",
        "is_on_home",
        "home_order",
        "article_count",
    ]
    list_editable = ["order", "is_on_home", "home_order"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description=_("số bài"), ordering="n_articles")
    def article_count(self, section):
        return section.n_articles


@admin.register(Contributor)
class ContributorAdmin(VietnameseSlugMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Tag)
class TagAdmin(VietnameseSlugMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
