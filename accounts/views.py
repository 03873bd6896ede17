from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from .forms import CodeForm, code_matches, refuse_code
from .second_factor import (
    confirmed_device,
    is_required,
    pending_device,
    qr_code_svg,
    secret_for_typing,
)


@staff_member_required
def second_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app, or give this session's code.

    Offered to every staff member; required (SecondFactorMiddleware sends them
    here) for those who can publish and for administrators.
    """
    user = request.user
    device = confirmed_device(user)
    setting_up = device is None
    if setting_up:
        device = pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if code_matches(device, form.cleaned_data["otp_token"]):
            if setting_up:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                messages.success(request, _("Đã bật xác thực hai bước."))
            otp_login(request, device)
            return redirect("admin:index")
        refuse_code(request, user.get_username())
        form.add_error("otp_token", _("Mã không đúng hoặc đã hết hạn."))
    context = {
        **admin.site.each_context(request),
        "title": _("Xác thực hai bước"),
        "form": form,
        "setting_up": setting_up,
        "is_verified": user.is_verified(),
        "is_required": is_required(user),
    }
    if setting_up:
        context["qr_code"] = qr_code_svg(device)
        context["secret"] = secret_for_typing(device)
    return render(request, "accounts/second_factor.html", context)
