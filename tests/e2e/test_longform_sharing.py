"""The E-magazine story, the share buttons and the home page's text cards in
a real browser, on a phone and a desktop. Every page is watched (conftest's
Watch): a request to another host, a console error or a failed request
fails the test."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import (
    DESKTOP,
    PHONE,
    SCREENSHOTS,
    Watch,
    axe_violations,
    screenshot,
)

pytestmark = pytest.mark.e2e

SIZES = {"phone": PHONE, "desktop": DESKTOP}
# The demo's E-magazine story (demo/content.py).
LONGFORM = "Chuyến đò sớm mai đưa học trò cồn qua sông"

_SCALE = """(selector) => {
    const transform = getComputedStyle(document.querySelector(selector)).transform;
    return transform === "none" ? 0 : new DOMMatrix(transform).a;
}"""


def _open_longform(site, page: Page) -> None:
    page.goto(site.base_url + "/chuyen-muc/giao-duc/")
    page.get_by_role("link", name=LONGFORM, exact=True).first.click()
    expect(page.locator("h1")).to_have_text(LONGFORM)


def _canonical(page: Page) -> str:
    return page.locator('link[rel="canonical"]').get_attribute("href")


def _rendition_width(page: Page, selector: str) -> int:
    source = page.locator(selector).evaluate("img => img.currentSrc")
    return int(re.search(r"/full-(\d+)-", source)[1])


@pytest.mark.parametrize("size", SIZES)
class LongformTests:
    def test_an_e_magazine_story_reads_well_and_loads_what_the_screen_needs(
        self, site, open_page, size
    ):
        page = open_page(SIZES[size])
        requested = []
        page.on("request", lambda request: requested.append(request.url))
        _open_longform(site, page)
        screenshot(page, f"longform-{size}")
        # Photos, the stylesheet and the scripts, all from the paper itself.
        assert len(requested) > 5
        assert all(url.startswith(site.base_url + "/") for url in requested)
        hero = page.locator(".longform-hero__figure img")
        expect(hero).to_be_visible()
        # The opening photo spans the window; the title comes under it.
        width = page.evaluate("document.documentElement.clientWidth")
        box = hero.bounding_box()
        assert box["x"] == 0 and abs(box["width"] - width) <= 1
        title = page.locator(".longform-hero h1").bounding_box()
        assert title["y"] >= box["y"] + box["height"]
        # A phone fetches a small rendition, a desktop a large one.
        hero_width = _rendition_width(page, ".longform-hero__figure img")
        assert hero_width <= 800 if size == "phone" else hero_width >= 1200

        paragraph = page.locator(".story__body > p").first.bounding_box()
        wide = page.locator(".figure--wide img")
        wide.scroll_into_view_if_needed()
        expect(wide).to_be_visible()
        wide_box = wide.bounding_box()
        assert wide_box["width"] > paragraph["width"] + 20
        if size == "phone":
            assert abs(wide_box["width"] - width) <= 1  # edge to edge
        else:
            assert paragraph["width"] <= 38 * 16 + 1  # the reading column
        expect(page.locator("blockquote.pull-quote")).to_contain_text(
            "Tụi nhỏ như con cháu mình"
        )

        # The reading-progress line follows the story, hidden from screen readers.
        line = page.locator(".reading-progress")
        expect(line).to_have_attribute("aria-hidden", "true")
        page.evaluate("scrollTo(0, 0)")
        page.wait_for_function(f"() => ({_SCALE})('.reading-progress') === 0")
        page.evaluate(
            """() => {
                const story = document.querySelector(".story").getBoundingClientRect();
                scrollTo(0, scrollY + story.top + (story.height - innerHeight) / 2);
            }"""
        )
        page.wait_for_function(
            f"() => ({_SCALE})('.reading-progress') > 0.3"
            f" && ({_SCALE})('.reading-progress') < 0.7"
        )
        page.emulate_media(reduced_motion="reduce")
        expect(line).to_be_hidden()
        page.emulate_media(reduced_motion="no-preference")

        assert not axe_violations(page)

    def test_the_progress_line_is_drawn_by_script_where_css_cannot(
        self, site, browser, size
    ):
        # A browser without scroll-driven animations: CSS.supports says no
        # and the line's animation is taken away. The page's own policy
        # (CSP) stays on: the script draws through the CSSOM, which it allows.
        context = browser.new_context(viewport=SIZES[size])
        try:
            context.add_init_script(
                """{
                    const supports = CSS.supports.bind(CSS);
                    CSS.supports = (...args) =>
                        String(args[0]).includes("animation-timeline")
                            ? false : supports(...args);
                }"""
            )
            page = context.new_page()
            watch = Watch(site.base_url)
            watch.attach(page)
            _open_longform(site, page)
            page.locator(".reading-progress").evaluate(
                "line => line.style.setProperty('animation', 'none', 'important')"
            )
            page.evaluate("scrollTo(0, document.body.scrollHeight)")
            page.wait_for_function(f"() => ({_SCALE})('.reading-progress') > 0.99")
            page.evaluate("scrollTo(0, 0)")
            page.wait_for_function(f"() => ({_SCALE})('.reading-progress') === 0")
            assert not watch.problems, watch.problems
        finally:
            context.close()


@pytest.mark.parametrize("size", SIZES)
class ShareButtonTests:
    def _standard_story(self, site, page: Page) -> str:
        page.goto(site.base_url + "/")
        page.locator(".front__lead .card__title a").click()
        expect(page.locator(".story")).not_to_have_class(re.compile("emagazine"))
        return _canonical(page)

    def test_share_links_carry_the_canonical_address(self, site, open_page, size):
        page = open_page(SIZES[size])
        canonical = self._standard_story(site, page)
        screenshot(page, f"share-buttons-{size}")
        bar = page.get_by_role("group", name="Chia sẻ bài viết")
        facebook = bar.get_by_role("link", name=re.compile("^Facebook"))
        zalo = bar.get_by_role("link", name=re.compile("^Zalo"))
        for link, host, key in (
            (facebook, "www.facebook.com", "u"),
            (zalo, "sp.zalo.me", "url"),
        ):
            expect(link).to_be_visible()
            parts = urlsplit(link.get_attribute("href"))
            assert parts.scheme == "https" and parts.netloc == host
            assert parse_qs(parts.query) == {key: [canonical]}
            expect(link).to_have_attribute("target", "_blank")
        # Reached by the keyboard, with a visible focus ring.
        for _ in range(60):
            page.keyboard.press("Tab")
            if page.evaluate(
                "document.activeElement.classList.contains('share__button--facebook')"
            ):
                break
        else:
            pytest.fail("the Facebook button is not reached with Tab")
        outline = facebook.evaluate("a => getComputedStyle(a).outlineStyle")
        assert outline == "solid"
        bar_box = bar.bounding_box()
        assert bar_box["width"] <= SIZES[size]["width"]
        assert not axe_violations(page)

    def test_copy_link_copies_and_says_so(self, site, open_page, size):
        page = open_page(SIZES[size])
        page.context.grant_permissions(
            ["clipboard-read", "clipboard-write"], origin=site.base_url
        )
        canonical = self._standard_story(site, page)
        field = page.get_by_label("Liên kết bài viết")
        expect(field).to_be_hidden()  # the button does the work
        page.get_by_role("button", name="Chép liên kết").click()
        expect(page.locator("[data-share-status]")).to_have_text("Đã chép liên kết")
        assert page.evaluate("navigator.clipboard.readText()") == canonical
        screenshot(page, f"share-copied-{size}")

    def test_the_phones_share_sheet_is_offered_where_it_exists(
        self, site, open_page, size
    ):
        page = open_page(SIZES[size])
        page.add_init_script(
            """navigator.share = (data) => {
                window.sharedWith = data;
                return Promise.resolve();
            };"""
        )
        canonical = self._standard_story(site, page)
        button = page.get_by_role("button", name="Chia sẻ", exact=True)
        expect(button).to_be_visible()
        button.click()
        page.wait_for_function("() => window.sharedWith !== undefined")
        shared = page.evaluate("window.sharedWith")
        assert shared["url"] == canonical
        assert shared["title"] == page.locator("h1").inner_text()

    def test_without_javascript_the_address_is_there_to_select(
        self, site, browser, size
    ):
        context = browser.new_context(viewport=SIZES[size], java_script_enabled=False)
        try:
            page = context.new_page()
            watch = Watch(site.base_url)
            watch.attach(page)
            page.goto(site.base_url + "/")
            href = page.locator(".front__lead .card__title a").get_attribute("href")
            page.goto(site.base_url + href)
            field = page.get_by_label("Liên kết bài viết")
            expect(field).to_be_visible()
            expect(field).to_have_value(_canonical(page))
            expect(field).not_to_be_editable()
            expect(page.get_by_role("button", name="Chép liên kết")).to_be_hidden()
            expect(page.locator(".share__native")).to_be_hidden()
            # conftest's screenshot() scrolls with a script: not here.
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=SCREENSHOTS / f"share-no-script-{size}.png")
            assert not watch.problems, watch.problems
        finally:
            context.close()


@pytest.mark.parametrize("size", SIZES)
class TextCardTests:
    def test_stories_without_a_photo_lay_out_as_text(self, site, open_page, size):
        page = open_page(SIZES[size])
        for path in ("/", "/chuyen-muc/xa-hoi/", "/chuyen-muc/van-hoa-the-thao/"):
            page.goto(site.base_url + path)
            cards = page.locator("article.card--text:visible")
            assert cards.count() > 0, path
            for index in range(cards.count()):
                card = cards.nth(index)
                assert card.locator("img, picture, .card__photo").count() == 0
                # The text starts where the card starts: no column kept for a photo.
                card_box = card.bounding_box()
                title_box = card.locator(".card__title").bounding_box()
                assert abs(title_box["x"] - card_box["x"]) <= 1, path
                assert title_box["width"] >= card_box["width"] * 0.8, path
            name = "home" if path == "/" else path.strip("/").split("/")[-1]
            screenshot(page, f"text-cards-{name}-{size}")
            assert not axe_violations(page), path
