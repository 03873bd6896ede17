"""/api/v1/print-issues/: the issues readers may open, newest first, a page at
a time by cursor, and one issue with every page; kept and purged like the
reader's print edition pages."""

from datetime import date

from django.core import signing
from django.test import Client
from django.urls import reverse

from editions.models import Issue
from editions.services import issue_delete
from tests.base import NewsroomTestCase
from tests.factories import make_issue

LIST = "/api/v1/print-issues/"
BAD_DATE = "Tham số “{}” phải là một ngày dạng YYYY-MM-DD, từ năm 1900."
MISSING = "Không có số báo in này, hoặc số báo chưa hiện cho bạn đọc."


class PrintIssueTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.older = make_issue(date(2026, 2, 27), 5120, ["Ruộng muối Ba Tri"])
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
            date(2026, 3, 3), 5124, ["Chưa duyệt"], is_published=False
        )
        cls.pending = Issue.objects.create(
            date=date(2026, 3, 4), number=9999, pdf="bao-in/pdf/x.pdf"
        )

    def numbers(self, query: str = "") -> list[int]:
        response = self.client.get(f"{LIST}?{query}")
        self.assertEqual(response.status_code, 200, response.content)
        return [item["number"] for item in response.json()["items"]]

    def test_it_lists_the_visible_issues_newest_first(self):
        self.assertEqual(self.numbers(), [5126, 5125, 5123, 5120])

    def test_an_item_has_its_page_its_pdf_and_its_front_page_pictures(self):
        [item] = [
            i for i in self.client.get(LIST).json()["items"] if i["id"] == self.issue.pk
        ]
        cover = self.issue.pages.get(number=1)
        self.assertEqual(
            {key: value for key, value in item.items() if key != "cover"},
            {
                "id": self.issue.pk,
                "date": "2026-03-02",
                "number": 5123,
                "label": "Số 5123 ngày 02/03/2026",
                "canonical_url": "http://testserver/bao-in/2026/03/02/so-5123/",
                "api_url": f"http://testserver{LIST}{self.issue.pk}/",
                "pdf_url": "http://testserver/media/bao-in/pdf/so-5123.pdf",
                "pdf_size": 2_400_000,
                "page_count": 3,
            },
        )
        # The reader's index shows the thumbnail; the larger ones are there too.
        self.assertEqual(
            item["cover"],
            [
                {
                    "url": f"http://testserver{cover.thumb.url}",
                    "width": 240,
                    "height": 340,
                    "format": "webp",
                },
                {
                    "url": f"http://testserver{cover.phone.url}",
                    "width": 800,
                    "height": 1132,
                    "format": "webp",
                },
                {
                    "url": f"http://testserver{cover.jpeg.url}",
                    "width": 800,
                    "height": 1132,
                    "format": "jpeg",
                },
                {
                    "url": f"http://testserver{cover.desktop.url}",
                    "width": 1600,
                    "height": 2264,
                    "format": "webp",
                },
            ],
        )
        self.assertEqual(self.client.get(item["canonical_url"]).status_code, 200)
        self.assertEqual(self.client.get(item["api_url"]).status_code, 200)

    def test_an_issue_has_every_page_with_its_address_pictures_and_text(self):
        response = self.client.get(f"{LIST}{self.issue.pk}/")
        self.assertEqual(response.status_code, 200)
        issue = response.json()
        self.assertEqual(issue["number"], 5123)
        self.assertEqual(
            issue["pdf_url"], "http://testserver/media/bao-in/pdf/so-5123.pdf"
        )
        pages = issue["pages"]
        self.assertEqual([page["number"] for page in pages], [1, 2, 3])
        self.assertEqual(
            [page["url"] for page in pages],
            [
                "http://testserver/bao-in/2026/03/02/so-5123/",
                "http://testserver/bao-in/2026/03/02/so-5123/trang-2/",
                "http://testserver/bao-in/2026/03/02/so-5123/trang-3/",
            ],
        )
        self.assertEqual(
            pages[1]["text"], "Công tác dân vận ở ấp Phú Hòa: cán bộ đến từng nhà."
        )
        second = self.issue.pages.get(number=2)
        self.assertEqual(
            [(p["url"], p["width"], p["format"]) for p in pages[1]["pictures"]],
            [
                (f"http://testserver{second.thumb.url}", 240, "webp"),
                (f"http://testserver{second.phone.url}", 800, "webp"),
                (f"http://testserver{second.jpeg.url}", 800, "jpeg"),
                (f"http://testserver{second.desktop.url}", 1600, "webp"),
            ],
        )
        self.assertEqual(issue["cover"], pages[0]["pictures"])
        for page in pages:
            self.assertEqual(self.client.get(page["url"]).status_code, 200)

    def test_hidden_unprocessed_and_unknown_issues_are_a_json_404(self):
        for ref in (self.hidden.pk, self.pending.pk, 10**6, "abc", "%00", 10**30):
            response = self.client.get(f"{LIST}{ref}/")
            self.assertEqual(response.status_code, 404, ref)
            self.assertEqual(response.json(), {"detail": MISSING}, ref)

    def test_pages_follow_the_cursor_to_the_end(self):
        first = self.client.get(f"{LIST}?page_size=3").json()
        self.assertEqual([i["number"] for i in first["items"]], [5126, 5125, 5123])
        self.assertTrue(first["next"].startswith(f"http://testserver{LIST}?"))
        # An issue made meanwhile neither repeats nor pushes one off.
        make_issue(date(2026, 3, 6), 5127, ["Mới"])
        second = self.client.get(first["next"]).json()
        self.assertEqual([i["number"] for i in second["items"]], [5120])
        self.assertIsNone(second["next"])
        # Two issues of one day are told apart by their number.
        one = self.client.get(
            f"{LIST}?page_size=1&from=2026-03-05&to=2026-03-05"
        ).json()
        self.assertEqual([i["number"] for i in one["items"]], [5126])
        two = self.client.get(one["next"]).json()
        self.assertEqual([i["number"] for i in two["items"]], [5125])
        self.assertIsNone(two["next"])

    def test_dates_filter_by_day_of_issue(self):
        self.assertEqual(self.numbers("from=2026-03-02"), [5126, 5125, 5123])
        self.assertEqual(self.numbers("to=2026-03-02"), [5123, 5120])
        self.assertEqual(self.numbers("from=2026-03-02&to=2026-03-04"), [5123])
        self.assertEqual(self.numbers("from=2026-03-03&to=2026-03-03"), [])

    def test_bad_dates_cursors_and_page_sizes_are_refused_in_vietnamese(self):
        def refused(query: str, reason: str):
            response = self.client.get(f"{LIST}?{query}")
            self.assertEqual(response.status_code, 400, query)
            self.assertEqual(response.json(), {"detail": reason}, query)

        for query in ("from=2026-13-01", "from=hôm-nay", "from=0001-01-01"):
            refused(query, BAD_DATE.format("from"))
        for query in ("to=31/12/2026", "to=9999-12-31", "to="):
            refused(query, BAD_DATE.format("to"))
        refused(
            "from=2026-03-02&to=2026-03-01", "Ngày “to” phải từ ngày “from” trở đi."
        )
        refused(
            "page_size=101", "Tham số “page_size” phải là một số nguyên từ 1 đến 100."
        )
        bad_cursor = "Tham số “cursor” không hợp lệ: hãy bắt đầu lại từ trang đầu."
        # Mangled, or the article list's: each list reads its own cursors only.
        foreign = signing.Signer(salt="api.cursor.articles").sign_object(
            ["2026-03-02T08:00:00+07:00", 1]
        )
        for cursor in ("abc", "W10:1vZ", foreign):
            refused(f"cursor={cursor}", bad_cursor)
        mangled = signing.Signer(salt="api.cursor.print-issues").sign_object(
            ["hôm qua", 5123]
        )
        refused(f"cursor={mangled}", bad_cursor)

    def test_the_list_and_an_issue_cost_two_queries_each(self):
        for n in range(25):
            make_issue(date(2025, 1, 1 + n), 4000 + n, ["Một", "Hai"])
        # The issues, their front pages.
        with self.assertPageQueries(2):
            response = self.client.get(f"{LIST}?page_size=20")
        self.assertEqual(len(response.json()["items"]), 20)
        with self.assertPageQueries(2):
            self.client.get(response.json()["next"])
        # The issue, its pages.
        with self.assertPageQueries(2):
            self.client.get(f"{LIST}{self.issue.pk}/")

    def test_answers_are_kept_under_the_reader_pages_keys(self):
        detail = f"{LIST}{self.issue.pk}/"
        for url, key in (
            (LIST, "print-issues"),
            (detail, f"print-issue:{self.issue.pk}"),
        ):
            self.client.get(url)
            with self.assertNumQueries(0):
                kept = Client().get(url)
            self.assertEqual(kept["X-Page-Cache"], "hit", url)
            self.assertIn(key, kept["xkey"].split())
            self.assertEqual(kept["Access-Control-Allow-Origin"], "*")

    def test_a_change_in_the_admin_reaches_the_answers_at_once(self):
        detail = f"{LIST}{self.issue.pk}/"
        self.client.get(LIST)
        self.client.get(detail)
        self.assertIn(5123, self.numbers())
        chief = self.client_class()
        chief.force_login(self.chief)
        response = chief.post(
            reverse("admin:editions_issue_change", args=[self.issue.pk]),
            {"date": "02/03/2026", "number": "5123", "is_published": ""},
        )
        self.assertEqual(response.status_code, 302)
        self.assertNotIn(5123, self.numbers())
        self.assertEqual(self.client.get(detail).status_code, 404)

    def test_a_page_saved_from_a_shell_and_a_deleted_issue_reach_the_answers(self):
        detail = f"{LIST}{self.issue.pk}/"
        self.assertIn("đua ghe ngo", self.client.get(detail).json()["pages"][2]["text"])
        page = self.issue.pages.get(number=3)
        page.text = "Thể thao: bóng chuyền bãi biển."
        with self.committed():
            page.save()
        self.assertEqual(
            self.client.get(detail).json()["pages"][2]["text"],
            "Thể thao: bóng chuyền bãi biển.",
        )
        self.assertIn(5120, self.numbers())
        with self.committed():
            issue_delete(issue=self.older)
        self.assertNotIn(5120, self.numbers())


class IndexTests(NewsroomTestCase):
    def test_the_index_links_the_print_issues(self):
        index = self.client.get("/api/v1/").json()
        self.assertEqual(index["print_issues"], f"http://testserver{LIST}")
