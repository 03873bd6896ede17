from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TagBase, TaggedItemBase

from .credits import Role, byline
from .html import BODY_EXTENSIONS, sanitize_body
from .text import slugify_vi


class Section(models.Model):
    """A chuyên mục. Sections nest one level: "Kinh tế" > "Nông nghiệp"."""

    name = models.CharField(_("tên"), max_length=80)
    slug = models.SlugField(_("đường dẫn"), max_length=80, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("chuyên mục cha"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.CharField(_("mô tả"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:section", kwargs={"slug": self.slug})

    @property
    def root(self) -> "Section":
        """The top-level section, as highlighted in the navigation."""
        return self.parent if self.parent_id else self

    def clean(self):
        if self.parent_id and (
            self.parent_id == self.pk or self.parent.parent_id is not None
        ):
            raise ValidationError(
                {
                    "parent": _(
                        "Chuyên mục chỉ lồng một cấp: hãy chọn một chuyên mục gốc."
                    )
                }
            )


class Contributor(models.Model):
    """A person credited on articles: reporter, photographer, translator..."""

    name = models.CharField(_("tên"), max_length=100)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)
    bio = models.TextField(_("giới thiệu ngắn"), max_length=600, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
    )

    class Meta:
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:contributor", kwargs={"slug": self.slug})


class Photo(models.Model):
    """A photo in the library. One photo may lead or illustrate many articles."""

    image = models.ImageField(
        _("tệp ảnh"),
        upload_to="photos/%Y/%m/",
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(_("rộng (px)"), editable=False, default=0)
    height = models.PositiveIntegerField(_("cao (px)"), editable=False, default=0)
    caption = models.CharField(_("chú thích"), max_length=500, blank=True)
    alt_text = models.CharField(
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
    credit_text = models.CharField(
        _("nguồn ảnh"),
        max_length=120,
        blank=True,
        help_text=_("Khi ảnh không do phóng viên của báo chụp, ví dụ “TTXVN”."),
    )
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return Truncator(self.caption or self.alt_text).chars(80)

    def get_absolute_url(self) -> str:
        return self.image.url

    @property
    def credit(self) -> str:
        """The photo credit as printed under the picture."""
        if self.photographer_id:
            return self.photographer.name
        return self.credit_text


class Tag(TagBase):
    """A từ khóa. Slugs drop Vietnamese diacritics: "Bến Tre" -> "ben-tre"."""

    class Meta:
        verbose_name = _("từ khóa")
        verbose_name_plural = _("từ khóa")
        ordering = ["name"]

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})

    def slugify(self, tag, i=None):
        slug = slugify_vi(tag, max_length=90) or "tu-khoa"
        return f"{slug}-{i}" if i is not None else slug


class TaggedArticle(TaggedItemBase):
    # A plain foreign key instead of taggit's generic relation: tag pages join
    # directly on articles.
    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)
    tag = models.ForeignKey(
        Tag, on_delete=models.CASCADE, related_name="tagged_articles"
    )

    class Meta:
        verbose_name = _("gắn từ khóa")
        verbose_name_plural = _("gắn từ khóa")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="tag_once_per_article"
            )
        ]


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None) -> "ArticleQuerySet":
        """Articles a reader may see now: published, and not dated in the future."""
        now = now or timezone.now()
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=now)

    def for_listing(self) -> "ArticleQuerySet":
        """What a list of article cards shows: section and lead photo, no body."""
        return self.select_related(
            "section", "lead_photo", "lead_photo__photographer"
        ).defer("body")

    def for_detail(self) -> "ArticleQuerySet":
        """Everything the article page prints, in a fixed number of queries."""
        return self.select_related(
            "section",
            "section__parent",
            "lead_photo",
            "lead_photo__photographer",
        ).prefetch_related(
            models.Prefetch(
                "credits", queryset=Credit.objects.select_related("contributor")
            ),
            models.Prefetch(
                "body_photos",
                queryset=ArticlePhoto.objects.select_related("photo__photographer"),
            ),
            "tags",
        )

    def in_section(self, section: Section) -> "ArticleQuerySet":
        """A section page lists its own articles and those of its subsections."""
        # A subquery, not an OR across the join: PostgreSQL then walks
        # article_section_idx once per (sub)section instead of filtering the
        # index entries of every section (the page count went 58 ms -> 16 ms on
        # the 100,000-article benchmark archive).
        sections = Section.objects.filter(Q(pk=section.pk) | Q(parent=section))
        return self.filter(section__in=sections.values("pk"))

    def latest_per_section(self, per_section: int) -> "ArticleQuerySet":
        """The newest ``per_section`` articles of every section, in one query."""
        return (
            self.annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("section_id")],
                    order_by=[F("published_at").desc(), F("id").desc()],
                )
            )
            .filter(rank__lte=per_section)
            .order_by("section_id", "rank")
        )


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        PUBLISHED = "published", _("Đã xuất bản")

    class Kind(models.TextChoices):
        # The byline's text role follows the kind: "Tin: ..." or "Bài: ...".
        NEWS = "news", _("Tin")
        FEATURE = "feature", _("Bài")

    title = models.CharField(_("tiêu đề"), max_length=250)
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
    section = models.ForeignKey(
        Section,
        verbose_name=_("chuyên mục"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    lead = models.TextField(
        _("sapo"),
        max_length=1000,
        help_text=_(
            "Đoạn dẫn đầu bài, thường mở bằng tên báo và ngày: “DXO – Ngày …”."
        ),
    )
    body = ProseEditorField(_("nội dung"), extensions=BODY_EXTENSIONS, sanitize=True)
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
            "Để trống khi xuất bản ngay; đặt giờ tương lai thì bài chỉ hiện từ giờ đó."
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
    lead_photo_caption = models.CharField(
        _("chú thích ảnh đầu bài"),
        max_length=500,
        blank=True,
        help_text=_("Để trống để dùng chú thích sẵn có của ảnh."),
    )
    source_name = models.CharField(
        _("nguồn"), max_length=120, blank=True, help_text=_("Ví dụ: Baodongkhoi.vn")
    )
    source_url = models.URLField(_("liên kết nguồn"), blank=True)
    is_commentable = models.BooleanField(_("cho phép bình luận"), default=True)
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
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Normalise this row only: an ASCII slug, a sanitised body and a
        # publication time for anything published without one.
        self.slug = slugify_vi(self.slug or self.title) or "bai-viet"
        self.body = sanitize_body(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", kwargs={"slug": self.slug, "pk": self.pk})

    def clean(self):
        if self.status == self.Status.PUBLISHED and not self.body.strip():
            raise ValidationError({"body": _("Bài xuất bản phải có nội dung.")})

    @property
    def is_public(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
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

    def clean(self):
        if not self.roles:
            raise ValidationError({"roles": _("Chọn ít nhất một vai trò.")})
        unknown = set(self.roles) - set(Role.values)
        if unknown:
            raise ValidationError({"roles": _("Vai trò không hợp lệ.")})


class ArticlePhoto(models.Model):
    """A library photo placed inside an article's body, as a figure."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="body_photos"
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("ảnh"), on_delete=models.PROTECT, related_name="uses"
    )
    after_paragraph = models.PositiveSmallIntegerField(
        _("đặt sau đoạn"),
        default=1,
        help_text=_("Số thứ tự đoạn văn mà ảnh đứng sau; 0 là đầu thân bài."),
    )
    caption = models.CharField(
        _("chú thích trong bài này"),
        max_length=500,
        blank=True,
        help_text=_("Để trống để dùng chú thích sẵn có của ảnh."),
    )

    class Meta:
        verbose_name = _("ảnh trong bài")
        verbose_name_plural = _("ảnh trong bài")
        ordering = ["after_paragraph", "id"]

    def __str__(self) -> str:
        return str(self.photo)

    def get_absolute_url(self) -> str:
        return self.article.get_absolute_url()

    @property
    def shown_caption(self) -> str:
        return self.caption or self.photo.caption
