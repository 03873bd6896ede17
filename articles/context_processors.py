from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from .navigation import section_tree


def navigation(request: HttpRequest) -> dict:
    """The sections every public page's navigation prints.

    Lazy: admin pages render this context but never print the navigation.
    """
    return {"nav_sections": SimpleLazyObject(section_tree)}
