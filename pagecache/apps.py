from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = _("Bộ nhớ đệm trang")

    def ready(self):
        from .purge import purge_after_migrate

        # A migration may rewrite any row, through models that send no signal
        # to our receivers: every kept page goes.
        post_migrate.connect(purge_after_migrate, sender=self)
