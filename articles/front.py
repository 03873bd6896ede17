"""The home page, assembled in a fixed number of queries with no story twice."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Article, Section

LATEST = 8
FEATURED = 4
MOST_READ = 5
PER_SECTION = 4
BREAKING = 3


@dataclass
class FrontPage:
    breaking: list[Article] = field(default_factory=list)
    lead: Article | None = None
    featured: list[Article] = field(default_factory=list)
    latest: list[Article] = field(default_factory=list)
    most_read_day: list[Article] = field(default_factory=list)
    most_read_week: list[Article] = field(default_factory=list)
    blocks: list[tuple[Section, list[Article]]] = field(default_factory=list)

    @property
    def stories(self) -> list[Article]:
        """Every story the page prints."""
        stories = [*self.breaking, *self.featured, *self.latest]
        stories += [*self.most_read_day, *self.most_read_week]
        stories += [article for _, articles in self.blocks for article in articles]
        if self.lead:
            stories.append(self.lead)
        return stories

    @property
    def shown_ids(self) -> list[int]:
        return [article.pk for article in self.stories]


def front_page(*, now: datetime | None = None) -> FrontPage:
    """What the home page shows, in five queries.

    Priority when a story qualifies twice: the breaking-news banner, the lead,
    the featured stories, "Đọc nhiều" (24 hours, then 7 days), "Tin mới", then
    the section blocks. Each later part leaves out what an earlier part shows,
    in SQL, so every part stays full.
    """
    now = now or timezone.now()
    published = Article.objects.published(now).for_listing()
    page = FrontPage()

    # Unpinned breaking news first, then leads, then featured: stale pins
    # beyond 30 are the ones left out.
    pinned = list(
        published.filter(
            Q(home_placement__gt="") | Q(is_breaking=True, breaking_until__gt=now)
        ).order_by("home_placement", "-published_at", "-id")[:30]
    )
    page.breaking = [a for a in pinned if a.is_breaking and a.breaking_until > now]
    page.breaking = page.breaking[:BREAKING]
    taken = {a.pk for a in page.breaking}
    placed = sorted(
        (a for a in pinned if a.home_placement and a.pk not in taken),
        key=lambda a: a.home_placement,  # leads first, newest first within
    )
    if placed and placed[0].home_placement == Article.HomePlacement.LEAD:
        page.lead = placed.pop(0)
    # A second pinned lead is still a prominent story: it becomes featured.
    page.featured = placed[:FEATURED]

    page.most_read_day = list(
        published.most_read(since=now - timedelta(hours=24)).exclude(
            pk__in=page.shown_ids
        )[:MOST_READ]
    )
    page.most_read_week = list(
        published.most_read(since=now - timedelta(days=7)).exclude(
            pk__in=page.shown_ids
        )[:MOST_READ]
    )

    latest = list(published.exclude(pk__in=page.shown_ids)[: LATEST + 1])
    if page.lead is None and latest:
        page.lead = latest.pop(0)
    page.latest = latest[:LATEST]

    in_blocks = list(
        published.exclude(pk__in=page.shown_ids)
        .select_related("section__parent")
        .latest_per_section(
            PER_SECTION, sections=Section.objects.filter(is_on_home=True)
        )
    )
    by_section: dict[int, list[Article]] = {}
    sections: dict[int, Section] = {}
    for article in in_blocks:
        by_section.setdefault(article.section_id, []).append(article)
        sections[article.section_id] = article.section
    page.blocks = [
        (section, by_section[section.pk])
        for section in sorted(
            sections.values(),
            key=lambda s: (
                s.root.home_order,
                s.root.order,
                s.root.name,
                s.parent_id is not None,
                s.home_order,
                s.order,
            ),
        )
    ]
    return page
