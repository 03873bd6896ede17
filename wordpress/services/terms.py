"""Terms: WordPress tags become tags, its category tree becomes sections."""

from urllib.parse import unquote

from articles.models import Section, Tag
from articles.text import slugify_vi

from .. import content, wxr
from .base import K, RunBase, _digest, _unique_slug


class TermImport(RunBase):
    def tag(self, term: wxr.Term) -> Tag:
        name = content.plain(term.name)[:100] or unquote(term.slug)
        found, tag = self._lookup(K.TAG, term.wp_id, Tag)
        if tag is None:
            tag = Tag.objects.filter(name__iexact=name).first() or Tag(name=name)
        elif tag.name != name:
            tag.name = name
        else:
            self.tags[term.slug] = tag.pk
            self.report.count(K.TAG, "unchanged")
            return tag
        tag.save()
        self._remember(K.TAG, term.wp_id, tag)
        self.redirect(f"/tag/{unquote(term.slug)}/", tag)
        self.tags[term.slug] = tag.pk
        self._outcome(K.TAG, found)
        return tag

    def import_categories(self) -> None:
        """Sections from the category tree, parents first. Ours nest one level:
        deeper categories hang under their top-level ancestor."""
        by_slug = {term.slug: term for term in self.categories}

        def ancestors(term: wxr.Term) -> list[wxr.Term]:
            chain, seen = [term], {term.slug}
            while chain[-1].parent in by_slug and chain[-1].parent not in seen:
                seen.add(chain[-1].parent)
                chain.append(by_slug[chain[-1].parent])
            return chain[::-1]  # top-level first

        chains = sorted((ancestors(t) for t in self.categories), key=len)
        for chain in chains:
            term = chain[-1]
            self.category_paths[term.slug] = "/".join(unquote(t.slug) for t in chain)
            self._item(K.CATEGORY, term.wp_id, self.category, chain)

    def category(self, chain: list[wxr.Term]) -> Section:
        term = chain[-1]
        parent_id = self.sections.get(chain[0].slug) if len(chain) > 1 else None
        if len(chain) > 2:
            self.report.note(
                f"Category {' › '.join(t.name for t in chain)}: nested "
                f"{len(chain)} deep, placed under “{chain[0].name}”."
            )
        name = content.plain(term.name)[:80] or term.slug
        found, section = self._lookup(K.CATEGORY, term.wp_id, Section)
        digest = _digest(name, parent_id, term.description)
        if section is not None and found.digest == digest:
            self.sections[term.slug] = section.pk
            self.report.count(K.CATEGORY, "unchanged")
            return section
        if section is None:
            slug = slugify_vi(unquote(term.slug), max_length=80) or slugify_vi(name)
            section = Section.objects.filter(slug=slug).first()
            if section is not None:
                self.report.note(f"Category {name}: merged into existing section.")
            else:
                section = Section(slug=slug or _unique_slug(Section, name, 80))
        if found is not None or section.pk is None:
            section.name = name
            section.parent_id = parent_id
            section.description = content.plain(term.description)[:300]
        section.full_clean()
        section.save()
        self._remember(K.CATEGORY, term.wp_id, section, digest)
        self.redirect(f"/category/{self.category_paths[term.slug]}/", section)
        self.sections[term.slug] = section.pk
        self._outcome(K.CATEGORY, found)
        return section
