"""A large, realistic archive for the benchmark: years of articles in bulk.

``build_archive`` is the one place that builds the benchmark's data. It writes
rows with ``bulk_create`` (a few hundred thousand rows in minutes instead of
hours), so it does not go through ``Article.save()``: every field that ``save()``
derives (slug, sanitised body, search lines, publication time) is derived here
with the same helpers. ``tests/demo/test_archive.py`` re-saves generated
articles and checks that nothing changes, so a new derived field that is
forgotten here fails a test instead of skewing the benchmark.

Photos are few (a pool of a few hundred real JPEG files, reused by many
articles) and go through ``photo_create``, the upload pipeline with its renditions.
"""

import bisect
import itertools
import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

from articles.credits import Role
from articles.html import sanitize_body
from articles.models import (
    Article,
    ArticlePhoto,
    Contributor,
    Credit,
    Photo,
    Section,
    Tag,
    TaggedArticle,
)
from articles.search import search_lines
from articles.services import photo_create
from articles.text import slugify_vi
from comments.models import Comment
from paper.models import SiteSettings

from .. import content
from ..paper import make_photo_bytes
from .tables import PHOTO_PREFIX, archive_counts
from .vocabulary import (
    ACTIONS,
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    PLACES,
    SECTION_TREE,
    TOPICS,
    USER_AGENTS,
)

BATCH = 2000  # articles written per round; rows per INSERT stay well below limits
YEARS = 5


@dataclass(frozen=True)
class ArchiveSize:
    """How much to build. Shares are fractions of all articles."""

    articles: int = 100_000
    tags: int = 2000
    contributors: int = 60
    photos: int = 200
    draft_share: float = 0.02
    scheduled_share: float = 0.005
    commented_share: float = 0.15
    seed: int = 1

    @classmethod
    def scaled(cls, articles: int, *, seed: int = 1, photos: int | None = None):
        """Sizes for ``articles`` articles: a small archive keeps small pools."""
        return cls(
            articles=articles,
            tags=max(10, min(2000, articles // 5)),
            contributors=max(4, min(60, articles // 20)),
            photos=photos if photos is not None else max(3, min(200, articles // 10)),
            seed=seed,
        )


@contextmanager
def _timestamps_as_given(*models_: type[models.Model]) -> Iterator[None]:
    """Let bulk_create store the historical created_at/updated_at we set.

    auto_now and auto_now_add overwrite those fields with "now" on insert; an
    archive whose comments were all written today would not be realistic.
    """
    saved = []
    for model in models_:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and (
                field.auto_now or field.auto_now_add
            ):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class _Zipf:
    """Pick items with a skewed (Zipf-like) popularity: a few tags are everywhere."""

    def __init__(self, items: list, rng: random.Random, exponent: float = 1.07):
        self.items = items
        self.rng = rng
        self.cumulative = list(
            itertools.accumulate(
                1 / (rank + 1) ** exponent for rank in range(len(items))
            )
        )

    def distinct(self, count: int) -> list:
        picked: list = []
        total = self.cumulative[-1]
        while len(picked) < min(count, len(self.items)):
            index = bisect.bisect_left(self.cumulative, self.rng.random() * total)
            item = self.items[min(index, len(self.items) - 1)]
            if item not in picked:
                picked.append(item)
        return picked


def _person_name(rng: random.Random) -> str:
    parts = (FAMILY_NAMES, MIDDLE_NAMES, GIVEN_NAMES)
    return " ".join(rng.choice(names) for names in parts)


class ArchiveBuilder:
    def __init__(
        self, size: ArchiveSize, *, log: Callable[[str], None] = lambda _: None
    ):
        self.size = size
        self.rng = random.Random(size.seed)  # noqa: S311 - sample data, not security
        self.log = log
        self.now = timezone.now()
        self.paragraphs = [p for entry in content.ARTICLES for p in entry["paragraphs"]]
        # The demo leads without their "DXO – Ngày 18-11-2026, " opening.
        self.lead_rests = [
            entry["lead"].split(", ", 1)[-1] for entry in content.ARTICLES
        ]
        self.comment_bodies = [
            comment["body"]
            for entry in content.ARTICLES
            for comment in entry.get("comments", [])
        ]
        self.subheadings = [
            heading
            for entry in content.ARTICLES
            for heading in entry.get("subheadings", {}).values()
        ]

    # -- the small tables -----------------------------------------------------

    def make_sections(self) -> tuple[list[Section], list[float]]:
        sections, weights, order = [], [], 0
        for (name, share), children in SECTION_TREE:
            order += 1
            parent = Section.objects.create(
                name=name, slug=slugify_vi(name), order=order
            )
            sections.append(parent)
            weights.append(share)
            for child_name, child_share in children:
                order += 1
                sections.append(
                    Section.objects.create(
                        name=child_name,
                        slug=slugify_vi(child_name),
                        order=order,
                        parent=parent,
                    )
                )
                weights.append(child_share)
        return sections, weights

    def make_contributors(self) -> list[Contributor]:
        contributors, seen = [], set()
        for entry in content.CONTRIBUTORS:
            contributors.append(
                Contributor(name=entry["name"], slug=entry["slug"], bio=entry["bio"])
            )
            seen.add(entry["slug"])
        while len(contributors) < self.size.contributors:
            name = _person_name(self.rng)
            slug = slugify_vi(name)
            if slug not in seen:
                seen.add(slug)
                contributors.append(Contributor(name=name, slug=slug))
        return Contributor.objects.bulk_create(contributors[: self.size.contributors])

    def make_tags(self) -> list[Tag]:
        """Tag names as a paper uses them: topics, places and topic-in-place."""
        demo_tags = sorted({tag for entry in content.ARTICLES for tag in entry["tags"]})
        combos = [f"{topic} {place}" for topic in TOPICS for place in PLACES]
        self.rng.shuffle(combos)
        names = [*demo_tags, *TOPICS, *PLACES, *combos]
        tags, seen = [], set()
        for name in names:
            slug = slugify_vi(name, max_length=90)
            if slug and slug not in seen and len(tags) < self.size.tags:
                seen.add(slug)
                tags.append(Tag(name=name, slug=slug))
        # The most popular tags come first: place and topic names before combos.
        head = tags[: len(demo_tags) + len(TOPICS) + len(PLACES)]
        self.rng.shuffle(head)
        tags[: len(head)] = head
        return Tag.objects.bulk_create(tags)

    def make_photos(self, contributors: list[Contributor]) -> list[Photo]:
        photos = []
        demo_photos = [entry["photo"] for entry in content.ARTICLES]
        for number in range(self.size.photos):
            sample = demo_photos[number % len(demo_photos)]
            # The upload pipeline, renditions included, as for an editor's photo.
            photo = photo_create(
                upload=make_photo_bytes(self.rng.randrange(360), seed=number),
                name=f"{PHOTO_PREFIX}{number:04d}.jpg",
                caption=sample["caption"],
                alt_text=sample["alt"],
                photographer=self.rng.choice(contributors[:12]),
            )
            photos.append(photo)
            if (number + 1) % 50 == 0:
                self.log(f"  photos: {number + 1}/{self.size.photos}")
        return photos

    # -- articles and what hangs off them ---------------------------------------

    def publication_times(self) -> list[tuple[str, datetime | None]]:
        """(status, published_at) per article, oldest first: ids follow time."""
        count = self.size.articles
        start = self.now - timedelta(days=365 * YEARS)
        span = (self.now - start).total_seconds() - 600
        times = sorted(
            start + timedelta(seconds=self.rng.random() * span) for _ in range(count)
        )
        rows: list[tuple[str, datetime | None]] = [
            (Article.Status.PUBLISHED, when) for when in times
        ]
        drafts = max(1, round(count * self.size.draft_share))
        scheduled = max(1, round(count * self.size.scheduled_share))
        # The newest rows become work in progress: drafts and stories scheduled
        # for the coming days, as in a real newsroom.
        for index in range(count - drafts - scheduled, count - scheduled):
            rows[index] = (Article.Status.DRAFT, None)
        for index in range(count - scheduled, count):
            rows[index] = (
                Article.Status.PUBLISHED,
                self.now + timedelta(hours=self.rng.randint(2, 24 * 14)),
            )
        return rows

    def article(
        self, status: str, published_at: datetime | None, section, photos
    ) -> Article:
        rng = self.rng
        place = rng.choice(PLACES)
        topic = rng.choice(TOPICS)
        if rng.random() < 0.5:
            title = f"{rng.choice(ACTIONS)} {topic} ở {place}"
        else:
            title = f"{place}: {rng.choice(ACTIONS).lower()} {topic}"
        kind = Article.Kind.FEATURE if rng.random() < 0.3 else Article.Kind.NEWS
        paragraphs = rng.sample(
            self.paragraphs,
            rng.randint(6, 14) if kind == "feature" else rng.randint(4, 9),
        )
        parts = []
        for index, paragraph in enumerate(paragraphs):
            if kind == Article.Kind.FEATURE and index in (3, 7):
                parts.append(f"<h2>{rng.choice(self.subheadings)}</h2>")
            parts.append(f"<p>{paragraph}</p>")
        when = published_at or self.now
        local = timezone.localtime(when)
        dateline = f"{local.day}-{local.month}-{local.year}"  # "18-11-2026", no zeros
        created_at = when - timedelta(hours=rng.randint(1, 30))
        body = sanitize_body("".join(parts))
        lead = f"DXO – Ngày {dateline}, {rng.choice(self.lead_rests)}"
        search_text, search_exact = search_lines(title=title, lead=lead, body_html=body)
        return Article(
            title=title,
            # What Article.save() derives, derived the same way (see module doc).
            slug=slugify_vi(title) or "bai-viet",
            body=body,
            search_text=search_text,
            search_exact=search_exact,
            kind=kind,
            section=section,
            lead=lead,
            status=status,
            published_at=published_at,
            created_at=created_at,
            updated_at=when if published_at else created_at,
            lead_photo=rng.choice(photos) if rng.random() < 0.85 else None,
            source_name=rng.choice(["", "", "", "Baoduaxanh.vn", "TTXVN"]),
        )

    def credits(
        self, article: Article, contributors: list[Contributor]
    ) -> list[Credit]:
        people = self.rng.sample(contributors, self.rng.choice([1, 1, 2, 2, 2, 3]))
        if len(people) == 1:
            roles_per_person = [
                [Role.TEXT, Role.PHOTO] if article.lead_photo_id else [Role.TEXT]
            ]
        else:
            extra = self.rng.choice([Role.GRAPHICS, Role.VIDEO, Role.TRANSLATION])
            roles_per_person = [[Role.TEXT], [Role.PHOTO], [extra]][: len(people)]
        return [
            # Roles already unique and in byline order, as Credit.save() keeps them.
            Credit(
                article=article,
                contributor=person,
                roles=[str(r) for r in roles],
                order=order,
            )
            for order, (person, roles) in enumerate(
                zip(people, roles_per_person, strict=True)
            )
        ]

    def comments(self, article: Article) -> list[Comment]:
        rng = self.rng
        made = []
        for offset in range(rng.choice([1, 1, 2, 3, 5, 8, 13])):
            created_at = article.published_at + timedelta(
                minutes=rng.randint(5, 60 * 48) + offset
            )
            status = rng.choices(
                [
                    Comment.Status.APPROVED,
                    Comment.Status.PENDING,
                    Comment.Status.REJECTED,
                    Comment.Status.SPAM,
                ],
                weights=[80, 12, 5, 3],
            )[0]
            made.append(
                Comment(
                    article=article,
                    name=_person_name(rng),
                    email=f"bandoc{rng.randrange(100_000)}@example.com",
                    body=rng.choice(self.comment_bodies),
                    status=status,
                    created_at=min(created_at, self.now),
                    ip_address=f"203.0.113.{rng.randint(1, 254)}",
                    user_agent=rng.choice(USER_AGENTS),
                    moderated_at=None
                    if status == Comment.Status.PENDING
                    else created_at + timedelta(hours=2),
                )
            )
        return made

    def build(self) -> dict[str, int]:
        """Create the whole archive in one transaction; returns rows per table."""
        size = self.size
        with transaction.atomic(), _timestamps_as_given(Article, Comment):
            site = SiteSettings.load()
            for field, value in content.SITE.items():
                setattr(site, field, value)
            site.save()
            sections, section_weights = self.make_sections()
            contributors = self.make_contributors()
            tags = self.make_tags()
            self.log(
                f"  {len(sections)} sections, {len(contributors)} contributors, "
                f"{len(tags)} tags"
            )
            photos = self.make_photos(contributors)
            tag_picker = _Zipf(tags, self.rng)
            section_cumulative = list(itertools.accumulate(section_weights))
            times = self.publication_times()
            for start in range(0, size.articles, BATCH):
                batch = []
                for status, published_at in times[start : start + BATCH]:
                    section = self.rng.choices(
                        sections, cum_weights=section_cumulative
                    )[0]
                    batch.append(self.article(status, published_at, section, photos))
                Article.objects.bulk_create(batch)
                tagged, credits, body_photos, comments = [], [], [], []
                for article in batch:
                    tagged += [
                        TaggedArticle(content_object=article, tag=tag)
                        for tag in tag_picker.distinct(self.rng.randint(2, 5))
                    ]
                    credits += self.credits(article, contributors)
                    if article.kind == Article.Kind.FEATURE:
                        body_photos.append(
                            ArticlePhoto(
                                article=article,
                                photo=self.rng.choice(photos),
                                after_paragraph=2,
                            )
                        )
                    if (
                        article.status == Article.Status.PUBLISHED
                        and article.published_at <= self.now
                        and self.rng.random() < size.commented_share
                    ):
                        comments += self.comments(article)
                TaggedArticle.objects.bulk_create(tagged)
                Credit.objects.bulk_create(credits)
                ArticlePhoto.objects.bulk_create(body_photos)
                Comment.objects.bulk_create(comments)
                done = min(start + BATCH, size.articles)
                if done % 10_000 == 0 or done == size.articles:
                    self.log(f"  articles: {done}/{size.articles}")
        return archive_counts()


def build_archive(
    size: ArchiveSize, *, log: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Fill the (empty) content tables with a realistic archive of ``size``."""
    return ArchiveBuilder(size, log=log).build()
