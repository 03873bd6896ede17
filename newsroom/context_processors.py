from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from articles.models import Section

from .models import SiteSettings
from .pagecache import per_version


def _section_tree() -> list[Section]:
    """Top-level sections, each with ``nav_children``, from one query."""
    sections = list(Section.objects.all())
    roots = [section for section in sections if section.parent_id is None]
    for root in roots:
        root.nav_children = [s for s in sections if s.parent_id == root.pk]
    return roots


def paper(request: HttpRequest) -> dict:
    """The masthead, navigation and legal footer shown on every public page."""
    return {
        # Lazy: admin pages render this context but never print the masthead.
        # Kept per content version (newsroom.pagecache.per_version): a change
        # to either starts a new version.
        "paper": SimpleLazyObject(lambda: per_version("paper", SiteSettings.load)),
        "nav_sections": SimpleLazyObject(lambda: per_version("nav", _section_tree)),
    }
