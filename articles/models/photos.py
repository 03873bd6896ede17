"""The photo library and each use of a photo in an article."""

from dataclasses import dataclass

from django.core.files.storage import default_storage
from django.core.signals import setting_changed
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.fields.files import ImageFieldFile
from django.dispatch import receiver
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from paper.fields import PlainCharField

from .people import Contributor

_PICTURES: dict[tuple, "Picture"] = {}  # per process; see Photo.picture
_PICTURES_MAX = 5000


@receiver(setting_changed)
def _forget_pictures(*, setting, **kwargs):
    # The URLs kept in _PICTURES were built by the storage the settings named.
    if setting in ("STORAGES", "MEDIA_URL"):
        _PICTURES.clear()


@dataclass(frozen=True)
class Picture:
    """What a <picture> element needs: srcsets per format, fallback and size."""

    src: str
    width: int
    height: int
    webp_srcset: str = ""
    jpeg_srcset: str = ""


class _MeasuredImageFile(ImageFieldFile):
    """Notes the byte size of a file as it is stored, on the model's
    ``file_size``: the feed's enclosure then needs no request to the storage
    (on S3 every ``size()`` is one)."""

    def save(self, name, content, save=True):
        size = content.size  # the content in hand, before it is sent
        super().save(name, content, save=False)
        self.instance.file_size = size
        if save:
            self.instance.save()


class MeasuredImageField(models.ImageField):
    attr_class = _MeasuredImageFile


class Photo(models.Model):
    """A photo in the library. One photo may lead or illustrate many articles.

    The stored ``image`` is the cleaned original (see articles/images.py); its
    renditions are listed in ``renditions`` so a page needs no query for them.
    """

    image = MeasuredImageField(
        _("tệp ảnh"),
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("rộng (px)"), editable=False, default=0)
    height = models.PositiveIntegerField(_("cao (px)"), editable=False, default=0)
    # Written when the file is stored (the field's pre_save, which runs
    # before this field's value is read: keep it declared after ``image``).
    file_size = models.PositiveIntegerField(
        _("dung lượng (byte)"), editable=False, default=0
    )
    caption = PlainCharField(_("chú thích"), max_length=500, blank=True)
    alt_text = PlainCharField(
        _("mô tả cho người khiếm thị"),
        max_length=300,
        help_text=_("Tả ngắn gọn nội dung ảnh cho người không xem được ảnh."),
    )
    photographer = models.ForeignKey(
        Contributor,
        verbose_name=_("người chụp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="photos",
    )
    credit_text = PlainCharField(
        _("nguồn ảnh"),
        max_length=120,
        blank=True,
        help_text=_("Khi ảnh không do phóng viên của báo chụp, ví dụ “TTXVN”."),
    )
    # The subject, as fractions of width and height from the top left corner:
    # crops for cards and share images keep this point in frame.
    focus_x = models.FloatField(
        _("tiêu điểm ngang"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("Bấm vào chủ thể trên ảnh xem trước để đặt tiêu điểm."),
    )
    focus_y = models.FloatField(
        _("tiêu điểm dọc"),
        default=0.5,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    # {"key": ..., "full": {"webp": [[width, height, name], ...], "jpeg": [...]},
    #  "card": {...}, "share": {...}}, written by services.photo_make_renditions.
    renditions = models.JSONField(
        _("các bản thu nhỏ"), default=dict, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The photo library lists and filters by upload date.
            models.Index(fields=["-created_at"], name="photo_created_idx"),
        ]

    def __str__(self) -> str:
        return Truncator(self.caption or self.alt_text).chars(80)

    def save(self, *args, update_fields=None, **kwargs):
        if update_fields is not None and "image" in update_fields:
            # A new file comes with its size.
            update_fields = {*update_fields, "file_size"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self) -> str:
        return self.image.url

    def purge_keys(self) -> set[str]:
        return {f"photo:{self.pk}"}

    def picture(self, crop: str) -> Picture:
        """The ``crop`` ("full" or "card") renditions; the original until made."""
        made = self.renditions.get(crop) or {}
        jpeg, webp = made.get("jpeg") or [], made.get("webp") or []
        if not jpeg:
            return Picture(self.image.url, self.width, self.height)
        # The renditions key names the file, focal point and renditions
        # version: the same key always gives the same URLs. A home page prints
        # some 40 pictures of 10 URLs each; building them took a fifth of its
        # time (storage.url is a urljoin per file).
        memo_key = (self.renditions.get("key"), self.image.name, crop)
        found = _PICTURES.get(memo_key)
        if found is None:
            found = self._picture(jpeg, webp)
            if len(_PICTURES) >= _PICTURES_MAX:
                _PICTURES.clear()
            _PICTURES[memo_key] = found
        return found

    @staticmethod
    def _picture(jpeg: list, webp: list) -> Picture:

        def srcset(entries) -> str:
            return ", ".join(
                f"{default_storage.url(name)} {width}w" for width, _h, name in entries
            )

        # The fallback src is a middle width: good enough for old browsers.
        middle = jpeg[min(1, len(jpeg) - 1)]
        largest = jpeg[-1]
        return Picture(
            src=default_storage.url(middle[2]),
            width=largest[0],
            height=largest[1],
            webp_srcset=srcset(webp),
            jpeg_srcset=srcset(jpeg),
        )

    @property
    def full_picture(self) -> Picture:
        return self.picture("full")

    @property
    def card_picture(self) -> Picture:
        return self.picture("card")

    @property
    def thumbnail_url(self) -> str:
        """The smallest card crop, for the admin's lists and pickers."""
        jpeg = (self.renditions.get("card") or {}).get("jpeg")
        return default_storage.url(jpeg[0][2]) if jpeg else self.image.url

    @property
    def share_image_url(self) -> str:
        """A 1200×630 crop around the focal point, for og:image."""
        return self.share_image[0]

    @property
    def share_image(self) -> tuple[str, int, int]:
        """(url, width, height) of the share crop, or of the original without one."""
        jpeg = (self.renditions.get("share") or {}).get("jpeg")
        if jpeg:
            width, height, name = jpeg[-1]
            return default_storage.url(name), width, height
        return self.image.url, self.width, self.height

    @property
    def credit(self) -> str:
        """The photo credit as printed under the picture."""
        if self.photographer_id:
            return self.photographer.name
        return self.credit_text


class PhotoUse(models.Model):
    """One use of a library photo in an article, with its own caption if any."""

    caption = PlainCharField(
        _("chú thích trong bài này"),
        max_length=500,
        blank=True,
        help_text=_("Để trống để dùng chú thích sẵn có của ảnh."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.photo)

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()

    def purge_keys(self) -> set[str]:
        return {f"article:{self.article_id}"}

    @property
    def shown_caption(self) -> str:
        return self.caption or self.photo.caption


class ArticlePhoto(PhotoUse):
    """A library photo placed inside an article's body, as a figure."""

    article = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="body_photos"
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("ảnh"), on_delete=models.PROTECT, related_name="uses"
    )
    after_paragraph = models.PositiveSmallIntegerField(
        _("đặt sau đoạn"),
        default=1,
        help_text=_("Số thứ tự đoạn văn mà ảnh đứng sau; 0 là đầu thân bài."),
    )
    is_wide = models.BooleanField(
        _("ảnh rộng"),
        default=False,
        help_text=_("Trong bài E-magazine, ảnh vượt ra ngoài cột chữ."),
    )

    class Meta:
        verbose_name = _("ảnh trong bài")
        verbose_name_plural = _("ảnh trong bài")
        ordering = ["after_paragraph", "id"]


class GalleryPhoto(PhotoUse):
    """One picture of a photo story (phóng sự ảnh), shown in order after the body."""

    article = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="gallery_photos"
    )
    photo = models.ForeignKey(
        Photo,
        verbose_name=_("ảnh"),
        on_delete=models.PROTECT,
        related_name="gallery_uses",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("ảnh trong phóng sự ảnh")
        verbose_name_plural = _("phóng sự ảnh")
        ordering = ["order", "id"]
