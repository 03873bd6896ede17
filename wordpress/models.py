"""What the WordPress import remembers: which row came from which WordPress id,
and where the old site's addresses now lead."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Imported(models.Model):
    """One WordPress object (post, term, author, attachment, comment...) and
    the row it became here.

    A table of its own rather than ``wp_id`` columns on articles, sections,
    photos and comments: the domain apps know nothing of WordPress (arrows
    point one way), one unique constraint covers every kind, and the digest of
    what was imported lets a second run skip what did not change.
    """

    class Kind(models.TextChoices):
        AUTHOR = "author", _("tác giả")
        CATEGORY = "category", _("chuyên mục")
        TAG = "tag", _("từ khóa")
        ATTACHMENT = "attachment", _("tệp đính kèm")
        # A file under wp-content/uploads, by its path: body images that are
        # not (or no longer) attachments still map to one photo.
        FILE = "file", _("tệp ảnh")
        POST = "post", _("bài")
        PAGE = "page", _("trang")
        COMMENT = "comment", _("bình luận")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices)
    # WordPress's numeric id as text; the upload path for files.
    wp_id = models.CharField(_("mã WordPress"), max_length=500)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # A hash of the WordPress fields the row was made from: unchanged items
    # are skipped on the next run.
    digest = models.CharField(max_length=64, blank=True)
    imported_at = models.DateTimeField(_("nhập lúc"), auto_now=True)

    class Meta:
        verbose_name = _("mục đã nhập từ WordPress")
        verbose_name_plural = _("mục đã nhập từ WordPress")
        ordering = ["kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "wp_id"], name="imported_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.wp_id}"

    def get_absolute_url(self) -> str:
        return self.target.get_absolute_url() if self.target else ""


class Redirect(models.Model):
    """An old address of the WordPress site, answered with a 301.

    Only when nothing here answers it (see ``middleware``): a redirect never
    hides a page of the paper.
    """

    old_path = models.CharField(
        _("đường dẫn cũ"),
        max_length=500,
        unique=True,
        help_text=_("Ví dụ: /2024/05/03/ten-bai/ hoặc /?p=123"),
    )
    target_url = models.CharField(
        _("chuyển tới địa chỉ"),
        max_length=500,
        blank=True,
        help_text=_("Để trống khi chuyển tới một bài, chuyên mục hay ảnh bên dưới."),
    )
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("loại nội dung"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    object_id = models.PositiveBigIntegerField(_("mã nội dung"), null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("chuyển hướng")
        verbose_name_plural = _("chuyển hướng")
        ordering = ["old_path"]

    def __str__(self) -> str:
        return f"{self.old_path} → {self.location or '?'}"

    def get_absolute_url(self) -> str:
        return self.old_path

    @property
    def location(self) -> str:
        """Where the old address leads now; empty if its target is gone."""
        if self.target_url:
            return self.target_url
        target = self.target
        return target.get_absolute_url() if target is not None else ""

    @staticmethod
    def normalise(path: str) -> str:
        """The stored form of a path: one trailing slash, as WordPress links."""
        if "?" in path or path.rsplit("/", 1)[-1].count("."):
            return path  # "/?p=1", a file: as they are
        return path.rstrip("/") + "/"
