from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.navigation import section_tree

from .models import SiteSettings


def paper(request: HttpRequest) -> dict:
    """The masthead, navigation and legal footer shown on every public page.

    Lazy: admin pages render this context but never print the masthead.
    """
    return {
        "paper": SimpleLazyObject(SiteSettings.load),
        "nav_sections": SimpleLazyObject(section_tree),
    }
