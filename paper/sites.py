"""The admin site. Its index is the editors' dashboard.

Kept apart from paper/admin.py on purpose: Django imports the default site's
class while it builds the site, and a module that registers models on
``admin.site`` at import time would then register them on a site that is
thrown away.
"""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from accounts.forms import SignInForm
from accounts.second_factor import is_satisfied


def editor_dashboard(user: AbstractBaseUser) -> list[dict]:
    """The panels of the admin index, each only for those whose work it is.

    Each app that has work to show lists its panels in
    ``settings.ADMIN_DASHBOARD_PANELS``, in the order the index shows them, so
    the site knows none of the apps it shows.
    """
    return [
        panel
        for path in settings.ADMIN_DASHBOARD_PANELS
        for panel in import_string(path)(user)
    ]


class NewsroomAdminSite(admin.AdminSite):
    site_header = _("Tòa soạn – Quản trị")
    site_title = _("Tòa soạn")
    index_title = _("Bàn làm việc")
    login_form = SignInForm
    login_template = "accounts/login.html"

    def has_permission(self, request):
        # Those who must sign in with a code have given one this session.
        return super().has_permission(request) and is_satisfied(request.user)

    def index(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "dashboard": editor_dashboard(request.user),
        }
        return super().index(request, extra_context)
