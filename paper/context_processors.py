from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .models import SiteSettings


def paper(request: HttpRequest) -> dict:
    """The masthead and legal footer shown on every public page.

    Lazy: admin pages render this context but never print the masthead.
    """
    return {"paper": SimpleLazyObject(SiteSettings.load)}
