from django.conf import settings
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        """What readers may see: approved by a moderator, and nothing else."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)

    def for_article_page(self, article) -> "CommentQuerySet":
        """Approved comments under an article, oldest first, without private fields."""
        return (
            self.approved()
            .filter(article=article)
            .only("id", "article_id", "name", "body", "created_at")
            .order_by("created_at", "id")
        )

    def moderation_first(self) -> "CommentQuerySet":
        """Pending comments first, oldest first, as a moderator works through them."""
        pending_first = models.Case(
            models.When(status=Comment.Status.PENDING, then=0),
            default=1,
            output_field=models.IntegerField(),
        )
        return self.order_by(pending_first, "created_at")


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Từ chối")
        SPAM = "spam", _("Rác")

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("bài viết"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    name = models.CharField(_("họ tên"), max_length=80)
    # Never rendered on a public page; the newsroom may need to reply privately.
    email = models.EmailField(_("email"), max_length=254)
    body = models.TextField(_("nội dung"), max_length=3000)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    moderated_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bình luận")
        verbose_name_plural = _("bình luận")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The article page's approved comments.
            models.Index(
                fields=["article", "status", "created_at"], name="comment_article_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {Truncator(self.body).chars(60)}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#binh-luan-{self.pk}"
