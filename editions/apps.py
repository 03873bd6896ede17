from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EditionsConfig(AppConfig):
    name = "editions"
    verbose_name = _("Báo in")

    def ready(self):
        from pagecache.purge import watch

        from .models import Issue, IssuePage

        # Kept reader pages follow every write to an issue or its pages.
        watch(Issue, Issue.purge_keys)
        watch(IssuePage, IssuePage.purge_keys)
