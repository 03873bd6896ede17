from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .fields import PlainCharField


class SiteSettings(models.Model):
    """The paper's masthead and legal footer; there is only ever one row.

    Vietnamese law asks an electronic newspaper to show its governing body,
    licence, editor-in-chief and contacts on every page.
    """

    name = PlainCharField(_("tên báo"), max_length=120, default="Tòa soạn")
    tagline = PlainCharField(_("khẩu hiệu"), max_length=200, blank=True)
    governing_body = PlainCharField(_("cơ quan chủ quản"), max_length=200, blank=True)
    licence = PlainCharField(_("giấy phép"), max_length=200, blank=True)
    editor_in_chief = PlainCharField(_("tổng biên tập"), max_length=120, blank=True)
    address = PlainCharField(_("địa chỉ"), max_length=250, blank=True)
    phone = PlainCharField(_("điện thoại"), max_length=60, blank=True)
    email = models.EmailField(_("email"), blank=True)
    tip_hotline = PlainCharField(
        _("đường dây nóng nhận tin"), max_length=60, blank=True
    )
    advertising_contact = PlainCharField(
        _("liên hệ quảng cáo"), max_length=200, blank=True
    )

    class Meta:
        # The table was made when the model lived in newsroom/; moving the model
        # to this app kept the table and its row.
        db_table = "newsroom_sitesettings"
        verbose_name = _("thông tin tòa soạn")
        verbose_name_plural = _("thông tin tòa soạn")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:home")

    def purge_keys(self) -> set[str]:
        # The masthead and the legal footer are on every page.
        return {"site"}

    @classmethod
    def load(cls) -> "SiteSettings":
        """The one row, created with defaults on first use. Read first: a
        reader's page may read it from a replica (get_or_create asks the
        primary)."""
        settings = cls.objects.filter(pk=1).first()
        return settings or cls.objects.get_or_create(pk=1)[0]
