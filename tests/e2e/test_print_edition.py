"""The print edition in a real browser: the demo paper's issues, read page by
page on a phone (swipe, double-tap zoom) and a desktop (links, arrow keys)."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE, Watch, axe_violations, screenshot

pytestmark = pytest.mark.e2e

SIZES = {"phone": PHONE, "desktop": DESKTOP}


def _images_loaded(page) -> None:
    """Every picture in view has arrived whole (none broken)."""
    broken = page.evaluate(
        """() => [...document.images]
            .filter((img) => img.complete && img.naturalWidth === 0)
            .map((img) => img.currentSrc || img.src)"""
    )
    assert broken == []


@pytest.mark.parametrize("size", SIZES)
def test_a_reader_opens_an_issue_and_turns_its_pages(site, open_page, size):
    page = open_page(SIZES[size])
    page.goto(site.base_url + "/")
    page.get_by_role("link", name="Báo in", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Báo in")
    expect(page.locator(".print-cover")).to_have_count(2)
    screenshot(page, f"print-index-{size}")
    assert axe_violations(page) == []

    page.locator(".print-cover a").first.click()
    expect(page).to_have_url(re.compile(r"/bao-in/\d{4}/\d{2}/\d{2}/so-5124/$"))
    expect(page.locator(".print-pager__at").first).to_have_text("Trang 1/4")
    page.locator(".print-page__image").evaluate(
        "img => img.decode ? img.decode() : null"
    )
    _images_loaded(page)
    pdf = page.locator(".print-meta__pdf")
    expect(pdf).to_contain_text("Tải bản PDF")
    assert page.request.get(site.base_url + pdf.get_attribute("href")).ok
    screenshot(page, f"print-issue-{size}")
    assert axe_violations(page) == []

    page.locator("[data-print-next]").first.click()
    expect(page).to_have_url(re.compile(r"/so-5124/trang-2/#trang$"))
    expect(page.locator(".print-pager__at").first).to_have_text("Trang 2/4")
    screenshot(page, f"print-issue-page-2-{size}")
    page.locator("[data-print-prev]").first.click()
    expect(page).to_have_url(re.compile(r"/so-5124/#trang$"))

    page.goto(site.base_url + "/bao-in/tim-kiem/?q=dan+van")
    expect(page.locator(".print-result").first).to_contain_text("trang")
    expect(page.locator(".print-result mark").first).to_have_text(
        re.compile("dân vận", re.I)
    )
    screenshot(page, f"print-search-{size}")
    assert axe_violations(page) == []


def test_arrow_keys_turn_pages_on_a_desktop(site, open_page):
    page = open_page(DESKTOP)
    page.goto(site.base_url + "/bao-in/")
    page.locator(".print-cover a").first.click()
    # The reader's script adds the zoom buttons, then listens for keys: a key
    # pressed before then would reach the page being left.
    zoom_in = page.get_by_role("button", name="Phóng to")
    expect(zoom_in).to_be_visible()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"/trang-2/#trang$"))
    expect(zoom_in).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page).to_have_url(re.compile(r"/so-5124/#trang$"))
    expect(zoom_in).to_be_visible()
    # + zooms in and loads the large picture.
    page.keyboard.press("+")
    expect(page.locator(".print-page__frame")).to_have_class(re.compile("is-zoomed"))


def _touch(cdp, kind: str, points: list[tuple[float, float]]) -> None:
    cdp.send(
        "Input.dispatchTouchEvent",
        {"type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]},
    )


def test_a_phone_swipes_between_pages_and_zooms_with_a_double_tap(site, browser):
    context = browser.new_context(
        viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = Watch(site.base_url)
    watch.attach(page)
    try:
        page.goto(site.base_url + "/bao-in/")
        page.locator(".print-cover a").first.click()
        frame = page.locator(".print-page__frame")
        frame.scroll_into_view_if_needed()
        expect(page.locator("[data-print-hint]")).to_be_visible()
        box = frame.bounding_box()
        y = box["y"] + box["height"] / 3
        cdp = page.context.new_cdp_session(page)

        # A swipe to the left: the next page.
        _touch(cdp, "touchStart", [(box["x"] + 320, y)])
        _touch(cdp, "touchMove", [(box["x"] + 200, y)])
        _touch(cdp, "touchMove", [(box["x"] + 60, y)])
        _touch(cdp, "touchEnd", [])
        expect(page).to_have_url(re.compile(r"/trang-2/#trang$"))
        expect(page.locator("[data-print-hint]")).to_be_visible()

        # A double tap: zoomed around the finger, the large picture loaded.
        frame = page.locator(".print-page__frame")
        frame.scroll_into_view_if_needed()
        box = frame.bounding_box()
        at = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 3)
        for _ in range(2):
            _touch(cdp, "touchStart", [at])
            _touch(cdp, "touchEnd", [])
            page.wait_for_timeout(80)
        expect(frame).to_have_class(re.compile("is-zoomed"))
        page.wait_for_function(
            "() => document.querySelector('.print-page__image')"
            ".currentSrc.includes('-desktop')"
        )
        widths = frame.evaluate("f => [f.scrollWidth, f.clientWidth]")
        assert widths[0] > 2 * widths[1]
        screenshot(page, "print-issue-zoomed-phone")

        # Zoomed, a swipe pans the page instead of turning it.
        _touch(cdp, "touchStart", [(box["x"] + 320, at[1])])
        _touch(cdp, "touchMove", [(box["x"] + 60, at[1])])
        _touch(cdp, "touchEnd", [])
        page.wait_for_timeout(300)
        expect(page).to_have_url(re.compile(r"/trang-2/#trang$"))
    finally:
        context.close()
    assert not watch.problems, "\n".join(watch.problems)
