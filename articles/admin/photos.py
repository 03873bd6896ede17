"""The photo library."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..forms import PhotoAdminForm
from ..models import Photo
from ..services import photo_delete, photo_make_renditions
from .shared import photo_thumbnail


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
                n_posters=Count("video_posters", distinct=True),
            )
            .annotate(
                n_uses=F("n_lead") + F("n_body") + F("n_gallery") + F("n_posters")
            )
        )

    @admin.display(description=_("ảnh"))
    def thumbnail(self, photo):
        return photo_thumbnail(photo)

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
        posters = list(photo.video_posters.only("id", "title"))
        if not uses and not posters:
            return _("Chưa dùng trong bài nào.")
        return format_html(
            "<ul>{}{}</ul>",
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
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_video_change", args=[video.pk]),
                        video.title,
                        _("ảnh bìa video"),
                    )
                    for video in posters
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
        except BaseException:
            # The request's transaction rolls the row back, not the file just
            # stored: it would stay reachable by URL with nothing naming it.
            if "image" in form.changed_data:
                default_storage.delete(obj.image.name)
            raise
        obj.refresh_from_db()
        prepared = form.prepared
        for note in prepared.notes if prepared else ():
            self.message_user(request, note, messages.INFO)
