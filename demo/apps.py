from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    # The demo paper and the benchmark archive: sample data built on the other
    # apps, which never import it.
    name = "demo"
    verbose_name = _("Báo mẫu")
