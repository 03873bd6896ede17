"""Articles, their credits and their read counts.

What is read of articles, and how, is in ``querysets.py``.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signing import TimestampSigner
from django.db import models
from django.db.models import F, Q
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from paper.fields import PlainCharField, PlainTextField

from ..credits import Role, byline
from ..html import BODY_EXTENSIONS, sanitize_body
from ..search import search_lines
from ..text import slugify_vi
from .people import Contributor, Section, TaggedArticle
from .photos import Photo
from .querysets import ArticleQuerySet
from .videos import Video

# Preview links live two days: long enough for a desk to pass one around,
# short enough that a leaked link soon stops working.
PREVIEW_MAX_AGE = timedelta(days=2)
PREVIEW_SALT = "articles.preview"


class Article(models.Model):
    class Status(models.TextChoices):
        # The workflow's states; articles.services.TRANSITIONS moves between them.
        DRAFT = "draft", _("Bản nháp")
        IN_REVIEW = "in_review", _("Chờ biên tập")
        RETURNED = "returned", _("Trả lại tác giả")
        APPROVED = "approved", _("Đã duyệt, chờ đăng")
        SCHEDULED = "scheduled", _("Hẹn giờ đăng")
        PUBLISHED = "published", _("Đã xuất bản")
        UNPUBLISHED = "unpublished", _("Đã gỡ xuống")
        TAKEN_DOWN = "taken_down", _("Đã thu hồi")

    # States in which an article is shown once its time (and embargo) has come.
    VISIBLE_STATUSES = ("scheduled", "published")

    class HomePlacement(models.TextChoices):
        # Sorted by value on the home page: "1lead" before "2featured".
        NONE = "", _("Không ghim")
        LEAD = "1lead", _("Tin chính (đầu trang)")
        FEATURED = "2featured", _("Tin nổi bật")

    class Kind(models.TextChoices):
        # The byline's text role follows the kind: "Tin: ..." or "Bài: ...".
        NEWS = "news", _("Tin")
        FEATURE = "feature", _("Bài")

    class Layout(models.TextChoices):
        # How the article page is laid out; cards and feeds are the same.
        STANDARD = "standard", _("Tiêu chuẩn")
        EMAGAZINE = "emagazine", _("E-magazine (bài dài)")

    title = PlainCharField(_("tiêu đề"), max_length=250)
    slug = models.SlugField(
        _("đường dẫn"),
        max_length=255,
        blank=True,
        help_text=_(
            "Chữ không dấu, tự tạo từ tiêu đề. Đổi tiêu đề không làm hỏng liên kết cũ."
        ),
    )
    kind = models.CharField(
        _("loại bài"), max_length=10, choices=Kind.choices, default=Kind.NEWS
    )
    layout = models.CharField(
        _("trình bày"),
        max_length=12,
        choices=Layout.choices,
        default=Layout.STANDARD,
        help_text=_(
            "E-magazine: ảnh đầu bài tràn màn hình, cột chữ hẹp ở giữa, ảnh trong "
            "bài đánh dấu “ảnh rộng” vượt ra ngoài cột chữ, thanh tiến độ đọc."
        ),
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("chuyên mục"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    lead = PlainTextField(
        _("sapo"),
        max_length=1000,
        help_text=_(
            "Đoạn dẫn đầu bài, thường mở bằng tên báo và ngày: “DXO – Ngày …”."
        ),
    )
    # Cleaned by the form and again by save(), with the same allowlist.
    body = ProseEditorField(
        _("nội dung"), extensions=BODY_EXTENSIONS, sanitize=sanitize_body
    )
    tags = TaggableManager(
        _("từ khóa"),
        through=TaggedArticle,
        blank=True,
        help_text=_("Các từ khóa cách nhau bằng dấu phẩy, ví dụ: dân vận, Bến Tre."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        _("thời điểm xuất bản"),
        null=True,
        blank=True,
        help_text=_(
            "Đặt bởi nút “Xuất bản ngay” hoặc “Hẹn giờ đăng”; bài chỉ hiện từ giờ này."
        ),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    lead_photo = models.ForeignKey(
        Photo,
        verbose_name=_("ảnh đầu bài"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_articles",
    )
    lead_photo_caption = PlainCharField(
        _("chú thích ảnh đầu bài"),
        max_length=500,
        blank=True,
        help_text=_("Để trống để dùng chú thích sẵn có của ảnh."),
    )
    # A video story: the video takes the lead photo's place at the top of the
    # page, and the story is listed on the "Video" page.
    lead_video = models.ForeignKey(
        Video,
        verbose_name=_("video đầu bài"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_articles",
        help_text=_(
            "Chọn để bài thành bài video: video đứng thay ảnh đầu bài và bài hiện "
            "ở trang Video. Không có ảnh đầu bài thì dùng ảnh bìa của video."
        ),
    )
    source_name = PlainCharField(
        _("nguồn"), max_length=120, blank=True, help_text=_("Ví dụ: Baodongkhoi.vn")
    )
    source_url = models.URLField(_("liên kết nguồn"), blank=True)
    embargo_until = models.DateTimeField(
        _("cấm đăng trước (giờ Việt Nam)"),
        null=True,
        blank=True,
        help_text=_(
            "Bài không hiện ở bất cứ đâu, kể cả liên kết xem trước, trước giờ này, "
            "dù ở trạng thái nào."
        ),
    )
    is_commentable = models.BooleanField(_("cho phép bình luận"), default=True)
    # Bumped by every save through the services: the admin refuses a save made
    # from an older version (two editors on one article).
    version = models.PositiveIntegerField(_("phiên bản"), default=0, editable=False)
    home_placement = models.CharField(
        _("ghim trên trang chủ"),
        max_length=10,
        choices=HomePlacement.choices,
        default=HomePlacement.NONE,
        blank=True,
    )
    is_breaking = models.BooleanField(
        _("tin nóng"),
        default=False,
        help_text=_("Hiện dải “Tin nóng” đầu mọi trang đến hết thời hạn bên dưới."),
    )
    breaking_until = models.DateTimeField(_("tin nóng đến lúc"), null=True, blank=True)
    related_articles = models.ManyToManyField(
        "self",
        verbose_name=_("bài liên quan do biên tập chọn"),
        symmetrical=False,
        blank=True,
        related_name="+",
    )
    # Written by save() from title, lead and body; see articles/search.py.
    search_text = models.TextField(editable=False, blank=True, default="")
    search_exact = models.TextField(editable=False, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        ordering = ["-published_at", "-id"]
        indexes = [
            # Home, feeds and every listing: published, newest first.
            models.Index(fields=["status", "-published_at"], name="article_pub_idx"),
            # Section pages.
            models.Index(
                fields=["section", "status", "-published_at"],
                name="article_section_idx",
            ),
            # published() asks for status IN ('scheduled', 'published'): on
            # PostgreSQL 15 an index led by status cannot return two statuses
            # in date order, so "Tin mới", feeds and section pages sorted the
            # whole archive. These partial indexes hold only what readers may
            # see, in the order pages print it (EXPLAIN on the benchmark archive).
            models.Index(
                F("published_at").desc(),
                F("id").desc(),
                name="article_visible_idx",
                condition=Q(status__in=("scheduled", "published")),
            ),
            # The home page's section blocks and section pages, per section.
            models.Index(
                "section",
                F("published_at").desc(),
                F("id").desc(),
                name="article_visible_section_idx",
                condition=Q(status__in=("scheduled", "published")),
                # The page count then reads the index alone (embargo filter).
                include=["embargo_until"],
            ),
            # The home page's pinned and breaking stories: a few rows out of
            # the whole archive.
            models.Index(
                "home_placement",
                F("published_at").desc(),
                name="article_pinned_idx",
                condition=Q(home_placement__gt="") | Q(is_breaking=True),
            ),
        ]
        permissions = [
            ("submit_article", _("Gửi bài chờ biên tập")),
            ("review_article", _("Biên tập, trả lại và duyệt bài")),
            (
                "publish_article",
                _("Xuất bản, hẹn giờ, gỡ, thu hồi và đính chính bài"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Normalise this row only: an ASCII slug, a sanitised body and a
        # publication time for anything published without one.
        self.slug = slugify_vi(self.slug or self.title) or "bai-viet"
        self.body = sanitize_body(self.body)
        self.search_text, self.search_exact = search_lines(
            title=self.title, lead=self.lead, body_html=self.body
        )
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # The "detail" pattern of articles/urls.py, written out: reverse() took
        # 34 µs, and a home page prints over a hundred cards. A test pins the
        # two to the same URL.
        return f"{get_script_prefix()}{self.slug}-{self.pk}.html"

    def purge_keys(self) -> set[str]:
        """Every page that prints this article or lists it, or would: a save
        may publish it, move it or take it down.

        Its sections, tags and contributors are read from the database (three
        small queries), so a write made through any path is covered.
        """
        sections = Section.objects.filter(pk=self.section_id).values_list(
            "pk", "parent_id"
        )
        tags = TaggedArticle.objects.filter(content_object_id=self.pk)
        credits = Credit.objects.filter(article_id=self.pk)
        return {
            f"article:{self.pk}",
            *("home", "feeds", "sitemaps", "search", "archive", "video-articles"),
            # The lists of tags and contributors that have public articles.
            *("tags", "contributors"),
            *(
                f"section-articles:{pk}"
                for pair in sections
                for pk in pair
                if pk is not None
            ),
            *(f"tag-articles:{pk}" for pk in tags.values_list("tag_id", flat=True)),
            *(
                f"contributor-articles:{pk}"
                for pk in credits.values_list("contributor_id", flat=True)
            ),
        }

    def card_keys(self) -> list[str]:
        """What a card of this article prints: the article, its photo and
        its video's badge."""
        keys = [f"article:{self.pk}"]
        if self.lead_photo_id:
            keys.append(f"photo:{self.lead_photo_id}")
        if self.lead_video_id:
            keys.append(f"video:{self.lead_video_id}")
        return keys

    def page_keys(self) -> list[str]:
        """What the article page prints (from ``for_detail()``'s prefetches):
        the article, its photos with their photographers, its contributors
        and its tags."""
        photos = [use.photo for use in self.body_photos.all()]
        photos += [use.photo for use in self.gallery_photos.all()]
        if self.lead_photo_id:
            photos.append(self.lead_photo)
        people = {credit.contributor_id for credit in self.credits.all()}
        people |= {photo.photographer_id for photo in photos if photo.photographer_id}
        return [
            f"article:{self.pk}",
            *(f"photo:{photo.pk}" for photo in photos),
            *(f"contributor:{pk}" for pk in people),
            *(f"tag:{tag.pk}" for tag in self.tags.all()),
        ]

    def get_preview_url(self) -> str:
        """A signed link showing the article as readers would see it.

        It expires after ``PREVIEW_MAX_AGE`` and is refused during an embargo.
        """
        token = TimestampSigner(salt=PREVIEW_SALT).sign(str(self.pk))
        return reverse("articles:preview", kwargs={"token": token})

    def clean(self):
        if self.status in self.VISIBLE_STATUSES and not self.body.strip():
            raise ValidationError({"body": _("Bài xuất bản phải có nội dung.")})
        if self.lead_video_id and not self.lead_photo_id:
            # Cards, share previews and feeds show the lead photo.
            self.lead_photo_id = self.lead_video.poster_photo_id
        if self.is_breaking and self.breaking_until is None:
            raise ValidationError(
                {"breaking_until": _("Tin nóng cần thời hạn: đến lúc nào thì tắt dải.")}
            )

    @property
    def is_public(self) -> bool:
        """Whether readers may see this article now: the row form of
        ``ArticleQuerySet.published()``, which states the rule.

        A property, so an article already loaded costs no query (the article
        page, the admin's "view on site" and every revision ask it).
        ``VisibilityRuleTests`` compares the two over every status,
        publication time and embargo.
        """
        now = timezone.now()
        return (
            self.status in self.VISIBLE_STATUSES
            and self.published_at is not None
            and self.published_at <= now
            and (self.embargo_until is None or self.embargo_until <= now)
        )

    @property
    def is_embargoed(self) -> bool:
        return self.embargo_until is not None and self.embargo_until > timezone.now()

    @property
    def is_overdue(self) -> bool:
        """Scheduled, its time passed, but ``publish_scheduled`` has not run yet."""
        return (
            self.status == self.Status.SCHEDULED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def byline(self) -> str:
        """The credit line, from the prefetched credits (see ``for_detail``)."""
        return byline(
            [(credit.contributor.name, credit.roles) for credit in self.credits.all()],
            kind=self.kind,
        )

    @property
    def is_emagazine(self) -> bool:
        return self.layout == self.Layout.EMAGAZINE

    @property
    def photo_caption(self) -> str:
        if not self.lead_photo_id:
            return ""
        return self.lead_photo_caption or self.lead_photo.caption


class Credit(models.Model):
    """Who did what on an article; the byline is made from these."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="credits"
    )
    contributor = models.ForeignKey(
        Contributor,
        verbose_name=_("tác giả"),
        on_delete=models.PROTECT,
        related_name="credits",
    )
    # A JSON list of Role values: one person often writes and photographs.
    roles = models.JSONField(_("vai trò"), default=list)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("ghi công")
        verbose_name_plural = _("ghi công")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contributor"], name="credit_once_per_article"
            )
        ]

    def __str__(self) -> str:
        labels = ", ".join(str(Role(role).label) for role in self.roles)
        return f"{self.contributor} ({labels})"

    def save(self, *args, **kwargs):
        # Keep roles unique and in the byline's order.
        self.roles = [role for role in Role.values if role in set(self.roles)]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.contributor.get_absolute_url()

    def purge_keys(self) -> set[str]:
        return {
            f"article:{self.article_id}",
            f"contributor-articles:{self.contributor_id}",
            "contributors",
        }

    def clean(self):
        if not self.roles:
            raise ValidationError({"roles": _("Chọn ít nhất một vai trò.")})
        unknown = set(self.roles) - set(Role.values)
        if unknown:
            raise ValidationError({"roles": _("Vai trò không hợp lệ.")})


class ReadCount(models.Model):
    """Views of one article in one hour, flushed in bulk from the cache.

    Readers' page views are counted in the cache by a beacon (see
    ``articles.reading``); this table only receives sums, a few rows a minute.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="read_counts"
    )
    hour = models.DateTimeField(_("giờ"))
    views = models.PositiveIntegerField(_("lượt đọc"), default=0)

    class Meta:
        verbose_name = _("lượt đọc")
        verbose_name_plural = _("lượt đọc")
        ordering = ["-hour", "article"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "hour"], name="read_count_once_per_hour"
            )
        ]
        # "Đọc nhiều" sums the last 24 hours or 7 days.
        indexes = [models.Index(fields=["hour"], name="read_count_hour_idx")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}: {self.views}"

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()
