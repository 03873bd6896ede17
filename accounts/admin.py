from django.apps import apps
from django.contrib import admin
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.models import Group, Permission, User
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp import admin as totp_admin  # noqa: F401
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import Authenticator

# django-otp's own admin is in English no catalogue reaches ("Identity",
# "Search by user's …", help texts) and shows each device's secret key and QR
# code to whoever opens it. Importing it here registers it first, so it can be
# replaced by AuthenticatorAdmin below.
admin.site.unregister(TOTPDevice)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Who has set up an authenticator app. Removing one (a lost phone) makes
    its owner set up a new one at the next sign-in; nothing else is edited
    here, and the key never leaves the owner's two-factor page."""

    list_display = ["owner", "shown_name", "is_confirmed", "created", "last_used"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    search_help_text = _("Tìm theo tên đăng nhập hoặc họ tên.")
    fields = readonly_fields = list_display

    @admin.display(description=_("người dùng"), ordering="user__username")
    def owner(self, device: Authenticator):
        return device.user

    @admin.display(description=_("tên"), ordering="name")
    def shown_name(self, device: Authenticator) -> str:
        return device.name

    @admin.display(description=_("đã xác nhận"), boolean=True, ordering="confirmed")
    def is_confirmed(self, device: Authenticator) -> bool:
        return device.confirmed

    @admin.display(description=_("cài đặt lúc"), ordering="created_at")
    def created(self, device: Authenticator):
        return device.created_at

    @admin.display(description=_("dùng lần cuối"), ordering="last_used_at")
    def last_used(self, device: Authenticator):
        return device.last_used_at

    def has_add_permission(self, request) -> bool:
        # Each person sets up their own, on the two-factor page.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


def permission_label(permission: Permission) -> str:
    """ "Bài viết | Được sửa bài viết": the app, then the permission, whose name
    holds the model's (paper/permissions.py). Django's own label repeats the
    model in the name its app gave it, English for some third-party apps."""
    app_label = permission.content_type.app_label
    try:
        app_name = apps.get_app_config(app_label).verbose_name
    except LookupError:  # an app removed since its permissions were made
        app_name = app_label
    return f"{app_name} | {permission.name}"


class PermissionLabels:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(PermissionLabels, auth_admin.UserAdmin):
    pass


@admin.register(Group)
class GroupAdmin(PermissionLabels, auth_admin.GroupAdmin):
    pass
