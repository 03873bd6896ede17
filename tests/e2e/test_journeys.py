"""The reader's, the moderator's and the editor's journeys, in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from articles.text import fold

from .conftest import DESKTOP, PHONE, screenshot, sign_in

pytestmark = pytest.mark.e2e


class ReaderAndModeratorJourneyTests:
    def test_a_reader_comments_and_a_moderator_approves(self, site, open_page):
        reader = open_page(PHONE)
        reader.goto(site.base_url + "/")
        screenshot(reader, "journey-home-phone")
        lead_story = reader.locator(".front__lead .card__title a")
        title = lead_story.inner_text()
        lead_story.click()
        expect(reader.locator("h1")).to_have_text(title)

        # The same story through search, typed without diacritics as on a phone.
        reader.goto(site.base_url + "/")
        query = fold(" ".join(title.split()[:4]))
        search_box = reader.get_by_role("searchbox").first
        search_box.fill(query)
        search_box.press("Enter")
        expect(reader.locator("main")).to_contain_text(f"“{query}”")
        screenshot(reader, "journey-search-phone")
        reader.get_by_role("link", name=title, exact=True).first.click()

        expect(reader.locator("h1")).to_have_text(title)
        expect(reader.locator(".story__lead")).to_be_visible()
        expect(reader.locator(".figure--lead img")).to_have_attribute(
            "alt", re.compile(r"\w")
        )
        expect(reader.locator(".figure--lead figcaption")).to_be_visible()
        expect(reader.locator(".story__byline")).to_have_text(re.compile(r"^(Tin|Bài)"))
        expect(reader.locator(".story__source")).to_contain_text("Nguồn:")
        screenshot(reader, "journey-article-phone")

        body = "Bài viết hay, mong tòa soạn tiếp tục đưa tin về quê tôi."
        reader.get_by_role("textbox", name="Bình luận", exact=True).fill(body)
        reader.get_by_label("Họ tên", exact=True).fill("Nguyễn Thị Bé Ba")
        reader.get_by_label("Email", exact=True).fill("beba@example.com")
        reader.get_by_role("button", name="Gửi bình luận").click()
        expect(reader.get_by_role("status")).to_contain_text("đang chờ kiểm duyệt")
        expect(reader.locator("#binh-luan")).not_to_contain_text(body)
        article_url = reader.url.split("#")[0]

        moderator = open_page(PHONE)
        sign_in(moderator, site, "kiemduyet")
        moderator.goto(site.base_url + "/quan-tri/comments/comment/")
        row = moderator.locator("#result_list tbody tr", has_text=body[:40])
        row.locator("input.action-select").check()
        moderator.select_option("select[name=action]", "approve")
        moderator.click("button[name=index]")
        expect(moderator.locator(".messagelist")).to_contain_text(
            "Đã duyệt 1 bình luận"
        )
        screenshot(moderator, "journey-moderation-phone")

        reader.goto(article_url)
        expect(reader.locator(".comments__list")).to_contain_text(body)
        expect(reader.locator("body")).not_to_contain_text("beba@example.com")


def _photo_bytes() -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1200, 800), (40, 110, 160))
    ImageDraw.Draw(image).ellipse([450, 250, 750, 550], fill=(250, 220, 120))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def _choose_autocomplete(page, field_id: str, text: str = "") -> str:
    """Pick the first match in a Django admin autocomplete (select2) box."""
    page.click(f"#{field_id} + .select2 .select2-selection")
    search = page.locator(".select2-container--open .select2-search__field")
    search.fill(text)
    option = page.locator(".select2-results__option--highlighted")
    expect(option).to_be_visible()
    chosen = option.inner_text()
    search.press("Enter")
    return chosen


class EditorJourneyTests:
    def test_the_chief_editor_writes_and_publishes_a_complete_article(
        self, site, open_page
    ):
        page = open_page(DESKTOP)
        # The chief editor both writes and publishes; desk editors only approve.
        sign_in(page, site, "tongbientap")

        page.goto(site.base_url + "/quan-tri/articles/photo/add/")
        page.set_input_files(
            "#id_image",
            files=[
                {
                    "name": "le-hoi.jpg",
                    "mimeType": "image/jpeg",
                    "buffer": _photo_bytes(),
                }
            ],
        )
        page.fill("#id_caption", "Đại biểu dự lễ khánh thành cầu mới ở xã An Hiệp")
        page.fill(
            "#id_alt_text", "Cây cầu bê tông mới bắc qua con rạch, hai bên là hàng dừa"
        )
        page.click("input[name=_continue]")
        photo_id = re.search(r"/photo/(\d+)/change/", page.url).group(1)

        page.goto(site.base_url + "/quan-tri/articles/article/add/")
        title = "Khánh thành cầu mới nối đôi bờ rạch ở xã An Hiệp"
        page.locator("#id_title").press_sequentially(title)
        expect(page.locator("#id_slug")).to_have_value(
            "khanh-thanh-cau-moi-noi-doi-bo-rach-o-xa-an-hiep"
        )
        _choose_autocomplete(page, "id_section", "Thời")
        page.fill(
            "#id_lead", "DXO – Sáng 20-11, xã An Hiệp khánh thành cây cầu bê tông mới."
        )

        editor = page.locator(".ProseMirror:visible").first
        editor.click()
        page.keyboard.type("Cây cầu dài 60 mét giúp bà con ")
        page.keyboard.press("Control+b")
        page.keyboard.type("đi lại thuận tiện")
        page.keyboard.press("Control+b")
        page.keyboard.type(". Xem thêm trên cổng tỉnh")
        for _ in range(len("cổng tỉnh")):
            page.keyboard.press("Shift+ArrowLeft")
        page.click("button[title='Chèn liên kết']")
        page.fill(".prose-editor-dialog input[name=href]", "https://bentre.gov.vn")
        page.click(".prose-editor-dialog button[type=submit]")

        page.fill("#id_tags", "giao thông, Bến Tre")
        page.fill("#id_lead_photo", photo_id)
        page.fill("#id_source_name", "Baoduaxanh.vn")
        contributor = _choose_autocomplete(page, "id_credits-0-contributor")
        page.check("#id_credits-0-roles_0")  # text
        page.check("#id_credits-0-roles_1")  # photo
        screenshot(page, "journey-editor-desktop")
        page.click("input[name=_continue]")
        expect(page.locator(".messagelist")).to_contain_text("thành công")
        page.click("button[name=_transition][value=publish]")
        expect(page.locator(".workflow-state")).to_contain_text("Đã xuất bản")

        page.click("a.viewsitelink")
        expect(page.locator("h1")).to_have_text(title)
        expect(page.locator(".story__body strong")).to_have_text("đi lại thuận tiện")
        expect(page.locator(".story__body a")).to_have_attribute(
            "href", "https://bentre.gov.vn"
        )
        expect(page.locator(".figure--lead figcaption")).to_contain_text(
            "Đại biểu dự lễ khánh thành cầu mới"
        )
        expect(page.locator(".story__byline")).to_have_text(f"Tin, ảnh: {contributor}")
        expect(page.locator(".story__source")).to_contain_text("Baoduaxanh.vn")
        screenshot(page, "journey-editor-article-desktop")
