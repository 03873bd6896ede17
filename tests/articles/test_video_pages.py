"""Videos as readers get them: facades that load nothing from another host
before a click, the newsroom's MP4s in <video>, VideoObject JSON-LD, the
"Video" page, and purges that follow every write."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser

from django.core.files.base import ContentFile
from django.test import override_settings
from django.urls import reverse

from articles.models import Article, Video
from articles.services import article_publish
from tests.base import ARTICLE_PAGE_QUERIES, NewsroomTestCase
from tests.factories import (
    VTT,
    ArticleFactory,
    ArticleVideoFactory,
    PhotoFactory,
    SectionFactory,
    VideoFactory,
    mp4_bytes,
)

YOUTUBE_ID = "M7lc1UVf-VE"
FACEBOOK_ID = "1234567890123456"


def file_video(**fields) -> Video:
    """The newsroom's MP4 in the library, with captions and a poster."""
    fields.setdefault("poster_photo", PhotoFactory(make_renditions=True))
    return VideoFactory(
        title="Chiều xuôi dòng sông Tiền",
        kind=Video.Kind.FILE,
        provider_id="",
        file=ContentFile(mp4_bytes(), name="song-tien.mp4"),
        captions=ContentFile(VTT.encode(), name="song-tien.vtt"),
        duration=timedelta(seconds=125),
        width=1280,
        height=720,
        credit="Hữu Phúc",
        **fields,
    )


class _Addresses(HTMLParser):
    """Every address the page makes the browser load or link to."""

    def __init__(self):
        super().__init__()
        self.loaded: list[str] = []
        self.linked: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for name, value in attrs:
            if value is None:
                continue
            if name in ("src", "poster", "data"):
                self.loaded.append(value)
            elif name == "srcset":
                self.loaded += [part.split()[0] for part in value.split(",")]
            elif name == "href":
                (self.loaded if tag == "link" else self.linked).append(value)


def addresses(html: str) -> _Addresses:
    parser = _Addresses()
    parser.feed(html)
    return parser


def external(urls: list[str]) -> list[str]:
    """Addresses on another host than the paper's own (the test server)."""
    return [
        url
        for url in urls
        if re.match(r"(https?:)?//", url) and not url.startswith("http://testserver/")
    ]


def json_ld(html: str) -> list[dict]:
    return [
        json.loads(text)
        for text in re.findall(
            r'<script type="application/ld\+json">(.*?)</script>', html, re.S
        )
    ]


def csp(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";"))


class VideoInBodyTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.library = VideoFactory(
            title="Mùa kẹo dừa ở Mỏ Cày",
            provider_id=YOUTUBE_ID,
            description="Thợ khuấy kẹo dừa bằng tay.",
            poster_photo=PhotoFactory(make_renditions=True),
        )
        cls.mp4 = file_video()
        cls.article = ArticleFactory(
            title="Lò kẹo dừa giữ lửa nghề",
            body=(
                "<p>Đoạn một.</p>"
                # Pasted: the editor makes the address a link.
                f'<p><a rel="noopener noreferrer nofollow" href="https://youtu.be/'
                f'{YOUTUBE_ID}">https://youtu.be/{YOUTUBE_ID}</a></p>'
                "<p>Đoạn hai.</p>"
                f"<p>https://www.facebook.com/hoptac/videos/{FACEBOOK_ID}/</p>"
                '<p>Xem <a href="https://youtu.be/M7lc1UVf-VE">đoạn phim</a> này.</p>'
            ),
        )
        ArticleVideoFactory(
            article=cls.article, video=cls.mp4, after_paragraph=1, caption=""
        )

    def test_a_pasted_link_becomes_our_poster_and_title_and_a_fallback_link(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        facades = re.findall(r'<figure class="figure video">.*?</figure>', html, re.S)
        youtube = next(f for f in facades if "youtube" in f)
        facebook = next(f for f in facades if "facebook" in f)
        # The library's poster and title for the video it knows...
        poster = self.library.poster_photo.full_picture.src
        self.assertIn(poster, youtube)
        self.assertIn("Mùa kẹo dừa ở Mỏ Cày", youtube)
        self.assertIn(f'href="https://www.youtube.com/watch?v={YOUTUBE_ID}"', youtube)
        self.assertIn(
            f'data-video-player="https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}'
            '?autoplay=1&amp;rel=0"',
            youtube,
        )
        # ...the paper's neutral poster for the one it does not.
        self.assertIn('src="/static/img/video-poster.svg"', facebook)
        self.assertIn("Video trên Facebook", facebook)
        # A link inside a sentence stays a link.
        self.assertIn('Xem <a href="https://youtu.be/M7lc1UVf-VE">đoạn phim</a>', html)
        # Script for the click, no player yet.
        self.assertIn('src="/static/js/video.js"', html)
        self.assertNotIn("<iframe", html)

    def test_nothing_is_loaded_from_another_host_before_a_click(self):
        found = addresses(
            self.client.get(self.article.get_absolute_url()).content.decode()
        )
        self.assertEqual(external(found.loaded), [])
        # The share buttons link to Facebook's and Zalo's share pages
        # (tests/articles/test_sharing.py); the rest are the videos'.
        sharing = ("https://www.facebook.com/sharer/", "https://sp.zalo.me/")
        self.assertCountEqual(
            [url for url in external(found.linked) if not url.startswith(sharing)],
            [
                # The two fallback links, and the link inside a sentence.
                f"https://www.youtube.com/watch?v={YOUTUBE_ID}",
                f"https://www.facebook.com/watch/?v={FACEBOOK_ID}",
                "https://youtu.be/M7lc1UVf-VE",
            ],
        )
        self.assertNotIn("iframe", found.tags)

    def test_the_page_may_frame_exactly_those_two_players(self):
        url = self.article.get_absolute_url()
        first = self.client.get(url)
        expected = "https://www.facebook.com https://www.youtube-nocookie.com"
        self.assertEqual(csp(first)["frame-src"], expected)
        kept = self.client.get(url)
        self.assertEqual(kept["X-Page-Cache"], "hit")
        self.assertEqual(csp(kept)["frame-src"], expected)
        # Everywhere else: no frame at all.
        plain = ArticleFactory()
        for page in (plain.get_absolute_url(), reverse("articles:home")):
            self.assertEqual(csp(self.client.get(page))["frame-src"], "'none'")

    def test_the_newsrooms_mp4_plays_in_a_video_element_with_captions(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        player = re.search(r"<video [^>]*>.*?</video>", html, re.S).group(0)
        self.assertIn('controls preload="none"', player)
        self.assertIn(f'poster="{self.mp4.poster_photo.full_picture.src[:-9]}', player)
        self.assertIn(f'<source src="{self.mp4.file.url}" type="video/mp4">', player)
        self.assertRegex(
            player,
            rf'<track kind="captions" srclang="vi" label="Tiếng Việt" '
            rf'src="{re.escape(self.mp4.captions.url)}" default>',
        )
        self.assertIn('width="1280" height="720"', player)
        # After the first paragraph, as placed.
        self.assertLess(html.index("Đoạn một."), html.index("<video "))
        self.assertLess(html.index("<video "), html.index("data-video-player"))

    def test_a_video_without_captions_has_no_track(self):
        Video.objects.filter(pk=self.mp4.pk).update(captions="")
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        self.assertIn("<video ", html)
        self.assertNotIn("<track", html)

    @override_settings(MEDIA_URL="https://anh.example-cdn.vn/media/")
    def test_videos_on_another_host_are_allowed_as_media(self):
        response = self.client.get(ArticleFactory().get_absolute_url())
        self.assertEqual(
            csp(response)["media-src"], "'self' https://anh.example-cdn.vn"
        )

    def test_the_page_describes_each_video_for_search_engines(self):
        html = self.client.get(self.article.get_absolute_url()).content.decode()
        graphs = [d for d in json_ld(html) if "@graph" in d]
        self.assertEqual(len(graphs), 1)
        videos = {item["name"]: item for item in graphs[0]["@graph"]}
        for item in videos.values():
            self.assertEqual(item["@type"], "VideoObject")
            self.assertTrue(item["thumbnailUrl"][0].startswith("http://testserver/"))
            self.assertTrue(item["uploadDate"])
            self.assertTrue(item["description"])
        mp4 = videos["Chiều xuôi dòng sông Tiền"]
        self.assertEqual(mp4["contentUrl"], f"http://testserver{self.mp4.file.url}")
        self.assertEqual(mp4["duration"], "PT2M5S")
        self.assertNotIn("embedUrl", mp4)
        candy = videos["Mùa kẹo dừa ở Mỏ Cày"]
        self.assertEqual(
            candy["embedUrl"], f"https://www.youtube-nocookie.com/embed/{YOUTUBE_ID}"
        )
        self.assertEqual(candy["description"], "Thợ khuấy kẹo dừa bằng tay.")
        self.assertNotIn("duration", candy)
        facebook = videos["Video trên Facebook"]
        self.assertIn(FACEBOOK_ID, facebook["embedUrl"])
        self.assertTrue(facebook["thumbnailUrl"][0].endswith("/video-poster.svg"))
        # The article's own NewsArticle is still there.
        self.assertIn("NewsArticle", [d.get("@type") for d in json_ld(html)])

    def test_an_article_without_video_has_no_video_markup(self):
        html = self.client.get(ArticleFactory().get_absolute_url()).content.decode()
        self.assertNotIn("VideoObject", html)
        self.assertNotIn("video.js", html)

    def test_the_page_costs_one_query_more_only_with_pasted_links(self):
        with self.assertPageQueries(ARTICLE_PAGE_QUERIES + 1):
            self.client.get(self.article.get_absolute_url())
        story = ArticleFactory(lead_video=file_video())
        ArticleVideoFactory(article=story)
        with self.assertPageQueries(ARTICLE_PAGE_QUERIES):
            self.client.get(story.get_absolute_url())

    def test_a_library_change_reaches_the_pages_that_show_the_video(self):
        url = self.article.get_absolute_url()
        self.client.get(url)
        with self.committed():
            self.library.title = "Mùa kẹo Tết ở Mỏ Cày"
            self.library.save()
        self.assertContains(self.client.get(url), "Mùa kẹo Tết ở Mỏ Cày")
        # The Facebook video joins the library with a poster of its own.
        self.client.get(url)
        with self.committed():
            VideoFactory(
                title="Kẹo dừa lên đường ra Bắc",
                kind=Video.Kind.FACEBOOK,
                provider_id=FACEBOOK_ID,
                url=f"https://www.facebook.com/watch/?v={FACEBOOK_ID}",
            )
        self.assertContains(self.client.get(url), "Kẹo dừa lên đường ra Bắc")


class VideoStoryTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(name="Văn hóa", slug="van-hoa")
        cls.video = file_video()
        cls.story = ArticleFactory(
            title="Chiều trên sông Tiền",
            section=cls.section,
            lead_video=cls.video,
            lead_photo=cls.video.poster_photo,
        )
        cls.plain = ArticleFactory(title="Tin không có video", section=cls.section)

    def test_the_video_takes_the_lead_photos_place(self):
        html = self.client.get(self.story.get_absolute_url()).content.decode()
        lead = re.search(r'<figure class="figure video figure--lead">', html)
        self.assertIsNotNone(lead)
        self.assertLess(html.index('class="story__lead"'), lead.start())
        self.assertLess(lead.start(), html.index('class="story__body"'))
        # One lead figure: the video, not the photo as well.
        self.assertEqual(html.count("figure--lead"), 1)

    def test_a_video_story_without_a_lead_photo_gets_its_videos_poster(self):
        story = Article(
            title="Bài video",
            section=self.section,
            lead="Sapo.",
            body="<p>Thân bài.</p>",
            lead_video=self.video,
        )
        story.full_clean()
        self.assertEqual(story.lead_photo, self.video.poster_photo)

    def test_the_video_page_lists_video_stories_with_a_play_badge(self):
        with self.assertPageQueries(3):  # site settings, navigation, page
            response = self.client.get(reverse("articles:videos"))
        self.assertContains(response, "Chiều trên sông Tiền")
        self.assertContains(response, '<span class="card__play"></span>', html=False)
        self.assertContains(response, '<span class="card__video">Video 2:05</span>')
        self.assertNotContains(response, "Tin không có video")
        self.assertContains(response, 'href="/video/" aria-current="page"')
        with self.assertPageQueries(0):
            self.client.get(reverse("articles:videos"))

    def test_every_page_links_the_video_page_in_its_navigation(self):
        for url in (reverse("articles:home"), self.plain.get_absolute_url()):
            self.assertContains(self.client.get(url), '<a href="/video/">Video</a>')

    @override_settings(ARTICLES_PER_PAGE=2)
    def test_the_video_page_is_paginated(self):
        for n in range(2):
            ArticleFactory(lead_video=VideoFactory(), title=f"Bài video {n}")
        url = reverse("articles:videos")
        self.assertContains(self.client.get(url + "?trang=2"), "Trang 2</span>")
        self.assertEqual(self.client.get(url + "?trang=3").status_code, 404)

    def test_publishing_and_editing_video_stories_reaches_the_video_page(self):
        url = reverse("articles:videos")
        self.client.get(url)
        draft = ArticleFactory(
            title="Ghe chở dừa về chợ nổi",
            status=Article.Status.APPROVED,
            published_at=None,
            lead_video=VideoFactory(),
        )
        self.assertNotContains(self.client.get(url), "Ghe chở dừa về chợ nổi")
        with self.committed():
            article_publish(article=draft, by=self.chief)
        self.assertContains(self.client.get(url), "Ghe chở dừa về chợ nổi")
        # The story stops being a video story.
        with self.committed():
            draft.lead_video = None
            draft.save()
        self.assertNotContains(self.client.get(url), "Ghe chở dừa về chợ nổi")
        # The video's length changes on its card.
        with self.committed():
            self.video.duration = timedelta(seconds=61)
            self.video.save()
        self.assertContains(self.client.get(url), "Video 1:01")

    def test_cards_elsewhere_carry_the_badge_too(self):
        response = self.client.get(self.section.get_absolute_url())
        self.assertContains(response, '<span class="card__video">Video</span>')
