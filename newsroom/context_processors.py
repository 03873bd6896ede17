from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.models import Section

from .models import SiteSettings


def paper(request: HttpRequest) -> dict:
    """The masthead, navigation and legal footer shown on every public page."""
    return {
        # Lazy: admin pages render this context but never print the masthead.
        "paper": SimpleLazyObject(SiteSettings.load),
        "nav_sections": Section.objects.filter(parent=None),
    }
