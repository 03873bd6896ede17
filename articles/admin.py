from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import CreditForm
from .models import Article, ArticlePhoto, Contributor, Credit, Photo, Section, Tag
from .services import article_publish, article_unpublish


def _thumbnail(photo: Photo | None, height: int = 60):
    if photo is None or not photo.image:
        return "—"
    return format_html(
        '<img src="{}" alt="{}" style="height:{}px;width:auto;border-radius:3px">',
        photo.image.url,
        photo.alt_text,
        height,
    )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
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
class ContributorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    list_display = ["thumbnail", "__str__", "credit_display", "size", "created_at"]
    list_select_related = ["photographer"]
    search_fields = ["caption", "alt_text", "credit_text", "photographer__name"]
    list_filter = [("created_at", admin.DateFieldListFilter)]
    date_hierarchy = "created_at"
    autocomplete_fields = ["photographer"]
    readonly_fields = ["preview", "width", "height"]
    fields = [
        "image",
        "preview",
        "caption",
        "alt_text",
        "photographer",
        "credit_text",
        "width",
        "height",
    ]

    @admin.display(description=_("ảnh"))
    def thumbnail(self, photo):
        return _thumbnail(photo)

    @admin.display(description=_("xem trước"))
    def preview(self, photo):
        return _thumbnail(photo, height=240)

    @admin.display(description=_("nguồn ảnh"))
    def credit_display(self, photo):
        return photo.credit

    @admin.display(description=_("kích thước"))
    def size(self, photo):
        return f"{photo.width}×{photo.height}"


class CreditInline(admin.TabularInline):
    model = Credit
    form = CreditForm
    extra = 1
    autocomplete_fields = ["contributor"]


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    extra = 0
    raw_id_fields = ["photo"]
    readonly_fields = ["preview"]
    fields = ["photo", "preview", "after_paragraph", "caption"]

    @admin.display(description=_("xem trước"))
    def preview(self, use):
        return _thumbnail(use.photo if use.photo_id else None)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "section",
        "status",
        "published_at",
        "home_placement",
        "is_breaking",
        "authors",
    ]
    list_filter = ["status", "kind", "home_placement", "is_breaking", "section"]
    list_select_related = ["section"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "related_articles"]
    # The raw-id picker opens the photo library with thumbnails and search.
    raw_id_fields = ["lead_photo"]
    readonly_fields = ["lead_photo_preview", "created_at", "updated_at"]
    inlines = [CreditInline, ArticlePhotoInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "kind", "section", "lead", "body", "tags"]},
        ),
        (
            _("Ảnh đầu bài"),
            {"fields": ["lead_photo", "lead_photo_preview", "lead_photo_caption"]},
        ),
        (_("Nguồn"), {"fields": ["source_name", "source_url"]}),
        (
            _("Trang chủ và tin liên quan"),
            {
                "fields": [
                    "home_placement",
                    ("is_breaking", "breaking_until"),
                    "related_articles",
                ],
                "description": _(
                    "Tin nóng hiện ở dải đầu trang chủ đến hết thời hạn; trên trang "
                    "chủ không bài nào lặp lại, nên bài đang là tin nóng không hiện "
                    "lại ở vị trí khác. Bài liên quan chọn ở đây đứng trước các bài "
                    "tự tìm theo từ khóa và chuyên mục."
                ),
            },
        ),
        (
            _("Xuất bản"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "is_commentable",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("credits__contributor")

    @admin.display(description=_("tác giả"))
    def authors(self, article):
        return ", ".join(credit.contributor.name for credit in article.credits.all())

    @admin.display(description=_("ảnh đang chọn"))
    def lead_photo_preview(self, article):
        return _thumbnail(article.lead_photo, height=160)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for article in queryset:
            try:
                service(article=article, by=request.user)
            except ValidationError as error:
                self.message_user(
                    request, f"{article}: {'; '.join(error.messages)}", messages.ERROR
                )
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Xuất bản các bài đã chọn"), permissions=["change"])
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            article_publish,
            lambda n: ngettext("Đã xuất bản %d bài.", "Đã xuất bản %d bài.", n) % n,
        )

    @admin.action(description=_("Gỡ xuống thành bản nháp"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._apply(
            request,
            queryset,
            article_unpublish,
            lambda n: ngettext("Đã gỡ %d bài.", "Đã gỡ %d bài.", n) % n,
        )


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
