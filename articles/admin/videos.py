"""The video library."""

from django.contrib import admin, messages
from django.db.models import Count, F
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..forms import VideoAdminForm
from ..models import Video
from ..services import video_delete, video_save
from .shared import photo_thumbnail


@admin.register(Video)
class VideoAdmin(admin.ModelAdmin):
    """The newsroom's MP4s and the YouTube and Facebook videos it shows."""

    form = VideoAdminForm
    list_display = [
        "thumbnail",
        "title",
        "kind",
        "duration_display",
        "use_count",
        "created_at",
    ]
    list_display_links = ["thumbnail", "title"]
    list_select_related = ["poster_photo"]
    list_filter = ["kind", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["title", "description", "credit"]
    date_hierarchy = "created_at"
    # The raw-id picker opens the photo library with thumbnails and search.
    raw_id_fields = ["poster_photo"]
    readonly_fields = ["poster_preview", "facts", "usage"]
    fieldsets = [
        (
            None,
            {
                "fields": ["title", "url", "file", "captions"],
                "description": _(
                    "Tải tệp MP4 của tòa soạn lên, hoặc dán liên kết YouTube hay "
                    "Facebook. Liên kết YouTube, Facebook dán riêng một đoạn trong "
                    "thân bài cũng thành khung video, với ảnh bìa chọn ở đây."
                ),
            },
        ),
        (
            _("Ảnh bìa"),
            {"fields": ["poster_photo", "poster_preview", "poster_upload"]},
        ),
        (_("Thông tin"), {"fields": ["description", "credit", "facts", "usage"]}),
    ]

    def get_queryset(self, request):
        # Uses counted in one query, for the list's "used" column.
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_lead=Count("led_articles", distinct=True),
                n_body=Count("uses", distinct=True),
            )
            .annotate(n_uses=F("n_lead") + F("n_body"))
        )

    @admin.display(description=_("ảnh bìa"))
    def thumbnail(self, video):
        return photo_thumbnail(video.poster_photo)

    @admin.display(description=_("ảnh bìa đang chọn"))
    def poster_preview(self, video):
        return photo_thumbnail(video.poster_photo, height=160)

    @admin.display(description=_("thời lượng"), ordering="duration")
    def duration_display(self, video):
        return video.duration_text or "—"

    @admin.display(description=_("số lần dùng"), ordering="n_uses")
    def use_count(self, video):
        return video.n_uses

    @admin.display(description=_("tệp"))
    def facts(self, video):
        if not video.pk:
            return "—"
        if video.kind != Video.Kind.FILE:
            return format_html(
                '{} <a href="{}" rel="noopener noreferrer">{}</a>',
                video.get_kind_display(),
                video.url,
                video.provider_id,
            )
        return format_html(
            "{} · {}×{} · {}",
            filesizeformat(video.file_size),
            video.width,
            video.height,
            video.duration_text or _("không rõ thời lượng"),
        )

    @admin.display(description=_("dùng trong các bài"))
    def usage(self, video):
        if not video.pk:
            return "—"
        uses = [
            (article, _("video đầu bài"))
            for article in video.led_articles.only("id", "title")
        ]
        uses += [
            (use.article, _("video trong bài"))
            for use in video.uses.select_related("article")
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

    def save_model(self, request, obj, form, change):
        video_save(video=obj, poster_upload=form.cleaned_data.get("poster_upload"))
        for note in form.notes:
            self.message_user(request, note, messages.INFO)

    def delete_model(self, request, obj):
        video_delete(video=obj)

    def delete_queryset(self, request, queryset):
        for video in queryset:
            video_delete(video=video)
