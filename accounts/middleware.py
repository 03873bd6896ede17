from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .second_factor import is_satisfied


class SecondFactorMiddleware:
    """Staff who must use a code and have not given one this session go to the
    two-factor page before any other admin page (after django_otp's
    OTPMiddleware, which knows whether this session gave a code)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(settings.ADMIN_URL_PREFIX)
            and user.is_authenticated
            and user.is_staff
            and not is_satisfied(user)
        ):
            allowed = (
                reverse("accounts:second_factor"),
                reverse("admin:logout"),
                reverse("admin:jsi18n"),
            )
            if request.path not in allowed:
                return redirect("accounts:second_factor")
        return self.get_response(request)
