import difflib

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from taggit.models import Tag as TaggitTag

from .forms import ArticleAdminForm, CreditForm, PhotoAdminForm
from .models import (
    Article,
    ArticlePhoto,
    AuditEntry,
    Contributor,
    Correction,
    Credit,
    GalleryPhoto,
    Photo,
    Section,
    Tag,
)
from .services import (
    allowed_transitions,
    article_publish,
    article_record_revision,
    article_restore,
    article_save,
    article_transition,
    article_unpublish,
    can_edit,
    correction_publish,
    describe_changes,
    photo_delete,
    photo_make_renditions,
)

# Articles use their own Tag model; taggit's generic one stays empty.
if admin.site.is_registered(TaggitTag):
    admin.site.unregister(TaggitTag)


class VietnameseSlugMixin:
    """Prefills slugs in the browser with the same rule as the server."""

    class Media:
        # Listed after Django's urlify.js so that ours replaces it.
        js = ["admin/js/urlify.js", "articles/admin/urlify_vi.js"]


def _thumbnail(photo: Photo | None, height: int = 60):
    if photo is None or not photo.image:
        return "—"
    # The smallest card rendition: the original may be megabytes.
    return format_html(
        '<img src="{}" alt="{}" style="height:{}px;width:auto;border-radius:3px">',
        photo.thumbnail_url,
        photo.alt_text,
        height,
    )


@admin.register(Section)
class SectionAdmin(VietnameseSlugMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "parent",
        "order",
        "is_on_home",
        "home_order",
        "article_count",
    ]
    list_editable = ["order", "is_on_home", "home_order"]
    list_select_related = ["parent"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_articles=Count("articles"))

    @admin.display(description=_("số bài"), ordering="n_articles")
    def article_count(self, section):
        return section.n_articles


@admin.register(Contributor)
class ContributorAdmin(VietnameseSlugMixin, admin.ModelAdmin):
    list_display = ["name", "slug", "user"]
    list_select_related = ["user"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    """The photo library: search by caption, credit and date; see where used."""

    form = PhotoAdminForm
    list_display = [
        "thumbnail",
        "__str__",
        "credit_display",
        "size",
        "use_count",
        "created_at",
    ]
    list_select_related = ["photographer"]
    search_fields = ["caption", "alt_text", "credit_text", "photographer__name"]
    list_filter = [("created_at", admin.DateFieldListFilter)]
    date_hierarchy = "created_at"
    autocomplete_fields = ["photographer"]
    readonly_fields = ["focal_point_picker", "width", "height", "usage"]
    fieldsets = [
        (None, {"fields": ["image", "staged_image", "caption", "alt_text"]}),
        (_("Nguồn ảnh"), {"fields": ["photographer", "credit_text"]}),
        (
            _("Tiêu điểm"),
            {
                "fields": ["focal_point_picker", ("focus_x", "focus_y")],
                "description": _(
                    "Bấm vào chủ thể của ảnh: ảnh thu nhỏ ở trang chủ và ảnh chia "
                    "sẻ lên mạng xã hội được cắt quanh điểm này."
                ),
            },
        ),
        (_("Thông tin"), {"fields": [("width", "height"), "usage"]}),
    ]

    class Media:
        js = ["js/focal-point.js"]
        css = {"all": ["css/focal-point.css"]}

    def get_queryset(self, request):
        # Uses are counted in one query, for the list's "used" column.
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_lead=Count("led_articles", distinct=True),
                n_body=Count("uses", distinct=True),
                n_gallery=Count("gallery_uses", distinct=True),
            )
            .annotate(n_uses=F("n_lead") + F("n_body") + F("n_gallery"))
        )

    @admin.display(description=_("ảnh"))
    def thumbnail(self, photo):
        return _thumbnail(photo)

    @admin.display(description=_("nguồn ảnh"))
    def credit_display(self, photo):
        return photo.credit

    @admin.display(description=_("kích thước"))
    def size(self, photo):
        return f"{photo.width}×{photo.height}"

    @admin.display(description=_("số lần dùng"), ordering="n_uses")
    def use_count(self, photo):
        return photo.n_uses

    @admin.display(description=_("xem trước – bấm vào chủ thể"))
    def focal_point_picker(self, photo):
        if not photo.pk or not photo.image:
            return _("Lưu ảnh trước, rồi đặt tiêu điểm.")
        return format_html(
            '<div class="focal-point" data-focal-point>'
            '<img src="{}" alt="{}" width="{}" height="{}">'
            '<span class="focal-point__marker" aria-hidden="true"></span></div>',
            photo.picture("full").src,
            photo.alt_text,
            photo.width,
            photo.height,
        )

    @admin.display(description=_("dùng trong các bài"))
    def usage(self, photo):
        if not photo.pk:
            return "—"
        uses = [
            (article, _("ảnh đầu bài"))
            for article in photo.led_articles.only("id", "title")
        ]
        uses += [
            (use.article, _("ảnh trong bài"))
            for use in photo.uses.select_related("article")
        ]
        uses += [
            (use.article, _("phóng sự ảnh"))
            for use in photo.gallery_uses.select_related("article")
        ]
        if not uses:
            return _("Chưa dùng trong bài nào.")
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                '<li><a href="{}">{}</a> ({})</li>',
                (
                    (
                        reverse("admin:articles_article_change", args=[article.pk]),
                        article.title,
                        where,
                    )
                    for article, where in uses
                ),
            ),
        )

    def delete_model(self, request, obj):
        photo_delete(photo=obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset:
            photo_delete(photo=photo)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        staged = getattr(form.cleaned_data.get("image"), "staged_name", None)
        if staged:
            # The kept upload now lives in the library under its own name.
            transaction.on_commit(lambda: default_storage.delete(staged))
        try:
            photo_make_renditions(photo=obj)
        except ValidationError as error:
            self.message_user(request, "; ".join(error.messages), messages.ERROR)
            return
        obj.refresh_from_db()
        prepared = form.prepared
        for note in prepared.notes if prepared else ():
            self.message_user(request, note, messages.INFO)


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
    fields = ["photo", "preview", "after_paragraph", "caption"]

    @admin.display(description=_("xem trước"))
    def preview(self, use):
        return _thumbnail(use.photo if use.photo_id else None)


class GalleryPhotoInline(admin.TabularInline):
    """A photo story: pictures shown in order, each with its caption."""

    model = GalleryPhoto
    extra = 0
    raw_id_fields = ["photo"]
    readonly_fields = ["preview"]
    fields = ["order", "photo", "preview", "caption"]

    @admin.display(description=_("xem trước"))
    def preview(self, use):
        return _thumbnail(use.photo if use.photo_id else None)


@admin.register(Article)
class ArticleAdmin(VietnameseSlugMixin, admin.ModelAdmin):
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
    list_filter = ["status", "kind", "home_placement", "is_breaking", "section"]
    list_select_related = ["section"]
    search_fields = ["title", "lead"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section", "related_articles"]
    # The raw-id picker opens the photo library with thumbnails and search.
    raw_id_fields = ["lead_photo"]
    # State and publication time change only through the workflow buttons.
    readonly_fields = [
        "lead_photo_preview",
        "status",
        "published_at",
        "created_at",
        "updated_at",
    ]
    inlines = [CreditInline, ArticlePhotoInline, GalleryPhotoInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "kind", "section", "lead", "body", "tags"]},
        ),
        (
            _("Ảnh đầu bài"),
            {"fields": ["lead_photo", "lead_photo_preview", "lead_photo_caption"]},
        ),
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
        return _thumbnail(article.lead_photo, height=160)

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
                self.admin_site.admin_view(self.revisions_view),
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
        self.message_user(
            request,
            _("Đã khôi phục phiên bản #%(n)d thành một phiên bản mới.") % {"n": number},
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


def compare_rows(left: dict, right: dict) -> list[dict]:
    """One row per field, both sides, words removed and added marked up."""
    rows = []
    for label, before, after in describe_changes(left, right):
        rows.append({"label": label, "left": before, "right": after, "changed": True})
    changed = {row["label"] for row in rows}
    for label, value, _same in describe_changes({}, right):
        if label not in changed:
            rows.append(
                {"label": label, "left": value, "right": value, "changed": False}
            )
    for row in rows:
        row["left_html"], row["right_html"] = word_diff(row["left"], row["right"])
    return rows


def word_diff(before: str, after: str) -> tuple[str, str]:
    """Both texts escaped, with removed words in <del> and added ones in <ins>."""
    old, new = before.split(), after.split()
    left, right = [], []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        a, b = escape(" ".join(old[i1:i2])), escape(" ".join(new[j1:j2]))
        if op == "equal":
            left.append(a)
            right.append(b)
            continue
        if a:
            left.append(f"<del>{a}</del>")
        if b:
            right.append(f"<ins>{b}</ins>")
    # Every piece was escaped above; only our own tags are added.
    return mark_safe(" ".join(left)), mark_safe(" ".join(right))  # noqa: S308


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The workflow's record: read only, never deleted."""

    list_display = [
        "created_at",
        "article",
        "action",
        "from_status",
        "to_status",
        "actor",
    ]
    list_filter = ["action", "to_status", ("created_at", admin.DateFieldListFilter)]
    list_select_related = ["article", "actor"]
    search_fields = ["article__title", "note", "actor__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Correction)
class CorrectionAdmin(admin.ModelAdmin):
    """Corrections are published once and never edited or deleted."""

    list_display = ["__str__", "kind", "published_at", "is_standalone"]
    list_filter = ["kind", "is_standalone"]
    list_select_related = ["article"]
    search_fields = ["work_title", "text"]
    autocomplete_fields = ["article"]
    fields = [
        "article",
        "kind",
        "text",
        "false_content",
        "corrected_content",
        "is_standalone",
    ]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        correction_publish(correction=obj, by=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class CheckedForm(form):
            # The service's rules, shown on the form instead of as an error page.
            def _post_clean(self):
                super()._post_clean()
                article = self.cleaned_data.get("article")
                if article is not None and article.published_at is None:
                    self.add_error("article", _("Chỉ đính chính được bài đã xuất bản."))

        return CheckedForm


@admin.register(Tag)
class TagAdmin(VietnameseSlugMixin, admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
