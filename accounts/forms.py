from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .second_factor import confirmed_device


def code_field() -> forms.CharField:
    return forms.CharField(
        label=_("Mã xác thực"),
        required=False,
        max_length=10,
        help_text=_("6 chữ số trong ứng dụng xác thực, nếu bạn đã bật."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


def code_matches(device, code: str) -> bool:
    code = "".join(code.split())
    return code.isdigit() and device.verify_token(code)


def refuse_code(request, username: str) -> None:
    """A wrong code counts as a failed sign-in (django-axes locks out on it)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": username}, request=request
    )


class SignInForm(AdminAuthenticationForm):
    """The admin's sign-in: a code too for whoever has set up an app.

    An unknown name, a wrong password and a wrong code get the same answer.
    """

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Tên đăng nhập, mật khẩu hoặc mã xác thực không đúng. Lưu ý chữ "
            "hoa, chữ thường; sau nhiều lần sai, tài khoản tạm bị khóa."
        ),
    }

    otp_token = code_field()

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        device = confirmed_device(user) if user else None
        if device is not None:
            if not code_matches(device, cleaned.get("otp_token") or ""):
                refuse_code(self.request, user.get_username())
                raise ValidationError(
                    self.error_messages["invalid_login"],
                    code="invalid_login",
                    params={"username": self.username_field.verbose_name},
                )
            # django_otp keeps it in the session once the user is logged in.
            user.otp_device = device
        return cleaned


class CodeForm(forms.Form):
    """One code from the app, to confirm a new device or this session."""

    otp_token = code_field()
