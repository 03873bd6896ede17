from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from .credits import Role
from .images import prepare_upload
from .models import Credit, Photo


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
        help_text=_(
            "JPEG, PNG hoặc WebP. Vị trí GPS và thông tin máy ảnh được xóa trước "
            "khi đăng; chú thích và nguồn ghi sẵn trong ảnh được điền vào ô trống."
        ),
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

    @property
    def prepared(self):
        """What the checks found in a newly uploaded file, or None."""
        image = (getattr(self, "cleaned_data", None) or {}).get("image")
        return getattr(image, "prepared", None)

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
