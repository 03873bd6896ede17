"""sitemap.xml (an index of sections and paginated articles) and Google News."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.utils import timezone

from .models import Article, Section


class SectionSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return Section.objects.all()


class ArticleSitemap(Sitemap):
    # Pages of this size keep each file small; the index lists them all.
    limit = 1000

    def items(self):
        return Article.objects.published().only("slug", "updated_at", "published_at")

    def lastmod(self, article: Article):
        return max(article.updated_at, article.published_at)

    def get_latest_lastmod(self):
        # The index's <lastmod>: one aggregate instead of Django's default,
        # which walks every article of the archive.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


SITEMAPS = {"chuyen-muc": SectionSitemap, "bai-viet": ArticleSitemap}

# Google News reads only articles of the last two days, at most 1000.
NEWS_WINDOW = timedelta(days=2)
NEWS_LIMIT = 1000


def news_articles():
    since = timezone.now() - NEWS_WINDOW
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("title", "slug", "published_at")
        .order_by("-published_at", "-id")[:NEWS_LIMIT]
    )
