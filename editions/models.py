"""The print edition: each day's paper as its PDF and the pictures of its pages."""

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from articles.search import Query, words
from articles.text import fold


def pdf_upload_to(issue: "Issue", filename: str) -> str:
    # Readers download the file under this name; the storage adds a suffix
    # when a replaced PDF's name is still taken.
    return f"bao-in/pdf/{issue.date:%Y/%m}/so-{issue.number}-{issue.date:%Y-%m-%d}.pdf"


def search_line(text: str) -> str:
    """A page's text folded for search: " dan van kheo " (see articles/search.py:
    a phrase is a plain substring test that never joins two words)."""
    return f" {' '.join(fold(word) for word in words(text))} "


class IssueQuerySet(models.QuerySet):
    def visible(self) -> "IssueQuerySet":
        """What readers see: published by an editor, and its pages made (an
        issue whose PDF was replaced keeps its old pages until the new ones
        are ready)."""
        return self.filter(is_published=True, page_count__gt=0)

    def with_cover(self) -> "IssueQuerySet":
        """Each issue with its first page in ``cover_pages`` (one more query)."""
        return self.prefetch_related(
            Prefetch("pages", IssuePage.objects.filter(number=1), to_attr="cover_pages")
        )

    def for_listing(self) -> "IssueQuerySet":
        return self.visible().with_cover().order_by("-date", "-number")


class Issue(models.Model):
    """One printed issue: its PDF, and its pages once the worker has made them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Đang xử lý")
        READY = "ready", _("Đã xử lý")
        FAILED = "failed", _("Lỗi")

    date = models.DateField(_("ngày phát hành"))
    number = models.PositiveIntegerField(
        _("số báo"), help_text=_("Số in trên măng-sét, ví dụ 5123.")
    )
    pdf = models.FileField(
        _("tệp PDF"),
        upload_to=pdf_upload_to,
        max_length=200,
        help_text=_("Bản PDF của cả số báo, như gửi nhà in."),
    )
    pdf_size = models.PositiveBigIntegerField(_("dung lượng PDF"), default=0)
    is_published = models.BooleanField(
        _("hiện cho bạn đọc"),
        default=True,
        help_text=_("Số báo hiện trên trang Báo in khi các trang đã xử lý xong."),
    )
    page_count = models.PositiveSmallIntegerField(_("số trang"), default=0)
    status = models.CharField(
        _("xử lý"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    error = models.TextField(_("lỗi xử lý"), blank=True)
    rendered_at = models.DateTimeField(_("xử lý xong lúc"), null=True, blank=True)
    created_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lúc"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người tải lên"),
    )

    objects = IssueQuerySet.as_manager()

    class Meta:
        verbose_name = _("số báo in")
        verbose_name_plural = _("số báo in")
        ordering = ["-date", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["date", "number"],
                name="issue_date_number_unique",
                violation_error_message=_("Đã có số báo này ngày này."),
            )
        ]
        indexes = [
            # The reader's list and calendar: visible issues, newest first.
            models.Index(fields=["-date", "-number"], name="issue_date_idx"),
        ]

    def __str__(self) -> str:
        return _("Số %(number)s ngày %(date)s") % {
            "number": self.number,
            "date": self.date.strftime("%d/%m/%Y"),
        }

    def get_absolute_url(self) -> str:
        return reverse("editions:issue", kwargs=self.url_kwargs())

    def page_url(self, number: int) -> str:
        if number == 1:
            return self.get_absolute_url()
        return reverse(
            "editions:issue_page", kwargs={**self.url_kwargs(), "page": number}
        )

    def url_kwargs(self) -> dict:
        return {
            "year": self.date.year,
            "month": f"{self.date.month:02d}",
            "day": f"{self.date.day:02d}",
            "number": self.number,
        }

    @property
    def cover(self) -> "IssuePage | None":
        """The first page, from ``with_cover()``."""
        pages = getattr(self, "cover_pages", None)
        return pages[0] if pages else None

    @property
    def is_visible(self) -> bool:
        """The rule of ``visible()``, on a row already fetched."""
        return self.is_published and self.page_count > 0

    def purge_keys(self) -> set[str]:
        return {f"print-issue:{self.pk}", "print-issues"}


class IssuePageQuerySet(models.QuerySet):
    def matching(self, query: Query) -> "IssuePageQuerySet":
        """Pages of visible issues whose text holds the phrase, diacritics
        and case aside ("dan van" finds "dân vận"); newest issue first."""
        from .search import phrase_filter

        return (
            self.filter(issue__is_published=True, issue__page_count__gt=0)
            .filter(phrase_filter(query))
            .select_related("issue")
            .defer("search_text")
            .order_by("-issue__date", "-issue__number", "number")
        )

    def for_reading(self, current: int) -> "IssuePageQuerySet":
        """An issue's pages in order, for the reader: every page's pictures,
        and the text of page ``current`` only (``current_text``), printed
        under its picture. The other pages' text stays in the database."""
        return (
            self.defer("text", "search_text")
            .annotate(
                current_text=models.Case(
                    models.When(number=current, then="text"),
                    default=models.Value(""),
                    output_field=models.TextField(),
                )
            )
            .order_by("number")
        )


class IssuePage(models.Model):
    """A page of an issue as pictures (WebP at three widths, a JPEG for the
    rest) and as text, for search and for screen readers."""

    issue = models.ForeignKey(
        Issue, on_delete=models.CASCADE, related_name="pages", verbose_name=_("số báo")
    )
    number = models.PositiveSmallIntegerField(_("trang"))
    # Width and height of the largest picture, in pixels: the others keep its
    # proportions, and the page reserves its space before a picture arrives.
    width = models.PositiveIntegerField(_("rộng"))
    height = models.PositiveIntegerField(_("cao"))
    thumb = models.FileField(_("ảnh nhỏ"), max_length=200)
    phone = models.FileField(_("ảnh cho điện thoại"), max_length=200)
    desktop = models.FileField(_("ảnh cho máy tính"), max_length=200)
    jpeg = models.FileField(_("ảnh JPEG"), max_length=200)
    text = models.TextField(_("chữ trên trang"), blank=True)
    search_text = models.TextField(blank=True, editable=False)

    objects = IssuePageQuerySet.as_manager()

    # Widths of the pictures, in pixels: a thumbnail, a phone's screen at
    # twice its CSS width, and a desktop's (or a phone zoomed in).
    THUMB_WIDTH = 240
    PHONE_WIDTH = 800
    DESKTOP_WIDTH = 1600

    class Meta:
        verbose_name = _("trang báo in")
        verbose_name_plural = _("trang báo in")
        ordering = ["issue", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["issue", "number"], name="issuepage_issue_number_unique"
            )
        ]

    def __str__(self) -> str:
        return _("Trang %(number)s") % {"number": self.number}

    def save(self, *args, **kwargs):
        self.search_text = search_line(self.text)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.issue.page_url(self.number)

    @property
    def thumb_width(self) -> int:
        return self.THUMB_WIDTH

    @property
    def thumb_height(self) -> int:
        return max(1, round(self.height * self.THUMB_WIDTH / self.width))

    @property
    def phone_width(self) -> int:
        return self.PHONE_WIDTH

    def file_names(self) -> list[str]:
        return [f.name for f in (self.thumb, self.phone, self.desktop, self.jpeg) if f]

    def purge_keys(self) -> set[str]:
        return {f"print-issue:{self.issue_id}", "print-issues"}
