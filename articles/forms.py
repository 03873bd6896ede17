import copy
import uuid
from datetime import date, datetime, time, timedelta

from django import forms
from django.conf import settings
from django.contrib.admin.widgets import AdminSplitDateTime
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .credits import Role
from .images import PreparedPhoto, prepare_upload
from .models import Article, Credit, Photo, Section, Video
from .services import check_transition, stale_save_message, video_take_file
from .video_files import prepare_captions, prepare_video

# A checked upload is kept here while the editor fixes other fields, so a
# refused form never makes them choose the file again.
_STAGING_DIR = "photos/staging"
_STAGING_SALT = "articles.photo-staging"
_STAGING_MAX_AGE = 24 * 3600


class CreditForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Vai trò"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một vai trò.")},
    )

    class Meta:
        model = Credit
        fields = ["contributor", "roles", "order"]


class ArticleAdminForm(forms.ModelForm):
    """The article form with the workflow's extra inputs.

    ``user`` and ``transition_name`` are set by ``ArticleAdmin.get_form``. The
    requested transition and the version check run in ``_post_clean`` so that a
    refusal shows on the form and nothing is saved.
    """

    user = None
    transition_name = ""

    # Hidden, but the admin still prints its label in the page.
    loaded_version = forms.IntegerField(
        label=_("Phiên bản lúc mở"), widget=forms.HiddenInput, required=False
    )
    workflow_note = forms.CharField(
        label=_("Ghi chú cho bước này"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        help_text=_("Bắt buộc khi trả lại tác giả hoặc thu hồi bài."),
    )
    schedule_at = forms.SplitDateTimeField(
        label=_("Hẹn đăng lúc (giờ Việt Nam)"),
        required=False,
        widget=AdminSplitDateTime,
        help_text=_("Dùng với nút “Hẹn giờ đăng”."),
    )

    class Meta:
        model = Article
        # The admin narrows this to its fieldsets.
        fields = [
            "title",
            "slug",
            "kind",
            "layout",
            "section",
            "lead",
            "body",
            "tags",
            "lead_photo",
            "lead_photo_caption",
            "lead_video",
            "source_name",
            "source_url",
            "embargo_until",
            "is_commentable",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["loaded_version"].initial = self.instance.version
        if "layout" in self.fields:
            # A post without the field (a form or script from before layouts)
            # keeps the article's layout instead of failing; an empty or
            # unknown value is still refused.
            self.fields["layout"].required = False

    def clean_layout(self):
        layout = self.cleaned_data.get("layout")
        if layout or "layout" not in self.data:
            return layout or self.instance.layout
        raise forms.ValidationError(_("Hãy chọn cách trình bày bài."), code="required")

    def _post_clean(self):
        super()._post_clean()
        article = self.instance
        if article.pk is not None:
            self._refuse_stale_save(article)
        if self.transition_name and not self.errors:
            self._check_transition(article)

    def _refuse_stale_save(self, article: Article) -> None:
        # Locked until the admin's transaction ends, so a save cannot slip in
        # between this check and ours (PostgreSQL; SQLite serialises writes).
        current = Article.objects.select_for_update().get(pk=article.pk)
        loaded = self.cleaned_data.get("loaded_version")
        if loaded is None or loaded == current.version:
            return
        self.add_error(None, stale_save_message(article=current, loaded=loaded))

    def _check_transition(self, article: Article) -> None:
        if article.pk is None:
            article.created_by = self.user
        try:
            transition = check_transition(
                article=article,
                name=self.transition_name,
                by=self.user,
                note=self.cleaned_data.get("workflow_note", ""),
                at=self.cleaned_data.get("schedule_at"),
            )
            # Would the article be complete in its new state?
            probe = copy.copy(article)
            probe.status = transition.target
            probe.clean()
        except PermissionDenied as error:
            self.add_error(None, str(error))
        except ValidationError as error:
            self.add_error(None, error)


class PhotoFileField(forms.FileField):
    """A photo upload, checked by its content and returned cleaned.

    The cleaned value is the file to store (re-encoded without metadata), with
    the checks' findings on its ``prepared`` attribute.
    """

    widget = forms.ClearableFileInput(
        attrs={"accept": "image/jpeg,image/png,image/webp"}
    )
    default_error_messages = {
        "empty": _("Tệp rỗng (0 byte): hãy chọn lại tệp ảnh."),
        "required": _("Hãy chọn một tệp ảnh."),
    }

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            prepared = prepare_upload(value)
            value = prepared.file
            value.prepared = prepared
        return value


class PhotoAdminForm(forms.ModelForm):
    image = PhotoFileField(
        label=_("Tệp ảnh"),
        # Required, but checked in clean_image: a kept upload counts.
        required=False,
        help_text=_(
            "JPEG, PNG hoặc WebP. Vị trí GPS và thông tin máy ảnh được xóa trước "
            "khi đăng; chú thích và nguồn ghi sẵn trong ảnh được điền vào ô trống."
        ),
    )
    staged_image = forms.CharField(
        label=_("tệp đã giữ"), widget=forms.HiddenInput, required=False
    )

    class Meta:
        model = Photo
        fields = [
            "image",
            "caption",
            "alt_text",
            "photographer",
            "credit_text",
            "focus_x",
            "focus_y",
        ]
        widgets = {
            "focus_x": forms.NumberInput(attrs={"step": "0.001", "min": 0, "max": 1}),
            "focus_y": forms.NumberInput(attrs={"step": "0.001", "min": 0, "max": 1}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A photo always has a file: no "clear" checkbox on the change form.
        self.fields["image"].widget.is_required = True

    @property
    def prepared(self):
        """What the checks found in a newly uploaded file, or None."""
        image = (getattr(self, "cleaned_data", None) or {}).get("image")
        return getattr(image, "prepared", None)

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image or (self.instance.pk and image is None):
            return image
        staged = self._unstage(self.data.get("staged_image", ""))
        if staged is not None:
            return staged
        raise forms.ValidationError(
            self.fields["image"].error_messages["required"], code="required"
        )

    def _unstage(self, token: str) -> ContentFile | None:
        try:
            kept = signing.loads(token, salt=_STAGING_SALT, max_age=_STAGING_MAX_AGE)
        except signing.BadSignature:
            return None
        name = kept.get("name", "")
        if not name.startswith(f"{_STAGING_DIR}/") or not default_storage.exists(name):
            return None
        with default_storage.open(name, "rb") as file:
            content = ContentFile(file.read(), name=kept["filename"])
        content.prepared = PreparedPhoto(
            file=content,
            width=kept["width"],
            height=kept["height"],
            caption=kept["caption"],
            credit=kept["credit"],
            notes=tuple(kept["notes"]),
        )
        content.staged_name = name
        return content

    def full_clean(self):
        super().full_clean()
        prepared = self.prepared
        if not self.is_bound or not self._errors or prepared is None:
            return
        # The file was good but something else was not: keep the checked file
        # and what it said, and show the metadata caption and credit.
        image = self.cleaned_data["image"]
        name = getattr(image, "staged_name", None)
        if name is None:
            extension = prepared.file.name.rsplit(".", 1)[-1]
            prepared.file.seek(0)
            name = default_storage.save(
                f"{_STAGING_DIR}/{uuid.uuid4().hex}.{extension}", prepared.file
            )
        token = signing.dumps(
            {
                "name": name,
                "filename": prepared.file.name,
                "width": prepared.width,
                "height": prepared.height,
                "caption": prepared.caption,
                "credit": prepared.credit,
                "notes": list(prepared.notes),
            },
            salt=_STAGING_SALT,
        )
        self.data = self.data.copy()
        self.data["staged_image"] = token
        if not self.data.get("caption"):
            self.data["caption"] = prepared.caption
        if not self.data.get("credit_text") and not self.data.get("photographer"):
            self.data["credit_text"] = prepared.credit
        kept_note = _(
            "Đã giữ tệp “%(name)s” vừa tải lên, không cần chọn lại; chỉ chọn tệp "
            "khác nếu muốn thay."
        ) % {"name": prepared.file.name}
        # The bound field copied the help text when the form was cleaned.
        self.fields["image"].help_text = self["image"].help_text = kept_note

    def clean(self):
        cleaned = super().clean()
        prepared = self.prepared
        if prepared:
            # The photographer's own caption and credit fill what the editor
            # left empty; the editor's words always win.
            if not cleaned.get("caption") and prepared.caption:
                cleaned["caption"] = prepared.caption
            if (
                not cleaned.get("credit_text")
                and not cleaned.get("photographer")
                and prepared.credit
            ):
                cleaned["credit_text"] = prepared.credit
        return cleaned


class VideoFileField(forms.FileField):
    """An MP4 upload, checked by its content (articles/video_files.py). The
    cleaned value is the file to store, with the check's findings (length,
    size, notes) on its ``prepared`` attribute."""

    widget = forms.ClearableFileInput(attrs={"accept": "video/mp4"})
    default_error_messages = {
        "empty": _("Tệp rỗng (0 byte): hãy chọn lại tệp video."),
    }

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            prepared = prepare_video(value)
            value = prepared.file
            value.prepared = prepared
        return value


class CaptionsFileField(forms.FileField):
    """A WebVTT file, checked and returned as UTF-8 text."""

    widget = forms.ClearableFileInput(attrs={"accept": ".vtt,text/vtt"})
    default_error_messages = {
        "empty": _("Tệp rỗng (0 byte): hãy chọn lại tệp phụ đề."),
    }

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return prepare_captions(value)
        return value


class VideoAdminForm(forms.ModelForm):
    """A library video: an MP4 upload or a YouTube or Facebook link, with a
    poster from the photo library or uploaded here."""

    file = VideoFileField(
        label=_("Tệp video MP4"),
        required=False,
        help_text=_(
            "MP4 (H.264), tối đa %(max)s MB. Vị trí GPS và thông tin thiết bị "
            "ghi trong tệp được xóa trước khi đăng."
        )
        % {"max": settings.VIDEO_MAX_BYTES // (1024 * 1024)},
    )
    captions = CaptionsFileField(
        label=_("Phụ đề (WebVTT)"),
        required=False,
        help_text=_("Tệp .vtt tiếng Việt; bạn đọc bật tắt phụ đề trên trình phát."),
    )
    poster_upload = PhotoFileField(
        label=_("Hoặc tải ảnh bìa mới"),
        required=False,
        help_text=_("Ảnh vào thư viện ảnh và được dùng làm ảnh bìa của video."),
    )

    class Meta:
        model = Video
        fields = [
            "title",
            "url",
            "file",
            "captions",
            "poster_photo",
            "description",
            "credit",
        ]

    def clean_file(self):
        value = self.cleaned_data.get("file")
        prepared = getattr(value, "prepared", None)
        if prepared is not None:
            # The index's length and size go on the row with the file.
            video_take_file(video=self.instance, prepared=prepared)
        return value

    @property
    def notes(self) -> tuple[str, ...]:
        """What the check changed in a newly uploaded file, for the editor."""
        value = (getattr(self, "cleaned_data", None) or {}).get("file")
        prepared = getattr(value, "prepared", None)
        return prepared.notes if prepared else ()


class SearchForm(forms.Form):
    """The reader's search: words, and optionally a section and a date range."""

    q = forms.CharField(
        label=_("Từ khóa"),
        max_length=200,
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("Ví dụ: dan van, Bến Tre")}),
    )
    chuyen_muc = forms.ModelChoiceField(
        label=_("Chuyên mục"),
        # Each option prints "Parent › Child": one query, not one per option.
        queryset=Section.objects.select_related("parent"),
        to_field_name="slug",
        required=False,
        empty_label=_("Tất cả chuyên mục"),
        error_messages={"invalid_choice": _("Chuyên mục này không có.")},
    )
    tu = forms.DateField(
        label=_("Từ ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập dạng 31/12/2026.")},
    )
    den = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        error_messages={"invalid": _("Ngày không hợp lệ, hãy nhập dạng 31/12/2026.")},
    )

    def __init__(self, *args, sections: list[Section] | None = None, **kwargs):
        """``sections``: every section with its parent, already read for the
        page's navigation; the section list then needs no query of its own."""
        super().__init__(*args, **kwargs)
        if sections is not None:
            field = self.fields["chuyen_muc"]
            # The options the field's queryset would give; a chosen slug is
            # still looked up through the queryset.
            field.choices = [
                ("", field.empty_label),
                *((section.slug, str(section)) for section in sections),
            ]

    def _clean_day(self, name: str):
        day = self.cleaned_data.get(name)
        # The archive starts long after 1900; far dates would overflow later.
        if day and not 1900 <= day.year <= 2100:
            raise forms.ValidationError(_("Hãy chọn một ngày từ năm 1900 đến 2100."))
        return day

    def clean_tu(self):
        return self._clean_day("tu")

    def clean_den(self):
        return self._clean_day("den")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("tu"), cleaned.get("den")
        if start and end and start > end:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return cleaned

    def scope(self) -> dict:
        """The valid form's filters as ``articles.search.search()`` takes
        them: section ids, and the dates as local midnights (``until`` is
        the day after "Đến ngày")."""
        section, start, end = (
            self.cleaned_data[f] for f in ("chuyen_muc", "tu", "den")
        )
        return {
            "sections": section.ids_with_subsections() if section else (),
            "since": day_start(start) if start else None,
            "until": day_start(end + timedelta(1)) if end else None,
        }


def day_start(day: date) -> datetime:
    """The local midnight that starts ``day``."""
    return timezone.make_aware(datetime.combine(day, time.min))
