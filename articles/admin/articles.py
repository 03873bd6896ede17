"""The article form, its workflow buttons, bulk actions and revision pages."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from paper.admin import NonceMediaMixin

from ..forms import ArticleAdminForm, CreditForm
from ..models import Article, ArticlePhoto, ArticleVideo, Credit, GalleryPhoto
from ..services import (
    allowed_transitions,
    article_publish,
    article_record_revision,
    article_restore,
    article_save,
    article_transition,
    article_unpublish,
    can_edit,
)
from .revisions import compare_rows
from .shared import VietnameseSlugMixin, photo_thumbnail


class _FollowsArticleRights:
    """Inline rows are editable only while the article itself is."""

    def _article_editable(self, request, obj) -> bool:
        return obj is None or can_edit(user=request.user, article=obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._article_editable(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._article_editable(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._article_editable(
            request, obj
        )


class CreditInline(_FollowsArticleRights, admin.TabularInline):
    model = Credit
    form = CreditForm
    extra = 1
    autocomplete_fields = ["contributor"]


class ArticlePhotoInline(_FollowsArticleRights, admin.TabularInline):
    model = ArticlePhoto
    extra = 0
    raw_id_fields = ["photo"]
    readonly_fields = ["preview"]
    fields = ["photo", "preview", "after_paragraph", "is_wide", "caption"]

    @admin.display(description=_("xem trước"))
    def preview(self, use):
        return photo_thumbnail(use.photo if use.photo_id else None)


class ArticleVideoInline(_FollowsArticleRights, admin.TabularInline):
    """Library videos placed between the body's paragraphs, like body photos."""

    model = ArticleVideo
    extra = 0
    raw_id_fields = ["video"]
    readonly_fields = ["preview"]
    fields = ["video", "preview", "after_paragraph", "caption"]

    @admin.display(description=_("ảnh bìa"))
    def preview(self, use):
        return photo_thumbnail(use.video.poster_photo if use.video_id else None)


class GalleryPhotoInline(admin.TabularInline):
    """A photo story: pictures shown in order, each with its caption."""

    model = GalleryPhoto
    extra = 0
    raw_id_fields = ["photo"]
    readonly_fields = ["preview"]
    fields = ["order", "photo", "preview", "caption"]

    @admin.display(description=_("xem trước"))
    def preview(self, use):
        return photo_thumbnail(use.photo if use.photo_id else None)


@admin.register(Article)
class ArticleAdmin(NonceMediaMixin, VietnameseSlugMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "section",
        "state",
        "published_at",
        "home_placement",
        "is_breaking",
        "authors",
    ]
    list_filter = [
        "status",
        "kind",
        "layout",
        "home_placement",
        "is_breaking",
        "section",
    ]
    list_select_related = ["section"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "related_articles"]
    # The raw-id picker opens the photo library with thumbnails and search.
    raw_id_fields = ["lead_photo", "lead_video"]
    radio_fields = {"layout": admin.HORIZONTAL}
    # State and publication time change only through the workflow buttons.
    readonly_fields = [
        "lead_photo_preview",
        "status",
        "published_at",
        "created_at",
        "updated_at",
    ]
    inlines = [CreditInline, ArticlePhotoInline, ArticleVideoInline, GalleryPhotoInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    "kind",
                    "layout",
                    "section",
                    "lead",
                    "body",
                    "tags",
                ]
            },
        ),
        (
            _("Ảnh đầu bài"),
            {"fields": ["lead_photo", "lead_photo_preview", "lead_photo_caption"]},
        ),
        (_("Bài video"), {"fields": ["lead_video"]}),
        (_("Nguồn"), {"fields": ["source_name", "source_url"]}),
        (
            _("Trang chủ và tin liên quan"),
            {
                "fields": [
                    "home_placement",
                    ("is_breaking", "breaking_until"),
                    "related_articles",
                ],
                "description": _(
                    "Tin nóng hiện ở dải đầu trang chủ đến hết thời hạn; trên trang "
                    "chủ không bài nào lặp lại, nên bài đang là tin nóng không hiện "
                    "lại ở vị trí khác. Bài liên quan chọn ở đây đứng trước các bài "
                    "tự tìm theo từ khóa và chuyên mục."
                ),
            },
        ),
        (
            _("Xuất bản (giờ Việt Nam)"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "embargo_until",
                    "is_commentable",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (
            _("Quy trình"),
            {"fields": ["workflow_note", "schedule_at", "loaded_version"]},
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .prefetch_related("credits__contributor")
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        # The form checks the requested transition for this user.
        return type(
            form.__name__,
            (form,),
            {
                "user": request.user,
                "transition_name": request.POST.get("_transition", ""),
            },
        )

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return can_edit(user=request.user, article=obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        if obj is None:
            return True
        # Only drafts that never reached readers, and only one's own unless
        # one publishes; published work is kept (and its history protects it).
        return (
            obj.status in (Article.Status.DRAFT, Article.Status.RETURNED)
            and obj.published_at is None
            and (
                obj.created_by_id == request.user.pk
                or request.user.has_perm("articles.publish_article")
            )
        )

    def view_on_site(self, article):
        # Only where readers would find it; drafts have the preview link.
        return article.get_absolute_url() if article.is_public else None

    def has_publish_permission(self, request):
        return request.user.has_perm("articles.publish_article")

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Bulk delete would skip the per-article retention rule above.
        actions.pop("delete_selected", None)
        return actions

    @admin.display(description=_("tác giả"))
    def authors(self, article):
        return ", ".join(credit.contributor.name for credit in article.credits.all())

    @admin.display(description=_("trạng thái"), ordering="status")
    def state(self, article):
        label = article.get_status_display()
        if article.is_overdue:
            return format_html(
                '{} <strong style="color:#ba2121">({})</strong>',
                label,
                _("quá giờ hẹn"),
            )
        if article.is_embargoed:
            return format_html("{} ({})", label, _("đang cấm đăng"))
        return label

    @admin.display(description=_("ảnh đang chọn"))
    def lead_photo_preview(self, article):
        return photo_thumbnail(article.lead_photo, height=160)

    def render_change_form(self, request, context, add=False, change=False, **kw):
        article = context.get("original") or Article(created_by=request.user)
        editable = self.has_change_permission(request, context.get("original"))
        context.update(
            transitions=(
                allowed_transitions(article=article, user=request.user)
                if editable or add
                else []
            ),
            audit_entries=(
                article.audit_entries.select_related("actor")[:20] if article.pk else []
            ),
            workflow_article=article,
            preview_url=article.get_preview_url() if article.pk else "",
        )
        return super().render_change_form(request, context, add, change, **kw)

    def save_model(self, request, obj, form, change):
        article_save(article=obj, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        article = form.instance
        name = request.POST.get("_transition", "")
        if not name:
            article_record_revision(article=article, by=request.user)
            return
        article_transition(
            article=article,
            name=name,
            by=request.user,
            note=form.cleaned_data.get("workflow_note", ""),
            at=form.cleaned_data.get("schedule_at"),
        )
        self.message_user(
            request,
            _("Bài “%(title)s” giờ ở trạng thái “%(status)s”.")
            % {"title": article.title, "status": article.get_status_display()},
            messages.SUCCESS,
        )

    def response_add(self, request, obj, post_url_continue=None):
        if "_transition" in request.POST:
            return redirect("admin:articles_article_change", obj.pk)
        return super().response_add(request, obj, post_url_continue)

    def response_change(self, request, obj):
        if "_transition" in request.POST:
            return redirect("admin:articles_article_change", obj.pk)
        return super().response_change(request, obj)

    def get_urls(self):
        urls = [
            path(
                "<path:object_id>/phien-ban/",
                self.admin_site.admin_view(require_safe(self.revisions_view)),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/phien-ban/<int:number>/khoi-phuc/",
                self.admin_site.admin_view(self.restore_view),
                name="articles_article_restore",
            ),
        ]
        return urls + super().get_urls()

    def _article_or_404(self, request, object_id) -> Article:
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise Http404
        return article

    def revisions_view(self, request, object_id):
        """Every revision, and two of them side by side (?a=…&b=…)."""
        article = self._article_or_404(request, object_id)
        revisions = list(article.revisions.select_related("created_by"))
        by_number = {r.number: r for r in revisions}
        left = by_number.get(_int(request.GET.get("a")))
        right = by_number.get(_int(request.GET.get("b")))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("Các phiên bản: %(title)s") % {"title": article.title},
            "revisions": revisions,
            "left": left,
            "right": right,
            "rows": compare_rows(left.data, right.data) if left and right else [],
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(
            request, "admin/articles/article/revisions.html", context
        )

    def restore_view(self, request, object_id, number):
        article = self._article_or_404(request, object_id)
        revision = get_object_or_404(article.revisions, number=number)
        if request.method != "POST":
            return redirect("admin:articles_article_revisions", article.pk)
        try:
            article_restore(article=article, revision=revision, by=request.user)
        except PermissionDenied:
            raise
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return redirect("admin:articles_article_revisions", article.pk)
        # The new revision's note says what could not be put back (a photo
        # deleted from the library since, say).
        note = article.revisions.values_list("note", flat=True).first()
        self.message_user(
            request,
            _("Đã khôi phục thành một phiên bản mới: %(note)s.") % {"note": note},
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for article in queryset:
            try:
                service(article=article, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                reason = (
                    "; ".join(error.messages)
                    if isinstance(error, ValidationError)
                    else str(error)
                )
                self.message_user(request, f"{article}: {reason}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Xuất bản các bài đã chọn"), permissions=["publish"])
    def publish(self, request, queryset):
        self._apply(
            request,
            queryset,
            article_publish,
            lambda n: ngettext("Đã xuất bản %d bài.", "Đã xuất bản %d bài.", n) % n,
        )

    @admin.action(description=_("Gỡ xuống các bài đã chọn"), permissions=["publish"])
    def unpublish(self, request, queryset):
        self._apply(
            request,
            queryset,
            article_unpublish,
            lambda n: ngettext("Đã gỡ %d bài.", "Đã gỡ %d bài.", n) % n,
        )


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None
