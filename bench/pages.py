"""The pages the benchmark measures: the one list to extend.

Each entry names a page and finds its URL in the archive. bench/load.py counts
each page's SQL queries and drives it with wrk; bench/explain.py runs EXPLAIN
(ANALYZE) on the queries of the pages marked ``explain``. A page that answers
404 (a feature not merged yet) is reported as "not available".
"""

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()


@dataclass(frozen=True)
class Page:
    name: str
    url: Callable[[], str]
    explain: bool = False


def _newest_article() -> str:
    from articles.models import Article

    return (
        Article.objects.published()
        .order_by("-published_at", "-id")[0]
        .get_absolute_url()
    )


def _newest_video_story() -> str:
    from articles.models import Article

    return (
        Article.objects.published()
        .exclude(lead_video=None)
        .order_by("-published_at", "-id")[0]
        .get_absolute_url()
    )


def _newest_emagazine_story() -> str:
    from articles.models import Article

    return (
        Article.objects.published()
        .filter(layout=Article.Layout.EMAGAZINE)
        .order_by("-published_at", "-id")[0]
        .get_absolute_url()
    )


def _newest_article_api() -> str:
    from articles.models import Article

    newest = Article.objects.published().order_by("-published_at", "-id")[0]
    return f"/api/v1/articles/{newest.pk}/"


def _archive_article() -> str:
    # A story from three years ago: nothing of it is in any cache yet.
    from datetime import timedelta

    from django.utils import timezone

    from articles.models import Article

    then = timezone.now() - timedelta(days=3 * 365)
    return (
        Article.objects.published(now=then)
        .order_by("-published_at")[0]
        .get_absolute_url()
    )


def _busiest_section() -> str:
    # A top-level section with subsections: its page lists both (the OR query).
    from django.db.models import Count

    from articles.models import Section

    section = (
        Section.objects.filter(parent=None)
        .annotate(children_count=Count("children"))
        .order_by("-children_count", "order")
        .first()
    )
    return section.get_absolute_url()


def _newest_print_issue() -> str:
    # The benchmark archive has no print issues unless someone uploaded
    # some: then the page answers 404 and is reported "not available".
    from editions.models import Issue

    issue = Issue.objects.visible().order_by("-date", "-number").first()
    return (
        issue.page_url(2 if issue.page_count > 1 else 1)
        if issue
        else "/bao-in/0001/01/01/so-0/"
    )


def _busiest_tag() -> str:
    # The tag on most articles: its page counts them all.
    from django.db.models import Count

    from articles.models import Tag

    tag = (
        Tag.objects.annotate(articles=Count("tagged_articles"))
        .order_by("-articles", "pk")
        .first()
    )
    return tag.get_absolute_url()


PAGES = [
    Page("article", _newest_article, explain=True),
    Page("article, 3 years old", _archive_article),
    Page("article, video story", _newest_video_story),
    Page("article, E-magazine", _newest_emagazine_story),
    Page("home", lambda: "/", explain=True),
    Page("section", _busiest_section, explain=True),
    Page("tag", _busiest_tag),
    Page("search 'dan van'", lambda: "/tim-kiem?q=dan+van", explain=True),
    Page("video", lambda: "/video/", explain=True),
    Page("rss", lambda: "/rss/tin-moi-nhat.rss"),
    Page("print edition", lambda: "/bao-in/"),
    Page("print issue, page 2", _newest_print_issue),
    Page("print search 'dan van'", lambda: "/bao-in/tim-kiem/?q=dan+van"),
    Page("api: article list", lambda: "/api/v1/articles/", explain=True),
    Page("api: article", _newest_article_api),
    # The bound: a constant view through the same server and middleware.
    Page("bare view", lambda: "/__bench/bare"),
]
BARE = "bare view"
