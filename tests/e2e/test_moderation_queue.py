"""The moderator's queue on a 1366 × 768 laptop screen."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import screenshot, sign_in

pytestmark = pytest.mark.e2e

LAPTOP = {"width": 1366, "height": 768}


class ModerationQueueTests:
    def test_the_queue_fits_a_laptop_and_sorts_by_spam_score(self, site, open_page):
        page = open_page(LAPTOP)
        sign_in(page, site, "kiemduyet")
        page.goto(site.base_url + "/quan-tri/comments/comment/")
        rows = page.locator("#result_list tbody tr")
        expect(rows.first).to_be_visible()
        # The default view is the comments waiting for a decision.
        expect(page.locator("#changelist-filter li.selected").first).to_have_text(
            "Chờ duyệt"
        )
        screenshot(page, "moderation-queue-laptop")

        # Every column is on screen, with no sideways scrolling.
        widths = page.evaluate(
            """() => ({
                page: document.documentElement.scrollWidth,
                table: document.querySelector('#result_list')
                    .getBoundingClientRect().right,
                results: document.querySelector('.results').scrollWidth
                    - document.querySelector('.results').clientWidth,
            })"""
        )
        assert widths["page"] <= LAPTOP["width"], widths
        assert widths["table"] <= LAPTOP["width"], widths
        assert widths["results"] == 0, widths
        # A row is as tall as its text and one line of buttons, no more.
        tall = page.evaluate(
            """() => Array.from(document.querySelectorAll('#result_list tbody tr'))
                .map((row) => {
                    const text = row.querySelector('.comment-text');
                    const actions = row.querySelector('.moderation-actions');
                    const reason = row.querySelector('.comment-reason');
                    const needed = text.getBoundingClientRect().height
                        + actions.getBoundingClientRect().height
                        + (reason ? reason.getBoundingClientRect().height : 0);
                    return row.getBoundingClientRect().height - needed;
                })
                .filter((spare) => spare > 60)"""
        )
        assert tall == [], tall

        # Sorted by spam score on request, the most suspect first.
        page.get_by_role("link", name="Điểm rác").click()
        # The sorted list is a new page: read it once it has come.
        expect(page).to_have_url(re.compile(r"[?&]o="))
        expect(rows.first).to_be_visible()
        scores = [
            int(text) if text.isdigit() else -1
            for text in page.locator("#result_list td.field-score").all_inner_texts()
        ]
        assert scores == sorted(scores, reverse=True), scores
        assert max(scores) >= 40, "the demo's spam comment should score high"
        screenshot(page, "moderation-queue-by-score-laptop")
