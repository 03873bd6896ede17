"""Who must sign in with a one-time code, and the codes themselves.

The codes are TOTP (RFC 6238, the six digits of Google Authenticator and
similar apps), through django-otp's TOTP devices. A person who has confirmed a
device must give a code at every sign-in; those who can publish or take down
(``settings.SECOND_FACTOR_REQUIRED_FOR``) and administrators must have one.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django_otp.plugins.otp_totp.models import TOTPDevice

DEVICE_NAME = "Ứng dụng xác thực"


def is_required(user: AbstractBaseUser) -> bool:
    return user.is_superuser or any(
        user.has_perm(permission) for permission in settings.SECOND_FACTOR_REQUIRED_FOR
    )


def is_satisfied(user: AbstractBaseUser) -> bool:
    """Signed in with a code this session, or not required to."""
    return user.is_verified() or not is_required(user)


def confirmed_device(user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_device(user: AbstractBaseUser) -> TOTPDevice:
    """The device being set up: made once, confirmed by the first good code."""
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    return device or TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, confirmed=False
    )


def qr_code_svg(device: TOTPDevice) -> str:
    """The device's ``otpauth://`` address as an inline SVG QR code (no request
    to another host, no image file)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5)


def secret_for_typing(device: TOTPDevice) -> str:
    """The key in base32, in groups of four, for apps without a camera."""
    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))
