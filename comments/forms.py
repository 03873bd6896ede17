import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from articles.models import Article

from .defences import TokenError, form_token, read_form_token
from .models import Comment
from .normalise import visible

# Line breaks and tabs are fine in a comment; other control characters are not.
_ALLOWED_CONTROL = {"\n", "\r", "\t"}
# Bidirectional overrides can make a name or a link read backwards; U+FFFD is
# what invalid UTF-8 decodes to.
_REFUSED = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))} | {
    "\ufffd"
}


def _clean_text(
    value: str, *, invisible_message: str, control_message: str, multiline: bool
) -> str:
    # A byte-order mark is an editor's leftover, not a character anyone typed.
    value = unicodedata.normalize("NFC", value.replace("\ufeff", "")).strip()
    if any(unicodedata.category(ch) == "Cs" or ch in _REFUSED for ch in value):
        raise ValidationError(_("Nội dung có ký tự không hợp lệ."), code="control")
    allowed = _ALLOWED_CONTROL if multiline else set()
    if any(unicodedata.category(ch) == "Cc" and ch not in allowed for ch in value):
        raise ValidationError(control_message, code="control")
    if not visible(value):
        raise ValidationError(invisible_message, code="invisible")
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

    # Hidden from people by the template; a bot that fills every field fills it.
    website = forms.CharField(label=_("Để trống ô này"), required=False, max_length=200)
    token = forms.CharField(required=False, widget=forms.HiddenInput)
    parent = forms.IntegerField(
        required=False, widget=forms.HiddenInput, min_value=1, max_value=2**63 - 1
    )

    def __init__(
        self,
        data=None,
        *,
        article: Article,
        form_max_age_hours: int = 24,
        **kwargs,
    ):
        super().__init__(data, **kwargs)
        self.article = article
        self.form_max_age_hours = form_max_age_hours
        self.issued_at: float | None = None
        self.token_expired = False

    @property
    def fresh_token(self) -> str:
        """The token to print: the reader's own when still valid, else a new one.

        Keeping a valid token keeps the time the page was first served, so a
        corrected resubmission is not mistaken for a bot.
        """
        if self.issued_at is not None:
            return form_token(self.article.pk, self.issued_at)
        return form_token(self.article.pk)

    def clean_body(self) -> str:
        return _clean_text(
            self.cleaned_data["body"],
            invisible_message=_("Vui lòng nhập nội dung bình luận."),
            control_message=_("Nội dung có ký tự không hợp lệ."),
            multiline=True,
        )

    def clean_name(self) -> str:
        return _clean_text(
            self.cleaned_data["name"],
            invisible_message=_("Vui lòng nhập họ tên bằng chữ nhìn thấy được."),
            control_message=_(
                "Họ tên chỉ gồm một dòng, không có ký tự điều khiển hay xuống dòng."
            ),
            multiline=False,
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise ValidationError(
                _("Không gửi được bình luận. Vui lòng thử lại."), code="honeypot"
            )
        try:
            self.issued_at = read_form_token(
                cleaned.get("token") or "",
                article_id=self.article.pk,
                max_age_hours=self.form_max_age_hours,
            )
        except TokenError as error:
            self.token_expired = error.expired
            raise ValidationError(error.message, code="token") from None
        return cleaned
