"""The sections as every page's navigation prints them."""

from .models import Section


def section_tree(sections: list[Section] | None = None) -> list[Section]:
    """Top-level sections in order, each with ``nav_children``: one query, or
    none when the page has read every section already (``sections``, in
    their order)."""
    if sections is None:
        sections = list(Section.objects.all())
    children: dict[int, list[Section]] = {}
    for section in sections:
        if section.parent_id is not None:
            children.setdefault(section.parent_id, []).append(section)
    for section in sections:
        section.nav_children = children.get(section.pk, [])
    return [s for s in sections if s.parent_id is None]
