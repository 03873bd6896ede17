"""The archive's rows, made a chunk of articles at a time, as plain tuples.

A chunk is ``CHUNK`` consecutive articles (in time, and in id) with their tags,
credits, body photos and comments. Each chunk has its own random generator,
seeded from the archive's seed and the chunk's number, so the same seed gives
the same archive whether chunks are made in one process or in several.

Rows are tuples in the order of ``COLUMNS``; the loader (``loading.py``) sends
them to PostgreSQL with COPY or, on SQLite, makes model instances of them.
Nothing here goes through ``Article.save()``: what it derives (slug, sanitised
body, search lines) is derived by ``Derivations`` with the same functions, and
checked against them (see ``Derivations.check``).
"""

import bisect
import itertools
import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from articles.credits import Role
from articles.html import sanitize_body
from articles.models import Article, ArticlePhoto, Credit, TaggedArticle
from articles.search import search_lines
from articles.text import slugify_vi
from comments.models import Comment, body_fingerprint

from .. import content
from .vocabulary import ACTIONS, PLACES, TOPICS, USER_AGENTS, person_name

CHUNK = 5000  # articles per chunk: one random generator, one COPY round
YEARS = 5
# One article in CHECK_EVERY is derived again the slow way, by the functions
# Article.save() calls, and compared (see Derivations.check).
CHECK_EVERY = 500
# One article in VIDEO_EVERY is a video story (led by a library video), one in
# EMAGAZINE_EVERY an E-magazine feature (a pull quote, a wide body photo): the
# shares of a provincial paper's site, spread evenly over the years. (The
# offsets put one of each among the published stories of a 50-article archive.)
VIDEO_EVERY, VIDEO_AT = 33, 7
EMAGAZINE_EVERY, EMAGAZINE_AT = 97, 20

# The columns each table's rows fill, in tuple order. Every other column gets
# its default (loading.Table).
COLUMNS = {
    Article: (
        "id",
        "title",
        "slug",
        "body",
        "search_text",
        "search_exact",
        "kind",
        "section_id",
        "lead",
        "status",
        "published_at",
        "created_at",
        "updated_at",
        "lead_photo_id",
        "source_name",
        "layout",
        "lead_video_id",
    ),
    TaggedArticle: ("content_object_id", "tag_id"),
    Credit: ("article_id", "contributor_id", "roles", "order"),
    ArticlePhoto: ("article_id", "photo_id", "after_paragraph", "is_wide"),
    Comment: (
        "article_id",
        "name",
        "email",
        "body",
        "body_hash",
        "status",
        "created_at",
        "ip_address",
        "user_agent",
        "moderated_at",
    ),
}


@dataclass(frozen=True)
class Plan:
    """What every chunk needs: the archive's size and the small tables' ids."""

    articles: int
    seed: int
    first_id: int  # articles get ids first_id, first_id + 1, ... oldest first
    now: datetime
    drafts: int
    scheduled: int
    commented_share: float
    sections: tuple[int, ...]
    section_weights: tuple[float, ...]
    contributors: tuple[int, ...]
    tags: tuple[int, ...]  # most popular first
    photos: tuple[int, ...]
    videos: tuple[tuple[int, int], ...]  # (video, its poster photo)

    @property
    def chunks(self) -> int:
        return -(-self.articles // CHUNK)


class Derivations:
    """What ``Article.save()`` derives, computed once per distinct piece.

    Articles are made of a few hundred pieces (titles from a vocabulary, leads,
    body paragraphs from the demo paper): each piece's slug, sanitised HTML and
    search words are computed once by the app's own functions, then joined.
    Joining is right because a search line is its field's words between
    spaces (articles/search.py) and the body's pieces are whole elements;
    ``check`` compares the joined result with the real derivation.
    """

    def __init__(self):
        self._cache: dict[tuple[str, str], object] = {}

    def _memo(self, kind: str, key: str, make):
        found = self._cache.get((kind, key))
        if found is None:
            found = self._cache[(kind, key)] = make()
        return found

    @staticmethod
    def _lines(*, title: str = "", lead: str = "", body_html: str = ""):
        folded, exact = search_lines(title=title, lead=lead, body_html=body_html)
        return folded.split("\n"), exact.split("\n")

    def title(self, title: str) -> tuple[str, str, str]:
        """(slug, folded line, exact line) of a title."""

        def make():
            folded, exact = self._lines(title=title)
            return slugify_vi(title) or "bai-viet", folded[0], exact[0]

        return self._memo("title", title, make)

    def lead(self, lead: str) -> tuple[str, str]:
        def make():
            folded, exact = self._lines(lead=lead)
            return folded[1], exact[1]

        return self._memo("lead", lead, make)

    def part(self, html: str) -> tuple[str, str, str]:
        """(sanitised HTML, folded words, exact words) of one body element."""

        def make():
            clean = sanitize_body(html)
            folded, exact = self._lines(body_html=clean)
            return clean, folded[2].strip(), exact[2].strip()

        return self._memo("part", html, make)

    def article(self, title: str, lead: str, parts: list[str]) -> dict[str, str]:
        slug, title_folded, title_exact = self.title(title)
        lead_folded, lead_exact = self.lead(lead)
        pieces = [self.part(html) for html in parts]
        body_folded = " ".join(p[1] for p in pieces if p[1])
        body_exact = " ".join(p[2] for p in pieces if p[2])
        return {
            "slug": slug,
            "body": "".join(p[0] for p in pieces),
            "search_text": "\n".join(
                [title_folded, lead_folded, f" {body_folded} " if body_folded else " "]
            ),
            "search_exact": "\n".join(
                [title_exact, lead_exact, f" {body_exact} " if body_exact else " "]
            ),
        }

    @staticmethod
    def check(title: str, lead: str, parts: list[str], derived: dict) -> None:
        """Derive again as ``Article.save()`` does; stop the build on a difference."""
        body = sanitize_body("".join(parts))
        search_text, search_exact = search_lines(title=title, lead=lead, body_html=body)
        expected = {
            "slug": slugify_vi(title) or "bai-viet",
            "body": body,
            "search_text": search_text,
            "search_exact": search_exact,
        }
        if expected != derived:
            wrong = sorted(k for k in expected if expected[k] != derived[k])
            raise RuntimeError(
                f"The archive derives {', '.join(wrong)} unlike Article.save() "
                f"for {title!r}: demo/archive/rows.py must follow it."
            )


class _Zipf:
    """Pick items with a skewed (Zipf-like) popularity: a few tags are everywhere."""

    def __init__(self, items: tuple, exponent: float = 1.07):
        self.items = items
        self.cumulative = list(
            itertools.accumulate(
                1 / (rank + 1) ** exponent for rank in range(len(items))
            )
        )

    def distinct(self, count: int, rng: random.Random) -> list:
        picked: list = []
        total = self.cumulative[-1]
        while len(picked) < min(count, len(self.items)):
            index = bisect.bisect_left(self.cumulative, rng.random() * total)
            item = self.items[min(index, len(self.items) - 1)]
            if item not in picked:
                picked.append(item)
        return picked


class _Text:
    """The demo paper's text, cut into the pieces articles are made of."""

    def __init__(self):
        self.paragraphs = [
            f"<p>{p}</p>" for entry in content.ARTICLES for p in entry["paragraphs"]
        ]
        # The demo leads without their "DXO – Ngày 18-11-2026, " opening.
        self.lead_rests = [
            entry["lead"].split(", ", 1)[-1] for entry in content.ARTICLES
        ]
        self.subheadings = [
            f"<h2>{heading}</h2>"
            for entry in content.ARTICLES
            for heading in entry.get("subheadings", {}).values()
        ]
        self.comments = [
            comment["body"]
            for entry in content.ARTICLES
            for comment in entry.get("comments", [])
        ]
        # As the body editor writes a quotation set as a pull quote.
        self.pull_quotes = [
            f'<blockquote class="pull-quote"><p>{quote}</p></blockquote>'
            for entry in content.ARTICLES
            for quote in entry.get("pull_quotes", {}).values()
        ]


class ChunkMaker:
    """Makes the rows of any chunk of one archive (one per process)."""

    def __init__(self, plan: Plan):
        self.plan = plan
        self.text = _Text()
        self.derive = Derivations()
        self.tag_picker = _Zipf(plan.tags)
        self.section_cumulative = list(itertools.accumulate(plan.section_weights))
        self.comment_hashes = {
            body: body_fingerprint(body) for body in self.text.comments
        }
        start = plan.now - timedelta(days=365 * YEARS)
        self.start = start
        # Each article gets its own slot of the five years, oldest first, and a
        # random moment in it: times follow ids, as in a paper's database.
        self.slot = ((plan.now - start) - timedelta(minutes=10)) / plan.articles

    def rows(self, chunk: int) -> dict[type, list[tuple]]:
        plan = self.plan
        rng = random.Random(f"{plan.seed}:{chunk}")  # noqa: S311 - sample data
        made: dict[type, list[tuple]] = {model: [] for model in COLUMNS}
        first = chunk * CHUNK
        for index in range(first, min(first + CHUNK, plan.articles)):
            status, published_at = self._status(index, rng)
            article_id = plan.first_id + index
            article = self._article(article_id, status, published_at, rng, index)
            made[Article].append(article)
            lead_photo_id, kind, layout = article[13], article[6], article[15]
            made[TaggedArticle] += [
                (article_id, tag)
                for tag in self.tag_picker.distinct(rng.randint(2, 5), rng)
            ]
            made[Credit] += self._credits(article_id, lead_photo_id, rng)
            if kind == Article.Kind.FEATURE:
                wide = layout == Article.Layout.EMAGAZINE
                made[ArticlePhoto].append(
                    (article_id, rng.choice(plan.photos), 2, wide)
                )
            if (
                published_at is not None
                and published_at <= plan.now
                and rng.random() < plan.commented_share
            ):
                made[Comment] += self._comments(article_id, published_at, rng)
        return made

    def _status(self, index: int, rng: random.Random):
        """The newest rows are work in progress: drafts, then stories
        scheduled for the coming days, as in a real newsroom."""
        plan = self.plan
        if index >= plan.articles - plan.scheduled:
            return Article.Status.PUBLISHED, plan.now + timedelta(
                hours=rng.randint(2, 24 * 14)
            )
        if index >= plan.articles - plan.scheduled - plan.drafts:
            return Article.Status.DRAFT, None
        return Article.Status.PUBLISHED, self.start + self.slot * (index + rng.random())

    def _article(
        self,
        article_id: int,
        status: str,
        published_at: datetime | None,
        rng: random.Random,
        index: int,
    ) -> tuple:
        text = self.text
        place = rng.choice(PLACES)
        topic = rng.choice(TOPICS)
        if rng.random() < 0.5:
            title = f"{rng.choice(ACTIONS)} {topic} ở {place}"
        else:
            title = f"{place}: {rng.choice(ACTIONS).lower()} {topic}"
        kind = Article.Kind.FEATURE if rng.random() < 0.3 else Article.Kind.NEWS
        emagazine = index % EMAGAZINE_EVERY == EMAGAZINE_AT
        if emagazine:
            kind = Article.Kind.FEATURE
        paragraphs = rng.sample(
            text.paragraphs,
            rng.randint(6, 14) if kind == Article.Kind.FEATURE else rng.randint(4, 9),
        )
        parts = []
        for number, paragraph in enumerate(paragraphs):
            if kind == Article.Kind.FEATURE and number in (3, 7):
                parts.append(rng.choice(text.subheadings))
            parts.append(paragraph)
            if emagazine and number == 1:
                parts.append(rng.choice(text.pull_quotes))
        when = published_at or self.plan.now
        local = timezone.localtime(when)
        dateline = f"{local.day}-{local.month}-{local.year}"  # "18-11-2026", no zeros
        created_at = when - timedelta(hours=rng.randint(1, 30))
        lead = f"DXO – Ngày {dateline}, {rng.choice(text.lead_rests)}"
        derived = self.derive.article(title, lead, parts)
        if index % CHECK_EVERY == 0:
            self.derive.check(title, lead, parts, derived)
        section = rng.choices(self.plan.sections, cum_weights=self.section_cumulative)
        lead_photo_id = rng.choice(self.plan.photos) if rng.random() < 0.85 else None
        lead_video_id = None
        if index % VIDEO_EVERY == VIDEO_AT and self.plan.videos:
            # A video story's lead photo is its video's poster (Article.clean).
            lead_video_id, lead_photo_id = rng.choice(self.plan.videos)
        return (
            article_id,
            title,
            derived["slug"],
            derived["body"],
            derived["search_text"],
            derived["search_exact"],
            kind,
            section[0],
            lead,
            status,
            published_at,
            created_at,
            when if published_at else created_at,
            lead_photo_id,
            rng.choice(["", "", "", "Baoduaxanh.vn", "TTXVN"]),
            Article.Layout.EMAGAZINE if emagazine else Article.Layout.STANDARD,
            lead_video_id,
        )

    def _credits(self, article_id: int, lead_photo_id, rng: random.Random):
        people = rng.sample(self.plan.contributors, rng.choice([1, 1, 2, 2, 2, 3]))
        if len(people) == 1:
            roles = [[Role.TEXT, Role.PHOTO] if lead_photo_id else [Role.TEXT]]
        else:
            extra = rng.choice([Role.GRAPHICS, Role.VIDEO, Role.TRANSLATION])
            roles = [[Role.TEXT], [Role.PHOTO], [extra]][: len(people)]
        # Roles already unique and in byline order, as Credit.save() keeps them.
        return [
            (article_id, person, [str(role) for role in person_roles], order)
            for order, (person, person_roles) in enumerate(
                zip(people, roles, strict=True)
            )
        ]

    def _comments(self, article_id: int, published_at: datetime, rng: random.Random):
        made = []
        for offset in range(rng.choice([1, 1, 2, 3, 5, 8, 13])):
            created_at = published_at + timedelta(
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
            body = rng.choice(self.text.comments)
            made.append(
                (
                    article_id,
                    person_name(rng),
                    f"bandoc{rng.randrange(100_000)}@example.com",
                    body,
                    self.comment_hashes[body],  # what Comment.save() stores
                    status,
                    min(created_at, self.plan.now),
                    f"203.0.113.{rng.randint(1, 254)}",
                    rng.choice(USER_AGENTS),
                    None
                    if status == Comment.Status.PENDING
                    else created_at + timedelta(hours=2),
                )
            )
        return made
