from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice


class Authenticator(TOTPDevice):
    """django-otp's TOTP device under the name the admin gives it.

    django-otp names its model "TOTP device" and marks none of its text for
    translation; a proxy carries the Vietnamese names without touching its
    table or its migrations.
    """

    class Meta:
        proxy = True
        verbose_name = _("ứng dụng xác thực")
        verbose_name_plural = _("ứng dụng xác thực")
        ordering = ["user__username"]
