from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.navigation import section_tree

from .models import SiteSettings
from .pagecache import per_version


def paper(request: HttpRequest) -> dict:
    """The masthead, navigation and legal footer shown on every public page."""
    return {
        # Lazy: admin pages render this context but never print the masthead.
        # Kept per content version (newsroom.pagecache.per_version): a change
        # to either starts a new version.
        "paper": SimpleLazyObject(lambda: per_version("paper", SiteSettings.load)),
        "nav_sections": SimpleLazyObject(section_tree),
    }
