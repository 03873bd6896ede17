from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class NewsroomConfig(AppConfig):
    default = True
    name = "newsroom"
    verbose_name = _("Tòa soạn")

    def ready(self):
        from pagecache.purge import watch

        from .models import SiteSettings

        watch(SiteSettings, SiteSettings.purge_keys)


class NewsroomAdminConfig(admin_apps.AdminConfig):
    # The admin index is the editors' dashboard (see newsroom.sites).
    default = False
    default_site = "newsroom.sites.NewsroomAdminSite"
