from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from django_tasks_db import apps as db_backend_apps


class PaperConfig(AppConfig):
    # The paper itself: its identity (SiteSettings) and what every page or the
    # admin shares. It imports nothing from the apps that plug into it.
    default = True
    name = "paper"
    verbose_name = _("Tòa soạn")

    def ready(self):
        from pagecache.purge import watch

        from .models import SiteSettings
        from .permissions import name_default_permissions

        watch(SiteSettings, SiteSettings.purge_keys)
        post_migrate.connect(
            name_default_permissions, dispatch_uid="paper.name_default_permissions"
        )


class NewsroomAdminConfig(admin_apps.AdminConfig):
    # The admin index is the editors' dashboard (see paper.sites).
    default = False
    default_site = "paper.sites.NewsroomAdminSite"


class TaskQueueConfig(db_backend_apps.TasksAppConfig):
    # The task queue's table (paper/tasks.py), named in Vietnamese where the
    # user and group forms list its permissions.
    default = False
    verbose_name = _("Hàng đợi tác vụ nền")
