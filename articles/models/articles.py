"""Articles, their credits and their read counts."""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.signing import TimestampSigner
from django.db import connection, models
from django.db.models import Count, Exists, F, Min, OuterRef, Q, Subquery, Window
from django.db.models.functions import Coalesce, Greatest, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from ..credits import Role, byline
from ..html import BODY_EXTENSIONS, sanitize_body
from ..search import search_lines
from ..text import slugify_vi
from .people import Contributor, Section, TaggedArticle
from .photos import ArticlePhoto, GalleryPhoto, Photo

# Preview links live two days: long enough for a desk to pass one around,
# short enough that a leaked link soon stops working.
PREVIEW_MAX_AGE = timedelta(days=2)
PREVIEW_SALT = "articles.preview"


class ArticleQuerySet(models.QuerySet):
    def published(self, now=None) -> "ArticleQuerySet":
        """THE rule for what readers may see now, on every public surface.

        Published or scheduled, dated now or earlier, and past any embargo. A
        scheduled article becomes visible at its time by this rule alone: no cron
        has to run first (``publish_scheduled`` only does the side effects).
        Taken-down, unpublished and unfinished articles never match.
        """
        now = now or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            status__in=Article.VISIBLE_STATUSES,
            published_at__lte=now,
        )

    def due_for_publication(self, now=None) -> "ArticleQuerySet":
        """Scheduled articles whose time has come (readers already see them)."""
        now = now or timezone.now()
        return self.filter(
            Q(embargo_until__isnull=True) | Q(embargo_until__lte=now),
            status=Article.Status.SCHEDULED,
            published_at__lte=now,
        )

    def next_visibility_change(self, now=None) -> datetime | None:
        """When the clock next changes what readers see: a scheduled article
        or an embargo coming due, or a breaking-news banner ending."""
        now = now or timezone.now()
        due = self.filter(status__in=Article.VISIBLE_STATUSES).aggregate(
            visible=Min(
                Greatest("published_at", Coalesce("embargo_until", "published_at")),
                filter=Q(published_at__gt=now) | Q(embargo_until__gt=now),
            ),
            banner_ends=Min(
                "breaking_until", filter=Q(is_breaking=True, breaking_until__gt=now)
            ),
        )
        return min((m for m in due.values() if m is not None), default=None)

    def for_dashboard(self) -> "ArticleQuerySet":
        """A title, a state and a time per row, for the editors' dashboard."""
        return self.select_related("section").only(
            "id", "title", "status", "published_at", "updated_at", "section__name"
        )

    def visible_to(self, user) -> "ArticleQuerySet":
        """What a staff member may open in the admin: reporters see their own."""
        if user.has_perm("articles.review_article"):
            return self
        return self.filter(created_by=user)

    def for_listing(self) -> "ArticleQuerySet":
        """What a list of article cards shows: section and lead photo, no body."""
        return (
            self.select_related("section", "lead_photo")
            .defer(*self._DERIVED, "body")
            .with_comment_count()
        )

    def for_search_results(self) -> "ArticleQuerySet":
        """Cards plus the body, for a snippet where the body matched."""
        return self.for_listing().defer(None).defer(*self._DERIVED)

    # Long derived columns stay in the database: no page prints them.
    _DERIVED = ("search_text", "search_exact")

    def with_comment_count(self) -> "ArticleQuerySet":
        """Annotate ``comment_count``: approved comments, in the same query.

        A correlated subquery rather than ``Count``: no GROUP BY, so it composes
        with the window of ``latest_per_section`` and with tag or credit joins.
        The comments app's model is reached through its relation to articles:
        articles never imports comments.
        """
        comments = self.model._meta.get_field("comments").related_model
        approved = (
            comments.objects.approved()
            .filter(article=models.OuterRef("pk"))
            .order_by()
            .values("article")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(
            comment_count=Coalesce(
                models.Subquery(approved, output_field=models.IntegerField()), 0
            )
        )

    def most_read(self, *, since) -> "ArticleQuerySet":
        """Articles by views counted since ``since``, most read first."""
        return (
            self.filter(read_counts__hour__gte=since)
            .annotate(views=models.Sum("read_counts__views"))
            .order_by("-views", "-published_at", "-id")
        )

    def related_to(self, article: "Article") -> "ArticleQuerySet":
        """Related stories in one query: editor's picks, then shared tags, then
        the same section, newest first within each."""
        # Prefetched by for_detail(): no query for them.
        tag_ids = [tag.pk for tag in article.tags.all()]
        picked = Article.related_articles.through.objects.filter(
            from_article=article, to_article=OuterRef("pk")
        )
        shared = (
            TaggedArticle.objects.filter(content_object=OuterRef("pk"), tag__in=tag_ids)
            .order_by()
            .values("content_object")
            .annotate(n=Count("*"))
            .values("n")
        )
        # Candidates first, from indexes: the picks, the articles carrying one
        # of these tags, and the newest of the section. Annotating every
        # visible article and filtering afterwards took 700-900 ms per article
        # page on the 100,000-article benchmark archive.
        same_section = (
            Article.objects.published()
            .filter(section=article.section_id)
            .exclude(pk=article.pk)
            .order_by("-published_at", "-id")
            .values("pk")
        )
        tagged = TaggedArticle.objects.values("content_object")
        if connection.features.supports_slicing_ordering_in_compound:
            # PostgreSQL: a bounded slice per tag and of the section. A common
            # tag ("hòa giải") carries 44,000 articles; its newest ones (ids
            # grow with time, tagged_newest_idx) are the related candidates.
            same_section = same_section[: self._RELATED_FROM_SECTION]
            by_tag = [
                tagged.filter(tag=tag_id).order_by("-content_object")[
                    : self._RELATED_PER_TAG
                ]
                for tag_id in tag_ids
            ]
        else:  # SQLite refuses LIMIT inside UNION: small archives, no bound.
            same_section = same_section.order_by()
            by_tag = [tagged.filter(tag__in=tag_ids).order_by()]
        candidates = (
            Article.related_articles.through.objects.filter(from_article=article)
            .values("to_article")
            .union(*by_tag, same_section, all=True)
        )
        return (
            self.exclude(pk=article.pk)
            .filter(pk__in=candidates)
            .annotate(
                is_pick=Exists(picked),
                shared_tags=Coalesce(Subquery(shared), 0),
            )
            .order_by("-is_pick", "-shared_tags", "-published_at", "-id")
        )

    _RELATED_FROM_SECTION = 12
    _RELATED_PER_TAG = 50

    def using_photos(self, photos) -> "ArticleQuerySet":
        """Articles that print one of ``photos`` (a queryset or a list): as
        lead photo, in the body or in the photo story."""
        return self.filter(
            Q(lead_photo__in=photos)
            | Q(pk__in=ArticlePhoto.objects.filter(photo__in=photos).values("article"))
            | Q(pk__in=GalleryPhoto.objects.filter(photo__in=photos).values("article"))
        )

    def for_detail(self) -> "ArticleQuerySet":
        """Everything the article page prints of the article, in a fixed
        number of queries whatever it carries."""
        return (
            self.select_related(
                "section",
                "section__parent",
                "lead_photo",
                "lead_photo__photographer",
            )
            .prefetch_related(
                models.Prefetch(
                    "credits", queryset=Credit.objects.select_related("contributor")
                ),
                models.Prefetch(
                    "body_photos",
                    queryset=ArticlePhoto.objects.select_related("photo__photographer"),
                ),
                models.Prefetch(
                    "gallery_photos",
                    queryset=GalleryPhoto.objects.select_related("photo__photographer"),
                ),
                "tags",
                # The correction block under the story.
                "corrections",
            )
            .defer(*self._DERIVED)
        )

    def in_section(self, section: Section) -> "ArticleQuerySet":
        """A section page lists its own articles and those of its subsections."""
        # A subquery, not an OR across the join: PostgreSQL then walks
        # article_section_idx once per (sub)section instead of filtering the
        # index entries of every section (the page count went 58 ms -> 16 ms on
        # the 100,000-article benchmark archive).
        sections = Section.objects.filter(Q(pk=section.pk) | Q(parent=section))
        return self.filter(section__in=sections.values("pk"))

    def in_section_for_search(self, section: Section) -> "ArticleQuerySet":
        """The articles of ``in_section()``, with the section ids spelled out.

        Search walks the articles newest first and checks the phrase on each
        one (articles/search.py). PostgreSQL tests a row's cheap conditions
        before that check, but ``in_section()``'s subquery becomes a join it
        tests after it: "dan van" in a small section checked the phrase on
        80,000 articles (420 ms) instead of 2,500 (30 ms) on the benchmark
        archive. One id is an equality, and the walk then takes
        article_visible_section_idx; a list of two is still tested before the
        phrase; from three on, the planner tests the phrase first again, which
        costs what the subquery did.
        """
        ids = [section.pk]
        if section.parent_id is None:  # sections nest one level
            ids += Section.objects.filter(parent=section).values_list("pk", flat=True)
        return self.filter(section__in=ids)

    def latest_per_section(
        self, per_section: int, *, sections: models.QuerySet | None = None
    ) -> "ArticleQuerySet":
        """The newest ``per_section`` articles of every section, in one query.

        On PostgreSQL, with ``sections`` given, the ids come from one LIMIT
        subquery per section (``unnest(ARRAY(... LIMIT n))``), each walking
        article_visible_section_idx from the newest entry: the cost follows the
        number of sections, not the archive (a window over every visible row
        took 360 ms at 100,000 articles). Elsewhere (SQLite, the demo) the
        window function, which is fine for small archives.
        """
        if sections is not None and connection.vendor == "postgresql":
            from django.contrib.postgres.expressions import ArraySubquery

            newest = (
                self.filter(section=OuterRef("pk"))
                .order_by("-published_at", "-id")
                .values("pk")[:per_section]
            )
            ids = sections.annotate(
                article_id=models.Func(ArraySubquery(newest), function="unnest")
            ).values("article_id")
            return self.filter(pk__in=ids).order_by(
                "section_id", "-published_at", "-id"
            )
        if sections is not None:
            self = self.filter(section__in=sections)
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
        return reverse("articles:detail", kwargs={"slug": self.slug, "pk": self.pk})

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
            *("home", "feeds", "sitemaps", "search", "archive"),
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
        """What a card of this article prints: the article and its photo."""
        keys = [f"article:{self.pk}"]
        if self.lead_photo_id:
            keys.append(f"photo:{self.lead_photo_id}")
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
        if self.is_breaking and self.breaking_until is None:
            raise ValidationError(
                {"breaking_until": _("Tin nóng cần thời hạn: đến lúc nào thì tắt dải.")}
            )

    @property
    def is_public(self) -> bool:
        """The same rule as ``published()``, for one article already in memory."""
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
