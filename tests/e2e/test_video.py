"""Videos in a real browser: our poster until the reader clicks, no request to
another host before that, the provider's player after it, the newsroom's MP4
playing in <video> with its captions, and the "Video" page."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import DESKTOP, PHONE, Site, Watch, axe_violations, screenshot

pytestmark = pytest.mark.e2e

SIZES = {"phone": PHONE, "desktop": DESKTOP}
PLAYERS = re.compile(r"^https://(www\.youtube-nocookie\.com|www\.facebook\.com)/")


class Recorded:
    """A page whose every request is noted. The players' hosts answer from
    here (this machine is offline): a click's frame then loads, and what it
    asked for is on record."""

    def __init__(self, site: Site, browser: Browser, viewport, **options):
        self.context = browser.new_context(viewport=viewport, locale="vi-VN", **options)
        self.requests: list[str] = []
        self.context.on("request", lambda request: self.requests.append(request.url))
        self.context.route(
            PLAYERS,
            lambda route: route.fulfill(
                status=200, content_type="text/html", body="<p>player</p>"
            ),
        )
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        # Console errors, CSP violations and failed requests of the paper's
        # own pages still fail the test; other hosts are judged below.
        self.watch = Watch(site.base_url)
        self.watch.attach(self.page)
        self.base_url = site.base_url

    def elsewhere(self) -> list[str]:
        return [url for url in self.requests if not url.startswith(self.base_url)]

    def problems(self) -> list[str]:
        return [p for p in self.watch.problems if "request to another host" not in p]


@pytest.fixture
def recorded(site, browser):
    opened = []

    def _open(viewport=PHONE, **options) -> Recorded:
        page = Recorded(site, browser, viewport, **options)
        opened.append(page)
        return page

    yield _open
    for page in opened:
        page.context.close()
    problems = [problem for page in opened for problem in page.problems()]
    assert not problems, "\n".join(problems)


def _stories(site: Site, page: Page) -> dict[str, str]:
    """The demo's video stories, from the "Video" page: the one on a YouTube
    video and the one on the newsroom's MP4."""
    page.goto(site.base_url + "/video/")
    links = page.locator(".card__title a")
    found = {
        links.nth(i).inner_text(): links.nth(i).get_attribute("href")
        for i in range(links.count())
    }
    return {
        "youtube": site.base_url
        + next(url for title, url in found.items() if "kẹo dừa" in title),
        "mp4": site.base_url
        + next(url for title, url in found.items() if "sông Tiền" in title),
    }


@pytest.mark.parametrize("size", SIZES)
class VideoTests:
    def test_the_video_page_lists_video_stories_with_a_play_badge(
        self, site, open_page, size
    ):
        page = open_page(SIZES[size])
        page.goto(site.base_url + "/")
        page.get_by_role("navigation", name="Chuyên mục").get_by_role(
            "link", name="Video"
        ).click()
        expect(page.locator("h1")).to_have_text("Video")
        expect(page.locator(".card")).to_have_count(2)
        expect(page.locator(".card__play").first).to_be_visible()
        expect(page.locator(".card__video").first).to_contain_text("Video")
        screenshot(page, f"video-page-{size}")
        assert not axe_violations(page)

    def test_a_facade_shows_our_poster_and_calls_nobody_before_the_click(
        self, site, recorded, size
    ):
        reader = recorded(SIZES[size])
        page = reader.page
        page.goto(_stories(site, page)["youtube"])
        page.wait_for_load_state("networkidle")
        lead = page.locator(".figure--lead [data-video-player]")
        button = lead.get_by_role("button", name=re.compile(r"^Phát video: \S"))
        expect(button).to_be_visible()
        expect(lead.locator("img")).to_have_attribute("src", re.compile(r"^/media/"))
        # The Facebook link in the body: the paper's own neutral poster.
        body = page.locator(".story__body [data-video-player]")
        expect(body.locator("img")).to_have_attribute(
            "src", re.compile(r"^/static/img/video-poster")
        )
        screenshot(page, f"video-facade-{size}")
        assert reader.elsewhere() == []
        assert not axe_violations(page)

        button.click()
        player = lead.locator("iframe")
        expect(player).to_have_attribute(
            "src",
            re.compile(
                r"^https://www\.youtube-nocookie\.com/embed/[\w-]{11}\?autoplay=1"
            ),
        )
        expect(player).to_have_attribute("title", re.compile(r"\w"))
        expect(lead.locator("button")).to_have_count(0)
        # The player's frame loaded (from the stand-in answer above).
        expect(player.content_frame.locator("p")).to_have_text("player")
        assert [url.split("?")[0] for url in reader.elsewhere()] == [
            player.get_attribute("src").split("?")[0]
        ]
        # The Facebook player only when its own poster is clicked.
        body.get_by_role("button").click()
        expect(body.locator("iframe")).to_have_attribute(
            "src", re.compile(r"^https://www\.facebook\.com/plugins/video\.php\?href=")
        )

    def test_without_javascript_a_facade_is_a_link_to_the_video(
        self, site, recorded, size
    ):
        reader = recorded(SIZES[size], java_script_enabled=False)
        page = reader.page
        page.goto(_stories(site, page)["youtube"])
        link = page.locator(".figure--lead a.video__facade")
        expect(link).to_have_attribute(
            "href", re.compile(r"^https://www\.youtube\.com/watch\?v=[\w-]{11}$")
        )
        assert reader.elsewhere() == []

    def test_the_newsrooms_mp4_plays_with_its_captions(self, site, recorded, size):
        reader = recorded(SIZES[size])
        page = reader.page
        page.goto(_stories(site, page)["mp4"])
        video = page.locator(".figure--lead video")
        expect(video).to_have_attribute("preload", "none")
        expect(video).to_have_attribute("poster", re.compile(r"^/media/"))
        screenshot(page, f"video-mp4-{size}")
        assert not axe_violations(page)
        played = video.evaluate(
            """async (video) => {
                video.muted = true;
                await video.play();
                await new Promise((done) => {
                    const check = () =>
                        video.currentTime > 1 ? done() : setTimeout(check, 50);
                    check();
                });
                video.pause();
                return {time: video.currentTime, width: video.videoWidth,
                        track: video.textTracks[0].mode,
                        cues: video.textTracks[0].cues.length};
            }"""
        )
        assert played["time"] > 1
        assert played["width"] == 640
        assert played["track"] == "showing"
        assert played["cues"] == 2
        expect(page.locator(".figure--lead figcaption")).to_contain_text("0:06")
        screenshot(page, f"video-mp4-playing-{size}")
        assert reader.elsewhere() == []
