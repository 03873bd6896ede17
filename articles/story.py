"""The article's story, rendered when it is written, not while a reader waits.

The part of the article page that depends only on the article and what it
owns (title, time, lead, photos with their renditions, body, gallery,
corrections, byline, source, tags, contributors) is rendered from
``articles/_story.html`` and kept on the article row (``story_html``), with
the facts the page's head and JSON-LD need (``story_meta``). Reading an
article page is then one row, not seven queries and a dozen templates.

``story_key`` says whether the stored story is current:

* ``STORY_KEY`` (a digest of the story's templates and ``STORY_FORMAT``): the
  stored story is what rendering now would give;
* anything else: stale. Every write the story depends on (the article, its
  credits, photos, tags, corrections; a photo, contributor or tag it uses)
  sets a new random stale key, from its service. A deploy that changes the
  templates changes ``STORY_KEY``, so every story is stale at once.

A stale story is rendered by the writer's service right away, or else by the
first reader, who stores it only if the key is still the stale key that reader
saw: a write in between leaves the story stale instead of storing a story made
from data read before that write.
"""

import hashlib
from pathlib import Path

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from .models import Article
from .models.articles import stale_story_key

# Bump when code (not templates) changes what the story looks like: the
# byline rules, date formats, picture markup made in Python...
STORY_FORMAT = 1
STORY_TEMPLATES = (
    "articles/_story.html",
    "articles/_picture.html",
    "articles/_figure.html",
    "articles/_gallery.html",
    "articles/_corrections.html",
)


def _story_key() -> str:
    digest = hashlib.blake2b(f"{STORY_FORMAT}".encode(), digest_size=10)
    for name in STORY_TEMPLATES:
        for directory in settings.TEMPLATES[0]["DIRS"]:
            path = Path(directory) / name
            if path.exists():
                digest.update(path.read_bytes())
                break
    return digest.hexdigest()


STORY_KEY = _story_key()


def stories_stale(articles: QuerySet) -> int:
    """Mark the stories of ``articles`` for rendering again; returns how many.

    For writes to rows the story prints but the article does not own: a
    photo's caption, a contributor's or a tag's name.
    """
    return Article.objects.filter(pk__in=articles.values("pk")).update(
        story_key=stale_story_key()
    )


def _meta(article: Article) -> dict:
    """What the head and the JSON-LD print besides the article's own fields."""
    meta = {
        "authors": [
            [credit.contributor.name, credit.contributor.get_absolute_url()]
            for credit in article.credits.all()
        ],
        "image": None,
        # For the related stories (ArticleQuerySet.related_to).
        "tag_ids": [tag.pk for tag in article.tags.all()],
    }
    if article.lead_photo_id:
        url, width, height = article.lead_photo.share_image
        meta["image"] = [url, width, height, article.lead_photo.alt_text]
    return meta


def story_render(*, article_id: int, seen_key: str | None = None) -> Article | None:
    """Render and store the story of one article; returns it with the story.

    With ``seen_key``, store only if the row still has that key (see the
    module docstring); the rendered story is returned either way.
    """
    article = Article.objects.for_detail().filter(pk=article_id).first()
    if article is None:
        return None
    article.story_html = render_to_string("articles/_story.html", {"article": article})
    article.story_meta = _meta(article)
    article.story_key = STORY_KEY
    rows = Article.objects.filter(pk=article_id)
    if seen_key is not None:
        rows = rows.filter(story_key=seen_key)
    rows.update(
        story_html=article.story_html,
        story_meta=article.story_meta,
        story_key=STORY_KEY,
    )
    return article


def story_for(article: Article) -> SafeString:
    """The stored story of ``article``, rendered first if it is stale."""
    if article.story_key != STORY_KEY:
        fresh = story_render(article_id=article.pk, seen_key=article.story_key)
        if fresh is None:  # deleted a moment ago
            return mark_safe("")
        article.story_html = fresh.story_html
        article.story_meta = fresh.story_meta
        article.story_key = STORY_KEY
    # Rendered by our own templates, which escape what editors typed, from a
    # body sanitised against an allowlist when it was saved.
    return mark_safe(article.story_html)  # noqa: S308
