import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from paper.fields import PlainCharField, PlainTextField

from .normalise import read


def moderation_order() -> list:
    """Pending first, then oldest first; the queue's order (see CommentAdmin)."""
    pending_first = models.Case(
        models.When(status=Comment.Status.PENDING, then=0),
        default=1,
        output_field=models.IntegerField(),
    )
    return [pending_first.asc(), "created_at", "id"]


class CommentQuerySet(models.QuerySet):
    def approved(self) -> "CommentQuerySet":
        """What readers may see: approved by a moderator, and nothing else."""
        return self.filter(status=Comment.Status.APPROVED)

    def pending(self) -> "CommentQuerySet":
        return self.filter(status=Comment.Status.PENDING)

    def for_article_page(self, article) -> "CommentQuerySet":
        """Approved comments and replies under an article, oldest first.

        Private fields (email, IP, user agent) are never loaded. Replies come in
        the same query; ``thread()`` hangs them under their parents.
        """
        return (
            self.approved()
            .filter(article=article)
            .only(
                "id",
                "article_id",
                "parent_id",
                "name",
                "body",
                "created_at",
                "is_newsroom",
            )
            .order_by("created_at", "id")
        )


def thread(comments) -> list["Comment"]:
    """Top-level comments in order, each with ``thread_replies`` in order.

    A reply whose parent is not shown (not approved) is not shown either.
    """
    top: dict[int, Comment] = {}
    replies: list[Comment] = []
    for comment in comments:
        if comment.parent_id is None:
            comment.thread_replies = []
            top[comment.pk] = comment
        else:
            replies.append(comment)
    for reply in replies:
        if reply.parent_id in top:
            top[reply.parent_id].thread_replies.append(reply)
    return list(top.values())


def body_fingerprint(body: str) -> str:
    """Hash of the text's letters and digits, undisguised and folded, for
    duplicate detection: spacing, case, marks and invisible characters do
    not make a repeat new."""
    return hashlib.sha256(read(body).compact.encode()).hexdigest()


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
    # One level of replies: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trả lời bình luận"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    name = PlainCharField(_("họ tên"), max_length=80)
    # Never rendered on a public page; the newsroom may need to reply privately.
    email = models.EmailField(_("email"), max_length=254)
    body = PlainTextField(_("nội dung"), max_length=3000)
    status = models.CharField(
        _("trạng thái"),
        max_length=20,
        choices=Status.choices,
        default=Status.PENDING,
        db_index=True,
    )
    is_newsroom = models.BooleanField(
        _("của tòa soạn"),
        default=False,
        editable=False,
        help_text=_("Gửi bởi người của tòa soạn; hiển thị nhãn “Tòa soạn”."),
    )
    held_reason = models.CharField(
        _("lý do giữ lại"), max_length=500, blank=True, editable=False
    )
    report_count = models.PositiveIntegerField(
        _("số lần bị báo vi phạm"), default=0, editable=False
    )
    # Used by duplicate detection; see body_fingerprint().
    body_hash = models.CharField(max_length=64, blank=True, editable=False)
    spam_score = models.PositiveSmallIntegerField(
        _("điểm rác"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "0 đến 100: khả năng là rác, theo những gì người kiểm duyệt đã dạy."
        ),
    )
    # The rule signals seen when it was sent (see comments.spam.Signal), kept
    # so that a later decision teaches the filter what it saw then.
    spam_signals = models.CharField(max_length=200, blank=True, editable=False)
    # "spam" or "ham" once a decision has taught the filter; see spam.py.
    trained_as = models.CharField(max_length=4, blank=True, editable=False)
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
            # Duplicate detection looks up the same text, newest first.
            models.Index(fields=["body_hash", "created_at"], name="comment_hash_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {Truncator(self.body).chars(60)}"

    def save(self, *args, **kwargs):
        self.body_hash = body_fingerprint(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#binh-luan-{self.pk}"

    def purge_keys(self) -> set[str]:
        # Its article's page and every card printing the article's comment
        # count. A pending comment purges too: it may have been approved.
        return {f"article:{self.article_id}"}

    def clean(self):
        if self.parent_id is None:
            return
        try:
            parent = self.parent
        except Comment.DoesNotExist:
            # Field validation has already reported the missing parent.
            return
        if parent.parent_id is not None or parent.article_id != self.article_id:
            raise ValidationError(
                {"parent": _("Chỉ trả lời được bình luận gốc của cùng bài viết.")}
            )
        if parent.status != Comment.Status.APPROVED:
            raise ValidationError(
                {"parent": _("Bình luận này không còn nhận trả lời.")}
            )


class CommentSettings(models.Model):
    """Moderation rules and spam defences, tuned by the newsroom; one row.

    The names follow WordPress's discussion settings, which moderators know.
    """

    require_approval = models.BooleanField(
        _("mọi bình luận phải được duyệt"),
        default=True,
        help_text=_(
            "Bỏ chọn thì bình luận không vướng quy tắc nào được hiện ngay; "
            "bình luận bị nghi ngờ vẫn chờ duyệt."
        ),
    )
    close_after_days = models.PositiveSmallIntegerField(
        _("tự đóng bình luận sau (ngày)"),
        # Off until the newsroom chooses a period, as in WordPress: switching it
        # on must not silently close every older article.
        default=0,
        help_text=_(
            "Tính từ lúc xuất bản; 0 là không tự đóng. Mỗi chuyên mục có thể đặt riêng."
        ),
    )
    max_links = models.PositiveSmallIntegerField(
        _("giữ lại khi có quá số liên kết"), default=2
    )
    moderation_words = PlainTextField(
        _("từ cần kiểm duyệt"),
        blank=True,
        help_text=_(
            "Mỗi dòng một từ, cụm từ, email hay địa chỉ IP. Bình luận chứa chúng "
            "(trong tên, email, nội dung hoặc IP) sẽ chờ duyệt, kể cả khi bị viết "
            "lách (ký tự ẩn, “v@y”, “l.ô đ.ề”). Không phân biệt hoa thường; từ có "
            "dấu khớp cả khi viết không dấu (“lừa đảo” khớp “lua dao”), từ không "
            "dấu chỉ khớp đúng từ đó (“vay” không khớp “vậy”). Thêm “~” ở đầu dòng "
            "để khớp mọi dấu (“~vay” khớp cả “vậy”, “váy”)."
        ),
    )
    blocked_words = PlainTextField(
        _("từ bị chặn"),
        blank=True,
        help_text=_(
            "Như trên, nhưng bình luận chứa chúng bị đánh dấu là rác (vẫn lưu lại, "
            "không hiển thị)."
        ),
    )
    min_seconds_to_post = models.PositiveSmallIntegerField(
        _("thời gian tối thiểu để gửi (giây)"),
        default=3,
        help_text=_(
            "Gửi nhanh hơn thế kể từ lúc mở trang thì bình luận chờ duyệt (thường "
            "là máy gửi)."
        ),
    )
    form_max_age_hours = models.PositiveSmallIntegerField(
        _("biểu mẫu hết hạn sau (giờ)"), default=24
    )
    ip_per_minute = models.PositiveSmallIntegerField(
        _("số bình luận mỗi phút từ một IP"), default=5
    )
    ip_per_day = models.PositiveSmallIntegerField(
        _("số bình luận mỗi ngày từ một IP"), default=50
    )
    email_per_minute = models.PositiveSmallIntegerField(
        _("số bình luận mỗi phút từ một email"), default=3
    )
    email_per_day = models.PositiveSmallIntegerField(
        _("số bình luận mỗi ngày từ một email"), default=20
    )
    duplicate_window_days = models.PositiveSmallIntegerField(
        _("phát hiện trùng lặp trong (ngày)"),
        default=30,
        help_text=_(
            "Cùng nội dung gửi lại trên cùng bài bị từ chối; người khác gửi cùng "
            "nội dung, trên bài này hay bài khác, thì chờ duyệt."
        ),
    )
    spam_hold_score = models.PositiveSmallIntegerField(
        _("giữ lại chờ duyệt khi điểm rác từ"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Điểm rác từ 0 đến 100, bộ lọc học từ các quyết định kiểm duyệt."),
    )
    spam_score_threshold = models.PositiveSmallIntegerField(
        _("đánh dấu rác khi điểm rác từ"),
        default=95,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_(
            "Bình luận đạt điểm này vào thẳng mục rác: vẫn lưu lại, không hiển "
            "thị, một cú nhấp “Duyệt” là cứu lại được."
        ),
    )
    report_threshold = models.PositiveSmallIntegerField(
        _("số lần báo vi phạm để đưa về hàng chờ"), default=3
    )
    notify_interval_minutes = models.PositiveIntegerField(
        _("gửi email nhắc kiểm duyệt tối đa mỗi (phút)"), default=60
    )
    notify_emails = PlainTextField(
        _("gửi email nhắc tới"),
        blank=True,
        help_text=_(
            "Mỗi dòng một địa chỉ. Để trống thì gửi tới mọi người có quyền duyệt "
            "bình luận."
        ),
    )
    digest_sent_at = models.DateTimeField(
        _("lần nhắc gần nhất"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("cài đặt bình luận")
        verbose_name_plural = _("cài đặt bình luận")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(_("Cài đặt bình luận"))

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("admin:comments_commentsettings_change", args=[1])

    def purge_keys(self) -> set[str]:
        # Every article page's comment block follows these rules.
        return {"site"}

    @classmethod
    def load(cls) -> "CommentSettings":
        """The one row, created with defaults on first use. Read first: a
        reader's page may read it from a replica (get_or_create asks the
        primary)."""
        config = cls.objects.filter(pk=1).first()
        return config or cls.objects.get_or_create(pk=1)[0]

    @staticmethod
    def _lines(text: str) -> list[str]:
        return [line.strip() for line in text.splitlines() if line.strip()]

    @property
    def moderation_list(self) -> list[str]:
        return self._lines(self.moderation_words)

    @property
    def blocked_list(self) -> list[str]:
        return self._lines(self.blocked_words)

    @property
    def notify_list(self) -> list[str]:
        return self._lines(self.notify_emails)


class SpamFeature(models.Model):
    """How often one feature of a comment was in spam and in readers' comments.

    ``key`` is a hash of the feature's text (see comments.spam); one row,
    "#documents", counts the comments themselves.
    """

    key = models.BigIntegerField(primary_key=True)
    spam = models.IntegerField(default=0)
    ham = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("dấu hiệu rác đã học")
        verbose_name_plural = _("dấu hiệu rác đã học")

    def __str__(self) -> str:
        return f"{self.key}: {self.spam}/{self.ham}"
