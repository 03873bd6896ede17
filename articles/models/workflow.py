"""The newsroom's records: revisions, the audit trail and corrections."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from paper.fields import PlainCharField, PlainTextField

from .articles import Article


class ArticleRevision(models.Model):
    """A frozen copy of an article's fields, kept at every save.

    Never changed after it is written: together with the audit entries it is
    the record of what readers saw, and when (kept for at least 12 months; the
    admin offers no way to edit or delete it).
    """

    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="revisions",
    )
    number = models.PositiveIntegerField(_("phiên bản số"))
    # The article's ``version`` this revision froze: how a refused save finds
    # the revision its editor had opened.
    article_version = models.PositiveIntegerField(_("số lần lưu"), default=0)
    status = models.CharField(
        _("trạng thái khi lưu"), max_length=20, choices=Article.Status.choices
    )
    # True when readers could see this version at the moment it was saved.
    was_public = models.BooleanField(_("bạn đọc đang thấy"), default=False)
    data = models.JSONField(_("nội dung"))
    note = PlainCharField(_("ghi chú"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("lưu lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lưu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("phiên bản bài viết")
        verbose_name_plural = _("phiên bản bài viết")
        ordering = ["article", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "number"], name="revision_number_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article_id} #{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("admin:articles_article_revisions", args=[self.article_id])


class AuditEntry(models.Model):
    """Who moved an article from which state to which, when, and why."""

    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        # An article with a history is never deleted: the history is evidence.
        on_delete=models.PROTECT,
        related_name="audit_entries",
    )
    action = models.CharField(_("thao tác"), max_length=30)
    from_status = models.CharField(
        _("từ trạng thái"), max_length=20, choices=Article.Status.choices
    )
    to_status = models.CharField(
        _("sang trạng thái"), max_length=20, choices=Article.Status.choices
    )
    note = PlainTextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(_("lúc"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Để trống khi hệ thống tự làm (đăng theo lịch)."),
    )

    class Meta:
        verbose_name = _("nhật ký quy trình")
        verbose_name_plural = _("nhật ký quy trình")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.article_id}: {self.from_status} → {self.to_status}"

    def get_absolute_url(self) -> str:
        return reverse("admin:articles_article_change", args=[self.article_id])


class CorrectionQuerySet(models.QuerySet):
    def standalone(self) -> "CorrectionQuerySet":
        """Legal corrections published as their own item, newest first."""
        return self.filter(is_standalone=True).select_related("article__section")


class Correction(models.Model):
    """A dated note attached to an article and shown on it.

    A legal correction ("Thông tin cải chính, xin lỗi") names the work, its
    section and publication date, the false and the corrected content; these
    are copied when it is made, so they stay as printed even if the article
    changes or is taken down.
    """

    class Kind(models.TextChoices):
        NOTE = "note", _("Đính chính")
        LEGAL = "legal", _("Thông tin cải chính, xin lỗi")

    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    kind = models.CharField(
        _("loại"), max_length=10, choices=Kind.choices, default=Kind.NOTE
    )
    text = PlainTextField(_("nội dung đính chính"), max_length=3000)
    false_content = PlainTextField(_("thông tin sai"), max_length=3000, blank=True)
    corrected_content = PlainTextField(_("thông tin đúng"), max_length=3000, blank=True)
    work_title = models.CharField(_("tên tác phẩm"), max_length=250, editable=False)
    work_section = models.CharField(_("chuyên mục"), max_length=160, editable=False)
    work_published_at = models.DateTimeField(
        _("ngày đăng tác phẩm"), null=True, editable=False
    )
    is_standalone = models.BooleanField(
        _("đăng thành tin riêng"),
        default=False,
        help_text=_("Có trang riêng, ngoài khối đính chính trên bài."),
    )
    published_at = models.DateTimeField(_("đăng lúc"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đăng"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("đính chính")
        verbose_name_plural = _("đính chính")
        ordering = ["published_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.work_title or self.article_id}"

    def get_absolute_url(self) -> str:
        if self.is_standalone:
            return reverse("articles:correction", kwargs={"pk": self.pk})
        return self.article.get_absolute_url()

    def purge_keys(self) -> set[str]:
        # Shown on its article's page; a standalone one's page shows it too.
        return {f"article:{self.article_id}", "feeds"}

    def clean(self):
        if self.kind == self.Kind.LEGAL:
            missing = {
                field: _("Cải chính phải nêu rõ thông tin sai và thông tin đúng.")
                for field in ("false_content", "corrected_content")
                if not getattr(self, field).strip()
            }
            if missing:
                raise ValidationError(missing)
