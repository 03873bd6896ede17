"""axe-core finds no serious or critical problem on the reader's pages."""

import pytest

from .conftest import DESKTOP, PHONE, axe_violations, screenshot

pytestmark = pytest.mark.e2e

SIZES = {"phone": PHONE, "desktop": DESKTOP}


def _reader_pages(site, page) -> dict[str, str]:
    page.goto(site.base_url + "/")
    article = page.locator(".front__lead .card__title a").get_attribute("href")
    section = page.locator(".sections-nav a").nth(1).get_attribute("href")
    return {
        "home": "/",
        "section": section,
        "article": article,
        "search": "/tim-kiem?q=dan+van",
    }


@pytest.mark.parametrize("size", SIZES)
class AccessibilityTests:
    def test_reader_pages_have_no_serious_violations(self, site, open_page, size):
        page = open_page(SIZES[size])
        problems = []
        for name, path in _reader_pages(site, page).items():
            page.goto(site.base_url + path)
            screenshot(page, f"{name}-{size}")
            problems += [f"{name}: {violation}" for violation in axe_violations(page)]
        assert not problems, "\n".join(problems)

    def test_the_comment_form_with_errors_has_no_serious_violations(
        self, site, open_page, size
    ):
        page = open_page(SIZES[size])
        page.goto(site.base_url + _reader_pages(site, page)["article"])
        page.get_by_role("button", name="Gửi bình luận").click()
        page.wait_for_selector(".field__error")
        screenshot(page, f"comment-errors-{size}")
        assert not axe_violations(page)
