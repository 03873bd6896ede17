from axes import apps as axes_apps
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import apps as totp_apps


class AccountsConfig(AppConfig):
    """The admin's door: sign-in with a second factor, lockout after guessing."""

    name = "accounts"
    verbose_name = _("Đăng nhập")


# The two apps behind the door, under Vietnamese names: the user and group
# forms list their permissions by app ("Otp_Totp", "Axes" otherwise).
class TwoFactorConfig(totp_apps.DefaultConfig):
    default = False
    verbose_name = _("Xác thực hai bước")


class LockoutConfig(axes_apps.AppConfig):
    default = False
    verbose_name = _("Chặn dò mật khẩu")
