"""RSS for the whole paper and for each section (/rss/<section>.rss)."""

import mimetypes

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from paper.models import SiteSettings
from paper.text import plain

from .models import Article, Section

ITEMS = 50


class LatestArticlesFeed(Feed):
    """The newest published articles: title, lead, lead photo and date."""

    feed_type = Rss201rev2Feed
    language = "vi"

    def __call__(self, request, *args, **kwargs):
        self.paper = SiteSettings.load()
        return super().__call__(request, *args, **kwargs)

    # Every text goes through plain(): XML 1.0 cannot carry a control
    # character, and one stored before the fields cleaned their input (or
    # written by a raw UPDATE) must not turn the feed into a 500.

    def title(self):
        return plain(self.paper.name)

    def description(self):
        return plain(self.paper.tagline) or _("Tin mới nhất")

    def link(self):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.published().for_listing()

    def items(self, obj=None):
        return self.articles(obj)[:ITEMS]

    def item_title(self, item: Article) -> str:
        return plain(item.title)

    def item_description(self, item: Article) -> str:
        # RSS readers render a description as HTML: the lead is text, so a
        # lead that mentions "<b>" shows it rather than turning bold.
        return escape(plain(item.lead, multiline=True))

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_categories(self, item: Article):
        return [plain(item.section.name)]

    def item_enclosures(self, item: Article):
        if not item.lead_photo_id:
            return []
        photo = item.lead_photo
        # Noted when the file was stored: asking the storage would cost a
        # request per item on S3. 0 for a file that was already missing when
        # sizes began to be kept (migration 0014).
        length = str(photo.file_size)
        mime = mimetypes.guess_type(photo.image.name)[0] or "image/jpeg"
        url = self.request.build_absolute_uri(photo.image.url)
        return [Enclosure(url, length, mime)]

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None


class SectionFeed(LatestArticlesFeed):
    """One section, with its subsections, as aggregators expect it."""

    def get_object(self, request, slug: str):
        self.request = request
        return get_object_or_404(Section, slug=slug)

    def title(self, obj: Section):
        return plain(f"{obj.name} – {self.paper.name}")

    def description(self, obj: Section):
        return plain(obj.description or obj.name)

    def link(self, obj: Section):
        return obj.get_absolute_url()

    def articles(self, obj: Section):
        return Article.objects.published().in_section(obj).for_listing()
