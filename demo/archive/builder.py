"""A large, realistic archive for the benchmark: years of articles in bulk.

``build_archive`` is the one place that builds the benchmark's data. The small
tables (sections, contributors, tags, a pool of photos) go through the ORM and
the photo upload pipeline. The articles and what hangs off them (tags,
credits, body photos, comments) are made a chunk at a time (``rows.py``) and
written with COPY on PostgreSQL (``loading.py``), bulk_create on SQLite.

They do not go through ``Article.save()``: every field that ``save()`` derives
(slug, sanitised body, search lines) is derived with the same functions, and
PostgreSQL computes the search index's tokens from them itself.
``tests/demo/test_archive.py`` re-saves generated rows and checks that nothing
changes, so a new derived field that is forgotten here fails a test instead
of skewing the benchmark.
"""

import multiprocessing
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, connections, models, transaction
from django.utils import timezone

from articles.models import (
    Article,
    Contributor,
    Photo,
    Section,
    Tag,
    Video,
)
from articles.services import photo_create, video_create
from articles.text import slugify_vi
from comments.models import Comment
from paper.models import SiteSettings

from .. import content
from ..paper import make_photo_bytes
from . import loading
from .rows import COLUMNS, ChunkMaker, Plan
from .tables import PHOTO_PREFIX, archive_counts
from .vocabulary import PLACES, SECTION_TREE, TOPICS, person_name


@dataclass(frozen=True)
class ArchiveSize:
    """How much to build. Shares are fractions of all articles."""

    articles: int = 100_000
    tags: int = 2000
    contributors: int = 60
    photos: int = 200
    videos: int = 12  # the library's videos that lead video stories
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
            videos=max(1, min(12, articles // 1000)),
            seed=seed,
        )


@contextmanager
def _timestamps_as_given(*models_: type[models.Model]) -> Iterator[None]:
    """Let bulk_create store the historical created_at/updated_at we set.

    auto_now and auto_now_add overwrite those fields with "now" on insert; an
    archive whose comments were all written today would not be realistic.
    (COPY does not look at them.)
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


class ArchiveBuilder:
    def __init__(
        self, size: ArchiveSize, *, log: Callable[[str], None] = lambda _: None
    ):
        self.size = size
        self.rng = random.Random(size.seed)  # noqa: S311 - sample data, not security
        self.log = log
        self.now = timezone.now()

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
            name = person_name(self.rng)
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
        demo_photos = [entry["photo"] for entry in content.ARTICLES if entry["photo"]]
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

    def make_videos(self, photos: list[Photo]) -> list[Video]:
        """YouTube videos in the library, each with a poster from the photo
        pool: a reader's browser asks YouTube nothing until the reader clicks."""
        videos = []
        for number in range(self.size.videos):
            place, topic = self.rng.choice(PLACES), self.rng.choice(TOPICS)
            poster = photos[number % len(photos)]
            videos.append(
                video_create(
                    title=f"{topic.capitalize()} ở {place}",
                    url=f"https://youtu.be/DXArchive{number:02d}",
                    poster=poster,
                    description=f"Phóng sự ngắn về {topic} ở {place}.",
                    credit=poster.photographer.name,
                )
            )
        return videos

    def make_small_tables(self) -> Plan:
        """Site settings, sections, contributors, tags and photos; returns
        what the articles are made from."""
        size = self.size
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
        videos = self.make_videos(photos)
        return Plan(
            articles=size.articles,
            seed=size.seed,
            first_id=loading.reserve_ids(Article, size.articles),
            now=self.now,
            drafts=max(1, round(size.articles * size.draft_share)),
            scheduled=max(1, round(size.articles * size.scheduled_share)),
            commented_share=size.commented_share,
            sections=tuple(s.pk for s in sections),
            section_weights=tuple(section_weights),
            contributors=tuple(c.pk for c in contributors),
            tags=tuple(t.pk for t in tags),
            photos=tuple(p.pk for p in photos),
            videos=tuple((v.pk, v.poster_photo_id) for v in videos),
        )

    # -- articles and what hangs off them ---------------------------------------

    def build(self, *, jobs: int = 1) -> dict[str, int]:
        """Create the whole archive; returns rows per table.

        With one job (always on SQLite) it is one transaction. With more, on
        PostgreSQL, the small tables are committed first, then ``jobs``
        processes load chunks of articles side by side, each chunk committed
        on its own: PostgreSQL's share of an article (its search index
        entries) is one core's work per connection. A
        failure then leaves part of an archive, which ``--reset`` replaces.
        """
        # Other processes cannot see rows of a transaction still open (a
        # test's, a shell's atomic block): then everything is loaded here.
        parallel = (
            jobs > 1
            and connection.vendor == "postgresql"
            and not connection.in_atomic_block
        )
        with transaction.atomic(), _timestamps_as_given(Article, Comment):
            plan = self.make_small_tables()
            if not parallel:
                self.load_articles(plan, jobs=1)
        if parallel:
            self.load_articles(plan, jobs=jobs)
        return archive_counts()

    def load_articles(self, plan: Plan, *, jobs: int) -> None:
        started = time.monotonic()
        done, next_report = 0, 50_000
        for count in _chunks_loaded(plan, jobs):
            done += count
            if done >= next_report or done == plan.articles:
                next_report += 50_000
                elapsed = time.monotonic() - started
                self.log(f"  articles: {done}/{plan.articles} ({elapsed:.0f} s)")
        loading.tidy_up(list(COLUMNS))


# The state of a process loading chunks: its maker of rows and its tables.
_loader: tuple[ChunkMaker, dict[type, loading.Table]] | None = None


def _start_loader(plan: Plan) -> None:
    global _loader
    tables = {model: loading.Table(model, COLUMNS[model]) for model in COLUMNS}
    _loader = (ChunkMaker(plan), tables)


def _load_chunk(chunk: int) -> int:
    maker, tables = _loader
    rows = maker.rows(chunk)
    with transaction.atomic():
        loading.write(tables, rows)
    return len(rows[Article])


def _chunks_loaded(plan: Plan, jobs: int) -> Iterator[int]:
    """Load every chunk, in this process or in ``jobs`` forked ones; yields
    the number of articles of each chunk loaded."""
    if jobs == 1:
        _start_loader(plan)
        yield from map(_load_chunk, range(plan.chunks))
        return
    # Each process opens its own connection; none may share this one.
    connections.close_all()
    context = multiprocessing.get_context("fork")
    with context.Pool(jobs, initializer=_start_loader, initargs=(plan,)) as pool:
        yield from pool.imap_unordered(_load_chunk, range(plan.chunks))
        pool.close()
        pool.join()


def build_archive(
    size: ArchiveSize, *, jobs: int = 1, log: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Fill the (empty) content tables with a realistic archive of ``size``."""
    return ArchiveBuilder(size, log=log).build(jobs=jobs)
