from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, register_converter
from django.views.decorators.http import require_safe

from pagecache.purge import shows

from . import views
from .feeds import LatestArticlesFeed, SectionFeed
from .sitemaps import SITEMAPS


class SlugWithDashes:
    # Article slugs are ASCII words joined by dashes; the id follows the last dash.
    regex = r"[a-z0-9]+(?:-[a-z0-9]+)*"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SlugWithDashes, "articleslug")

app_name = "articles"
# Reader pages only read: a POST would only skip the page cache (405).
urlpatterns = [
    path("", views.home, name="home"),
    path("chuyen-muc/<slug:slug>/", views.section_detail, name="section"),
    path("chu-de/<slug:slug>/", views.tag_detail, name="tag"),
    path("tac-gia/<slug:slug>/", views.contributor_detail, name="contributor"),
    path("video/", views.video_list, name="videos"),
    path("<articleslug:slug>-<int:pk>.html", views.article_detail, name="detail"),
    path("xem-truoc/<str:token>/", views.article_preview, name="preview"),
    path("cai-chinh/<int:pk>/", views.correction_detail, name="correction"),
    path("luu-tru/", views.archive_pick, name="archive_pick"),
    path("luu-tru/<int:year>/<int:month>/", views.archive, name="archive_month"),
    path(
        "luu-tru/<int:year>/<int:month>/<int:day>/",
        views.archive,
        name="archive_day",
    ),
    path("tim-kiem", views.search_results, name="search"),
    path("doc/<int:pk>/", views.read_beacon, name="read_beacon"),
    # The whole paper's feed; "tin-moi-nhat" is the name Vietnamese readers know.
    path(
        "rss/tin-moi-nhat.rss",
        require_safe(shows("feeds")(LatestArticlesFeed())),
        name="feed",
    ),
    path(
        "rss/<slug:slug>.rss",
        require_safe(shows("feeds")(SectionFeed())),
        name="section_feed",
    ),
    path("sitemap-news.xml", views.news_sitemap, name="news_sitemap"),
    path(
        "sitemap.xml",
        require_safe(shows("sitemaps")(sitemap_views.index)),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        require_safe(shows("sitemaps")(sitemap_views.sitemap)),
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
]
