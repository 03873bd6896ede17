"""The reader's print edition: latest issues, the calendar, an issue page by
page, search without diacritics; kept pages follow every write."""

from datetime import date

from django.urls import reverse

from editions.models import Issue
from tests.base import NewsroomTestCase
from tests.factories import make_issue

# Issue pages: the issue, its pages; then site settings and sections
# (masthead, navigation, footer).
ISSUE_PAGE_QUERIES = 4


class PrintReaderTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.older = make_issue(
            date(2026, 2, 27), 5120, ["Trang nhất tháng Hai", "Ruộng muối Ba Tri"]
        )
        cls.issue = make_issue(
            date(2026, 3, 2),
            5123,
            [
                "Báo Dừa Xanh. Mặn xâm nhập sớm.",
                "Công tác dân vận ở ấp Phú Hòa: cán bộ đến từng nhà.",
                "Thể thao: đua ghe ngo.",
            ],
        )
        cls.special = make_issue(date(2026, 3, 5), 5125, ["Số đặc biệt"])
        cls.same_day = make_issue(date(2026, 3, 5), 5126, ["Phụ san cuối tuần"])
        cls.hidden = make_issue(
            date(2026, 3, 3), 5124, ["Dân vận chưa duyệt"], is_published=False
        )
        cls.pending = Issue.objects.create(
            date=date(2026, 3, 4), number=9999, pdf="bao-in/pdf/x.pdf"
        )

    def test_the_index_shows_the_latest_front_pages_and_the_newest_month(self):
        with self.assertPageQueries(6):
            response = self.client.get("/bao-in/")
        html = response.content.decode()
        self.assertEqual(response.status_code, 200)
        self.assertLess(html.index("Số 5126"), html.index("Số 5123"))
        self.assertLess(html.index("Số 5123"), html.index("Số 5120"))
        self.assertNotIn("Số 5124", html)  # hidden by the editor
        self.assertNotIn("Số 9999", html)  # pages not made yet
        self.assertIn(self.issue.pages.get(number=1).thumb.url, html)
        self.assertIn("Lịch báo in tháng 03/2026", html)
        self.assertIn(f'href="{self.issue.get_absolute_url()}"', html)
        # Two issues on the 5th: the day lists them.
        self.assertIn('href="/bao-in/2026/03/05/"', html)
        self.assertIn('href="/bao-in/2026/02/"', html)  # the month before
        self.assertIn("Báo in", html)

    def test_a_month_lists_its_issues_and_links_the_months_around(self):
        with self.assertPageQueries(5):
            response = self.client.get("/bao-in/2026/02/")
        self.assertContains(response, "Báo in tháng 02/2026")
        self.assertContains(response, "Số 5120")
        self.assertNotContains(response, "Số 5123")
        self.assertContains(response, 'href="/bao-in/2026/03/"')
        empty = self.client.get("/bao-in/2025/07/")
        self.assertContains(empty, "Không có số báo in nào trong tháng này.")
        self.assertContains(empty, 'href="/bao-in/2026/02/"')
        self.assertEqual(self.client.get("/bao-in/2026/13/").status_code, 404)

    def test_a_day_goes_to_its_issue_or_lists_its_issues(self):
        response = self.client.get("/bao-in/2026/03/02/")
        self.assertRedirects(response, self.issue.get_absolute_url())
        with self.assertPageQueries(5):
            both = self.client.get("/bao-in/2026/03/05/")
        self.assertContains(both, "Số 5125")
        self.assertContains(both, "Số 5126")
        none = self.client.get("/bao-in/2026/03/03/")
        self.assertContains(none, "Không có số báo in nào ngày này", status_code=404)
        self.assertContains(none, "Lịch báo in tháng 03/2026", status_code=404)
        self.assertEqual(self.client.get("/bao-in/2026/02/30/").status_code, 404)

    def test_the_date_picker_goes_to_the_day(self):
        with self.assertPageQueries(0):
            response = self.client.get("/bao-in/chon-ngay/", {"ngay": "2026-03-02"})
        self.assertRedirects(
            response, "/bao-in/2026/03/02/", fetch_redirect_response=False
        )
        self.assertRedirects(
            self.client.get("/bao-in/chon-ngay/", {"ngay": "hôm qua"}),
            "/bao-in/",
            fetch_redirect_response=False,
        )

    def test_an_issue_opens_on_its_front_page_with_the_pdf_and_every_page(self):
        url = self.issue.get_absolute_url()
        self.assertEqual(url, "/bao-in/2026/03/02/so-5123/")
        with self.assertPageQueries(ISSUE_PAGE_QUERIES):
            response = self.client.get(url)
        html = response.content.decode()
        first = self.issue.pages.get(number=1)
        self.assertIn(f'src="{first.jpeg.url}"', html)
        self.assertIn(f"{first.phone.url} 800w, {first.desktop.url} 1600w", html)
        self.assertIn('width="1600" height="2264"', html)
        self.assertIn(f'href="{self.issue.pdf.url}" download', html)
        self.assertIn("Tải bản PDF (2,3", html)
        self.assertIn("Trang 1/3", html)
        self.assertIn(
            'rel="next" href="/bao-in/2026/03/02/so-5123/trang-2/#trang"', html
        )
        self.assertNotIn('rel="prev" href', html)
        for page in self.issue.pages.all():
            self.assertIn(page.thumb.url, html)
        self.assertIn("Báo Dừa Xanh. Mặn xâm nhập sớm.", html)  # its text
        self.assertNotIn("Công tác dân vận", html)  # the next page's
        self.assertIn("editions/reader.js", html)

    def test_each_page_has_its_address_and_neighbours(self):
        url = reverse("editions:issue_page", args=[2026, 3, 2, 5123, 2])
        with self.assertPageQueries(ISSUE_PAGE_QUERIES):
            response = self.client.get(url)
        self.assertContains(response, "Trang 2/3")
        self.assertContains(
            response, 'rel="prev" href="/bao-in/2026/03/02/so-5123/#trang"'
        )
        self.assertContains(
            response, 'rel="next" href="/bao-in/2026/03/02/so-5123/trang-3/#trang"'
        )
        self.assertContains(response, "Công tác dân vận ở ấp Phú Hòa")
        self.assertContains(response, 'aria-current="page"><img', count=1)
        last = self.client.get(self.issue.page_url(3))
        self.assertNotContains(last, 'rel="next" href')
        self.assertRedirects(
            self.client.get("/bao-in/2026/03/02/so-5123/trang-1/"),
            "/bao-in/2026/03/02/so-5123/",
            status_code=301,
        )
        for missing in (
            "/bao-in/2026/03/02/so-5123/trang-4/",
            "/bao-in/2026/03/02/so-5123/trang-0/",
            "/bao-in/2026/03/01/so-5123/",
            self.hidden.get_absolute_url(),
            self.pending.get_absolute_url(),
        ):
            self.assertEqual(self.client.get(missing).status_code, 404, missing)

    def test_reader_pages_only_read(self):
        self.assertEqual(
            self.client.post(self.issue.get_absolute_url()).status_code, 405
        )
        self.assertEqual(self.client.post("/bao-in/").status_code, 405)

    def test_search_finds_words_without_diacritics_and_names_issue_and_page(self):
        with self.assertPageQueries(4):
            response = self.client.get("/bao-in/tim-kiem/", {"q": "dan van"})
        html = response.content.decode()
        self.assertIn("1 trang báo có “dan van”", html)
        self.assertIn("Số 5123, trang 2", html)
        self.assertIn(f'href="{self.issue.page_url(2)}#trang"', html)
        self.assertIn("Công tác <mark>dân vận</mark> ở ấp Phú Hòa", html)
        self.assertNotIn("chưa duyệt", html)  # the hidden issue's page
        # A phrase: the words in this order, side by side.
        self.assertContains(
            self.client.get("/bao-in/tim-kiem/", {"q": "van dan"}),
            "Không trang báo in nào có những chữ này",
        )
        self.assertContains(
            self.client.get("/bao-in/tim-kiem/", {"q": "RUỘNG MUỐI"}),
            "Số 5120, trang 2",
        )
        with self.assertPageQueries(2):
            empty = self.client.get("/bao-in/tim-kiem/", {"q": "  ?! "})
        self.assertContains(empty, "Hãy nhập ít nhất một chữ để tìm.")
        self.assertEqual(
            self.client.get(
                "/bao-in/tim-kiem/", {"q": "dan", "trang": "9"}
            ).status_code,
            404,
        )

    def test_a_change_in_the_admin_reaches_kept_pages_at_once(self):
        self.assertContains(self.client.get("/bao-in/"), "Số 5123")
        self.assertContains(self.client.get(self.issue.get_absolute_url()), "Số 5123")
        self.client.force_login(self.chief)
        self.client.post(
            reverse("admin:editions_issue_change", args=[self.issue.pk]),
            {"date": "02/03/2026", "number": "5123", "is_published": ""},
        )
        self.client.logout()
        self.assertNotContains(self.client.get("/bao-in/"), "Số 5123")
        self.assertEqual(
            self.client.get(self.issue.get_absolute_url()).status_code, 404
        )

    def test_a_page_saved_from_a_shell_purges_its_issue_and_the_search(self):
        url = self.issue.page_url(3)
        self.assertContains(self.client.get(url), "đua ghe ngo")
        self.assertNotContains(
            self.client.get("/bao-in/tim-kiem/", {"q": "bong chuyen"}), "Số 5123"
        )
        page = self.issue.pages.get(number=3)
        page.text = "Thể thao: bóng chuyền bãi biển."
        with self.committed():
            page.save()
        self.assertContains(self.client.get(url), "bóng chuyền bãi biển")
        self.assertContains(
            self.client.get("/bao-in/tim-kiem/", {"q": "bong chuyen"}),
            "Số 5123, trang 3",
        )

    def test_every_page_links_the_print_edition(self):
        response = self.client.get("/")
        self.assertContains(response, 'href="/bao-in/"', count=2)
