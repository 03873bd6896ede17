import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Comment

# Line breaks and tabs are fine in a comment; other control characters are not.
_ALLOWED_CONTROL = {"\n", "\r", "\t"}


def _clean_text(value: str) -> str:
    value = unicodedata.normalize("NFC", value).strip()
    if any(
        unicodedata.category(ch) in ("Cc", "Cs") and ch not in _ALLOWED_CONTROL
        for ch in value
    ):
        raise ValidationError(_("Nội dung có ký tự không hợp lệ."), code="control")
    return value


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Bình luận"),
        max_length=Comment._meta.get_field("body").max_length,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Vui lòng nhập nội dung bình luận."),
            "null_characters_not_allowed": _("Nội dung có ký tự không hợp lệ."),
            "max_length": _(
                "Bình luận dài tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."
            ),
        },
    )
    name = forms.CharField(
        label=_("Họ tên"),
        max_length=Comment._meta.get_field("name").max_length,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": _("Vui lòng nhập họ tên."),
            "null_characters_not_allowed": _("Nội dung có ký tự không hợp lệ."),
            "max_length": _("Họ tên dài tối đa %(limit_value)d ký tự."),
        },
    )
    email = forms.EmailField(
        label=_("Email"),
        max_length=254,
        help_text=_("Không hiển thị công khai."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vui lòng nhập email."),
            "invalid": _("Địa chỉ email không hợp lệ."),
            "null_characters_not_allowed": _("Địa chỉ email không hợp lệ."),
            "max_length": _("Email dài tối đa %(limit_value)d ký tự."),
        },
    )

    def clean_body(self) -> str:
        return _clean_text(self.cleaned_data["body"])

    def clean_name(self) -> str:
        return _clean_text(self.cleaned_data["name"])
