from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """The admin's door: sign-in with a second factor, lockout after guessing."""

    name = "accounts"
    verbose_name = _("Đăng nhập")
