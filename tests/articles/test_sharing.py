"""Share buttons on article pages: Facebook, Zalo and copy-link for the
canonical address, with nothing loaded from another host."""

import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from articles.models import Article
from articles.sharing import share_links
from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, ArticlePhotoFactory, PhotoFactory

# Attributes through which a page makes the browser fetch something.
_FETCHING = {
    "script": ["src"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "input": ["src"],
}
_FETCHING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch"}


class _Fetches(HTMLParser):
    """Every address the page's markup makes a browser load by itself."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.frames = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("iframe", "frame", "embed", "object"):
            self.frames += 1
        for name in _FETCHING.get(tag, []):
            value = attrs.get(name) or ""
            self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
        if tag == "link" and _FETCHING_LINKS & set((attrs.get("rel") or "").split()):
            self.urls.append(attrs.get("href") or "")
        if "style" in attrs:
            self.urls += re.findall(r"url\(([^)]*)\)", attrs["style"])


class ShareLinkTests(NewsroomTestCase):
    def test_the_address_is_percent_encoded_whole(self):
        url = "https://baoduaxanh.vn/do-ngang-12.html?trang=2&a=b c#binh-luan"
        links = share_links(url)
        self.assertEqual(
            links["facebook"],
            "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2F"
            "baoduaxanh.vn%2Fdo-ngang-12.html%3Ftrang%3D2%26a%3Db%20c%23binh-luan",
        )
        self.assertTrue(
            links["zalo"].startswith("https://sp.zalo.me/share_inline?url=https%3A")
        )
        for name, key in (("facebook", "u"), ("zalo", "url")):
            query = parse_qs(urlsplit(links[name]).query)
            # One parameter, the whole address: its own "?" and "&" stayed in.
            self.assertEqual(query, {key: [url]})


class ShareBarTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.standard = ArticleFactory(
            title="Cầu Rạch Miễu 2 tăng tốc", lead_photo=PhotoFactory()
        )
        cls.longform = ArticleFactory(
            title="Chuyến đò sớm mai",
            layout=Article.Layout.EMAGAZINE,
            lead_photo=PhotoFactory(make_renditions=True),
        )
        ArticlePhotoFactory(article=cls.longform, is_wide=True)

    def _page(self, article) -> str:
        response = self.client.get(article.get_absolute_url())
        self.assertEqual(response.status_code, 200)
        return response.content.decode()

    def test_every_button_shares_the_canonical_address(self):
        for article in (self.standard, self.longform):
            with self.subTest(layout=article.layout):
                html = self._page(article)
                canonical = re.search(r'<link rel="canonical" href="([^"]+)"', html)[1]
                self.assertEqual(
                    canonical, "http://testserver" + article.get_absolute_url()
                )
                bar = re.search(r'<div class="share".*?</div>', html, re.S)[0]
                facebook = re.search(r'href="(https://www\.facebook\.com[^"]+)"', bar)
                zalo = re.search(r'href="(https://sp\.zalo\.me[^"]+)"', bar)
                self.assertEqual(
                    unescape(facebook[1]), share_links(canonical)["facebook"]
                )
                self.assertEqual(unescape(zalo[1]), share_links(canonical)["zalo"])
                self.assertIn(f'data-url="{canonical}"', bar)
                # Without the script, the address waits in a field to select.
                self.assertIn(f'value="{canonical}" readonly', bar)

    def test_the_buttons_are_named_in_vietnamese_and_open_a_new_window(self):
        html = self._page(self.standard)
        bar = re.search(r'<div class="share".*?</div>', html, re.S)[0]
        self.assertIn('role="group" aria-label="Chia sẻ bài viết"', bar)
        self.assertEqual(bar.count('target="_blank" rel="noopener noreferrer"'), 2)
        self.assertEqual(bar.count("(chia sẻ, mở cửa sổ mới)"), 2)
        for label in ("Chép liên kết", "Liên kết bài viết", "Chia sẻ"):
            self.assertIn(label, bar)
        self.assertIn('data-done="Đã chép liên kết"', bar)
        self.assertIn('aria-live="polite" aria-atomic="true" data-share-status', bar)
        # Icons are drawn in the page and hidden from screen readers.
        self.assertEqual(bar.count('<svg class="share__icon"'), 4)
        self.assertEqual(bar.count('aria-hidden="true" focusable="false"'), 4)
        # The phone's share sheet is offered by the script, where it exists.
        self.assertIn('<li class="share__native" hidden>', bar)

    def test_nothing_in_the_page_is_loaded_from_another_host(self):
        for article in (self.standard, self.longform):
            with self.subTest(layout=article.layout):
                html = self._page(article)
                fetches = _Fetches()
                fetches.feed(html)
                self.assertEqual(fetches.frames, 0)
                self.assertTrue(fetches.urls)
                for url in fetches.urls:
                    parts = urlsplit(url)
                    self.assertIn(parts.netloc, ("", "testserver"), url)
                    self.assertTrue(url.startswith("/"), url)
                # The networks appear only as link targets.
                for host in ("facebook.com", "zalo.me"):
                    for found in re.finditer(re.escape(host), html):
                        before = html[: found.start()]
                        self.assertRegex(before[-80:], r'<a [^>]*href="https://[^"]*$')
