from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import CreditForm, PhotoAdminForm
from .models import (
    Article,
    ArticlePhoto,
    Contributor,
    Credit,
    GalleryPhoto,
    Photo,
    Section,
    Tag,
)
from .services import (
    article_publish,
    article_unpublish,
    photo_delete,
    photo_make_renditions,
)


def _thumbnail(photo: Photo | None, height: int = 60):
    if photo is None or not photo.image:
        return "—"
    # The smallest card rendition: the original may be megabytes.
    return format_html(
        '<img src="{}" alt="{}" style="height:{}px;width:auto;border-radius:3px">',
        photo.thumbnail_url,
        photo.alt_text,
        height,
    )


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "order", "article_count"]
    list_editable = ["order"]
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
    """The photo library: search by caption, credit and date; see where used."""

    form = PhotoAdminForm
    list_display = [
        "thumbnail",
        "__str__",
        "credit_display",
        "size",
        "use_count",
        "created_at",
    ]
    list_select_related = ["photographer"]
    search_fields = ["caption", "alt_text", "credit_text", "photographer__name"]
    list_filter = [("created_at", admin.DateFieldListFilter)]
    date_hierarchy = "created_at"
    autocomplete_fields = ["photographer"]
    readonly_fields = ["focal_point_picker", "width", "height", "usage"]
    fieldsets = [
        (None, {"fields": ["image", "staged_image", "caption", "alt_text"]}),
        (_("Nguồn ảnh"), {"fields": ["photographer", "credit_text"]}),
        (
            _("Tiêu điểm"),
            {
                "fields": ["focal_point_picker", ("focus_x", "focus_y")],
                "description": _(
                    "Bấm vào chủ thể của ảnh: ảnh thu nhỏ ở trang chủ và ảnh chia "
                    "sẻ lên mạng xã hội được cắt quanh điểm này."
                ),
            },
        ),
        (_("Thông tin"), {"fields": [("width", "height"), "usage"]}),
    ]

    class Media:
        js = ["js/focal-point.js"]
        css = {"all": ["css/focal-point.css"]}

    def get_queryset(self, request):
        # Uses are counted in one query, for the list's "used" column.
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_lead=Count("led_articles", distinct=True),
                n_body=Count("uses", distinct=True),
                n_gallery=Count("gallery_uses", distinct=True),
            )
            .annotate(n_uses=F("n_lead") + F("n_body") + F("n_gallery"))
        )

    @admin.display(description=_("ảnh"))
    def thumbnail(self, photo):
        return _thumbnail(photo)

    @admin.display(description=_("nguồn ảnh"))
    def credit_display(self, photo):
        return photo.credit

    @admin.display(description=_("kích thước"))
    def size(self, photo):
        return f"{photo.width}×{photo.height}"

    @admin.display(description=_("số lần dùng"), ordering="n_uses")
    def use_count(self, photo):
        return photo.n_uses

    @admin.display(description=_("xem trước – bấm vào chủ thể"))
    def focal_point_picker(self, photo):
        if not photo.pk or not photo.image:
            return _("Lưu ảnh trước, rồi đặt tiêu điểm.")
        return format_html(
            '<div class="focal-point" data-focal-point>'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-point__marker" aria-hidden="true"></span></div>',
            photo.picture("full").src,
            photo.alt_text,
            photo.width,
            photo.height,
        )

    @admin.display(description=_("dùng trong các bài"))
    def usage(self, photo):
        if not photo.pk:
            return "—"
        uses = [
            (article, _("ảnh đầu bài"))
            for article in photo.led_articles.only("id", "title")
        ]
        uses += [
            (use.article, _("ảnh trong bài"))
            for use in photo.uses.select_related("article")
        ]
        uses += [
            (use.article, _("phóng sự ảnh"))
            for use in photo.gallery_uses.select_related("article")
        ]
        if not uses:
            return _("Chưa dùng trong bài nào.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[article.pk]),
                        article.title,
                        where,
                    )
                    for article, where in uses
                ),
            ),
        )

    def delete_model(self, request, obj):
        photo_delete(photo=obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            photo_delete(photo=photo)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        staged = getattr(form.cleaned_data.get("image"), "staged_name", None)
        if staged:
            # The kept upload now lives in the library under its own name.
            transaction.on_commit(lambda: default_storage.delete(staged))
        try:
            photo_make_renditions(photo=obj)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        obj.refresh_from_db()
        prepared = form.prepared
        for note in prepared.notes if prepared else ():
            self.message_user(request, note, messages.INFO)


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


class GalleryPhotoInline(admin.TabularInline):
    """A photo story: pictures shown in order, each with its caption."""

    model = GalleryPhoto
    extra = 0
    raw_id_fields = ["photo"]
    readonly_fields = ["preview"]
    fields = ["order", "photo", "preview", "caption"]

    @admin.display(description=_("xem trước"))
    def preview(self, use):
        return _thumbnail(use.photo if use.photo_id else None)


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "section", "status", "published_at", "authors"]
    list_filter = ["status", "kind", "section"]
    list_select_related = ["section"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section"]
    # The raw-id picker opens the photo library with thumbnails and search.
    raw_id_fields = ["lead_photo"]
    readonly_fields = ["lead_photo_preview", "created_at", "updated_at"]
    inlines = [CreditInline, ArticlePhotoInline, GalleryPhotoInline]
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
