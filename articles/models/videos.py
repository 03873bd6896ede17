"""The video library and each video placed inside an article's body.

A library video is either a file the newsroom uploaded (MP4, served from the
paper's own media storage) or a YouTube or Facebook video, known by its id.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from paper.fields import PlainCharField, PlainTextField

from ..video_links import NotAVideoLink, VideoLink, parse_video_url
from .photos import Photo


class VideoQuerySet(models.QuerySet):
    def for_links(self, links: Iterable[VideoLink]) -> "VideoQuerySet":
        """The library's entries for these YouTube or Facebook videos, with
        their posters: one query, through the (kind, provider_id) index."""
        wanted = Q()
        for link in links:
            wanted |= Q(kind=link.provider, provider_id=link.id)
        if not wanted:
            return self.none()
        return self.filter(wanted).select_related("poster_photo")


class Video(models.Model):
    class Kind(models.TextChoices):
        FILE = "file", _("Tệp MP4 của tòa soạn")
        YOUTUBE = "youtube", _("YouTube")
        FACEBOOK = "facebook", _("Facebook")

    title = PlainCharField(_("tiêu đề"), max_length=250)
    description = PlainTextField(
        _("mô tả"),
        max_length=1000,
        blank=True,
        help_text=_("Một hai câu về nội dung video, cho máy tìm kiếm và chú thích."),
    )
    credit = PlainCharField(
        _("nguồn video"),
        max_length=120,
        blank=True,
        help_text=_("Người quay hoặc nơi cung cấp, ví dụ “Hữu Hiệp” hoặc “THVL”."),
    )
    # Written by clean() from what was given: a file or a link.
    kind = models.CharField(
        _("loại"), max_length=10, choices=Kind.choices, editable=False
    )
    file = models.FileField(
        _("tệp video MP4"), upload_to="videos/%Y/%m/", blank=True, max_length=200
    )
    file_size = models.PositiveBigIntegerField(
        _("dung lượng (byte)"), default=0, editable=False
    )
    width = models.PositiveIntegerField(_("rộng (px)"), default=0, editable=False)
    height = models.PositiveIntegerField(_("cao (px)"), default=0, editable=False)
    # Read from the file's index at upload; unknown for YouTube and Facebook.
    duration = models.DurationField(_("thời lượng"), null=True, editable=False)
    captions = models.FileField(
        _("phụ đề (WebVTT)"),
        upload_to="videos/captions/%Y/%m/",
        blank=True,
        max_length=200,
        help_text=_("Tệp .vtt tiếng Việt; bạn đọc bật tắt phụ đề trên trình phát."),
    )
    url = models.URLField(
        _("liên kết YouTube hoặc Facebook"),
        max_length=500,
        blank=True,
        help_text=_("Dán liên kết video; để trống khi tải tệp MP4 lên."),
    )
    provider_id = models.CharField(
        _("mã video"), max_length=64, blank=True, editable=False
    )
    poster_photo = models.ForeignKey(
        Photo,
        verbose_name=_("ảnh bìa"),
        null=True,
        blank=True,
        # A poster in use stays in the photo library, like a photo in a body.
        on_delete=models.PROTECT,
        related_name="video_posters",
        help_text=_("Ảnh hiện trước khi bạn đọc bấm phát."),
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    objects = VideoQuerySet.as_manager()

    class Meta:
        verbose_name = _("video")
        verbose_name_plural = _("video")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A pasted link finds its library entry by this pair (the unique
            # index serves the article page's lookup).
            models.UniqueConstraint(
                fields=["kind", "provider_id"],
                condition=~Q(provider_id=""),
                name="video_link_once",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return self.file.url if self.kind == self.Kind.FILE else self.url

    def purge_keys(self) -> set[str]:
        # Pages with a pasted link show "video-links": a library entry made
        # or changed for that link changes their poster and title.
        return {f"video:{self.pk}", "video-links"}

    @property
    def link(self) -> VideoLink | None:
        """The YouTube or Facebook video, or None for the newsroom's own file."""
        if self.kind == self.Kind.FILE or not self.url:
            return None
        # Stored in its canonical spelling by clean(): parsing it again is
        # string work, and keeps shorts and reels upright.
        return parse_video_url(self.url)

    @property
    def duration_text(self) -> str:
        """ "2:05", "1:02:05": as players print it."""
        if not self.duration:
            return ""
        minutes, seconds = divmod(int(self.duration.total_seconds()), 60)
        hours, minutes = divmod(minutes, 60)
        if hours:
            return f"{hours}:{minutes:02d}:{seconds:02d}"
        return f"{minutes}:{seconds:02d}"

    def clean(self):
        if self.url and self.file:
            raise ValidationError(
                _("Chọn một: tải tệp MP4 lên hoặc dán liên kết, không cả hai.")
            )
        if not self.url and not self.file:
            raise ValidationError(
                _("Hãy tải tệp MP4 lên hoặc dán liên kết YouTube hay Facebook.")
            )
        if self.file:
            self.kind, self.provider_id = self.Kind.FILE, ""
            return
        try:
            link = parse_video_url(self.url)
        except NotAVideoLink as error:
            raise ValidationError({"url": error.message}) from None
        if self.captions:
            raise ValidationError(
                {
                    "captions": _(
                        "Phụ đề chỉ dùng cho video tải lên; YouTube và Facebook "
                        "có phụ đề riêng."
                    )
                }
            )
        # Stored in one spelling whatever was pasted (youtu.be, m., shorts).
        self.kind, self.provider_id = link.provider, link.id
        self.url = link.watch_url
        self.duration = None
        taken = (
            Video.objects.filter(kind=self.kind, provider_id=self.provider_id)
            .exclude(pk=self.pk)
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "url": _("Video này đã có trong thư viện: “%(title)s”.")
                    % {"title": taken.title}
                }
            )


class ArticleVideo(models.Model):
    """A library video placed inside an article's body, like a body photo."""

    article = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="body_videos"
    )
    video = models.ForeignKey(
        Video, verbose_name=_("video"), on_delete=models.PROTECT, related_name="uses"
    )
    after_paragraph = models.PositiveSmallIntegerField(
        _("đặt sau đoạn"),
        default=1,
        help_text=_("Số thứ tự đoạn văn mà video đứng sau; 0 là đầu thân bài."),
    )
    caption = PlainCharField(
        _("chú thích trong bài này"),
        max_length=500,
        blank=True,
        help_text=_("Để trống để dùng mô tả hoặc tiêu đề của video."),
    )

    class Meta:
        verbose_name = _("video trong bài")
        verbose_name_plural = _("video trong bài")
        ordering = ["after_paragraph", "id"]

    def __str__(self) -> str:
        return str(self.video)

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()

    def purge_keys(self) -> set[str]:
        return {f"article:{self.article_id}"}

    @property
    def shown_caption(self) -> str:
        return self.caption or self.video.description or self.video.title
