"""The sections as every page prints them, kept per content version.

One query per content version for all sections (a section's save starts a new
version): the navigation bar and the article page's breadcrumb read them from
memory.
"""

from newsroom.pagecache import per_version

from .models import Section


def _load() -> dict[int, Section]:
    sections = list(Section.objects.select_related("parent"))
    for section in sections:
        section.nav_children = [s for s in sections if s.parent_id == section.pk]
    return {section.pk: section for section in sections}


def sections_by_id() -> dict[int, Section]:
    """Every section by id, each with its ``parent`` and ``nav_children``.

    Shared by all requests of this process: read-only.
    """
    return per_version("sections", _load)


def section_tree() -> list[Section]:
    """Top-level sections in order, each with ``nav_children``."""
    return [s for s in sections_by_id().values() if s.parent_id is None]
