"""Where articles live and who makes them: sections, contributors, tags."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef
from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase, TaggedItemBase

from paper.fields import PlainCharField, PlainTextField

from ..text import slugify_vi


class Section(models.Model):
    """A chuyên mục. Sections nest one level: "Kinh tế" > "Nông nghiệp"."""

    name = PlainCharField(_("tên"), max_length=80)
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
    description = PlainCharField(_("mô tả"), max_length=300, blank=True)
    comments_close_after_days = models.PositiveSmallIntegerField(
        _("đóng bình luận sau (ngày)"),
        null=True,
        blank=True,
        help_text=_(
            "Số ngày sau khi xuất bản thì bài trong chuyên mục này đóng bình luận. "
            "Để trống để theo cài đặt chung; 0 là không bao giờ tự đóng."
        ),
    )
    is_on_home = models.BooleanField(
        _("có khối trên trang chủ"),
        default=True,
        help_text=_("Bỏ chọn để chuyên mục không có khối tin riêng trên trang chủ."),
    )
    home_order = models.PositiveSmallIntegerField(
        _("thứ tự trên trang chủ"),
        default=0,
        help_text=_("Số nhỏ đứng trước. Bằng nhau thì theo thứ tự chuyên mục."),
    )

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        if self.parent_id:
            return f"{self.parent.name} › {self.name}"
        return self.name

    def get_absolute_url(self) -> str:
        # As Article.get_absolute_url: every page's navigation prints them all.
        return f"{get_script_prefix()}chuyen-muc/{self.slug}/"

    def purge_keys(self) -> set[str]:
        # Every page prints the navigation.
        return {"site"}

    def ids_with_subsections(self) -> list[int]:
        """This section's id and its subsections' (sections nest one level):
        what search filters by, as ids rather than a subquery (see
        articles/search_index.py: they are tokens of its index)."""
        ids = [self.pk]
        if self.parent_id is None:
            ids += Section.objects.filter(parent=self).values_list("pk", flat=True)
        return ids

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


class ContributorQuerySet(models.QuerySet):
    def with_public_articles(self) -> "ContributorQuerySet":
        """Contributors credited on an article readers may see now."""
        from .articles import Article, Credit  # articles.py imports this module

        return self.filter(
            Exists(
                Credit.objects.filter(
                    contributor=OuterRef("pk"), article__in=Article.objects.published()
                )
            )
        )


class Contributor(models.Model):
    """A person credited on articles: reporter, photographer, translator..."""

    name = PlainCharField(_("tên"), max_length=100)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)
    bio = PlainTextField(_("giới thiệu ngắn"), max_length=600, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributor",
    )

    objects = ContributorQuerySet.as_manager()

    class Meta:
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:contributor", kwargs={"slug": self.slug})

    def purge_keys(self) -> set[str]:
        """Pages that print this person: bylines, photo credits, their page,
        and the list of contributors."""
        return {f"contributor:{self.pk}", "contributors"}


class TagQuerySet(models.QuerySet):
    def with_public_articles(self) -> "TagQuerySet":
        """Tags of an article readers may see now: a tag given only to drafts
        or embargoed stories would tell what they are about."""
        from .articles import Article  # articles.py imports this module

        return self.filter(
            Exists(
                TaggedArticle.objects.filter(
                    tag=OuterRef("pk"), content_object__in=Article.objects.published()
                )
            )
        )


class Tag(TagBase):
    """A từ khóa. Slugs drop Vietnamese diacritics: "Bến Tre" -> "ben-tre"."""

    objects = TagQuerySet.as_manager()

    class Meta:
        verbose_name = _("từ khóa")
        verbose_name_plural = _("từ khóa")
        ordering = ["name"]

    def get_absolute_url(self) -> str:
        return reverse("articles:tag", kwargs={"slug": self.slug})

    def purge_keys(self) -> set[str]:
        return {f"tag:{self.pk}", "tags"}

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
        indexes = [
            # Related articles: the newest articles of a tag, without sorting
            # all of a common tag's rows.
            models.Index(fields=["tag", "-content_object"], name="tagged_newest_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="tag_once_per_article"
            )
        ]

    def purge_keys(self) -> set[str]:
        return {
            f"article:{self.content_object_id}",
            f"tag-articles:{self.tag_id}",
            # A tag on a public article is listed; its last one gone, it is not.
            "tags",
        }
