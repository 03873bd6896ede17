"""What a client gets wrong is answered with a 400 and a Vietnamese reason in
JSON, never a 500; only GET and HEAD are answered."""

from urllib.parse import quote

from django.core import signing
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory, SectionFactory

LIST = "/api/v1/articles/"
BAD_CURSOR = "Tham số “cursor” không hợp lệ: hãy bắt đầu lại từ trang đầu."


class BadFilterTests(NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        SectionFactory(slug="thoi-su")
        ArticleFactory.create_batch(3, tags=["Bến Tre"])

    def refused(self, query: str, reason: str, url: str = LIST):
        response = self.client.get(f"{url}?{query}")
        self.assertEqual(response.status_code, 400, query)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(response["Access-Control-Allow-Origin"], "*")
        self.assertEqual(response.json(), {"detail": reason}, query)

    def test_bad_dates_are_refused(self):
        bad_date = "Tham số “{}” phải là một ngày dạng YYYY-MM-DD, từ năm 1900."
        for query in ("from=2026-13-01", "from=hôm-nay", "from=0001-01-01"):
            self.refused(query, bad_date.format("from"))
        for query in ("to=31/12/2026", "to=9999-12-31", "to="):
            self.refused(query, bad_date.format("to"))
        self.refused(
            "from=2026-03-02&to=2026-03-01", "Ngày “to” phải từ ngày “from” trở đi."
        )

    def test_what_a_filter_names_must_exist(self):
        self.refused("section=khong-co", "Không có chuyên mục “khong-co”.")
        self.refused("tag=khong-co", "Không có từ khóa “khong-co”.")
        self.refused("contributor=ai-do", "Không có tác giả “ai-do”.")
        # What cannot be a slug never reaches the database (PostgreSQL
        # refuses a NUL character rather than find nothing).
        for value in ("%00", "th%E1%BB%9Di-s%E1%BB%B1", "a%2Fb", "a b"):
            self.refused(
                f"section={value}",
                "Tham số “section” phải là slug của một chuyên mục.",
            )
        self.refused("tag=%00", "Tham số “tag” phải là slug của một từ khóa.")
        self.refused(
            "contributor=%00", "Tham số “contributor” phải là slug của một tác giả."
        )
        self.assertEqual(self.client.get(f"{LIST}?section=&tag=").status_code, 200)

    def test_a_reference_that_cannot_be_a_slug_is_a_404(self):
        for url in ("/api/v1/articles/%00/", "/api/v1/contributors/%00x/"):
            response = self.client.get(url)
            self.assertEqual(response.status_code, 404, url)
            self.assertIn("Không có", response.json()["detail"])

    def test_page_sizes_out_of_range_are_refused(self):
        reason = "Tham số “page_size” phải là một số nguyên từ 1 đến 100."
        for size in ("0", "101", "-1", "mười", "2.5", "99999999999999999999999"):
            self.refused(f"page_size={size}", reason)
            self.refused(f"page_size={size}", reason, url="/api/v1/tags/")
        self.assertEqual(self.client.get(f"{LIST}?page_size=100").status_code, 200)

    def test_forged_mangled_and_foreign_cursors_are_refused(self):
        first = self.client.get(f"{LIST}?page_size=1").json()
        cursor = first["next"].split("cursor=")[1]
        tags = self.client.get("/api/v1/tags/?page_size=1").json()
        self.assertIsNone(tags["next"])  # one tag only: a cursor made by hand
        tag_cursor = signing.Signer(salt="api.cursor.tags").sign_object(["a"])
        forged = signing.Signer(key="not-our-key", salt="api.cursor.articles")
        for bad in (
            "abc",
            cursor[:-3] + "xyz",
            tag_cursor,
            forged.sign_object(["2026-01-01T00:00:00+00:00", 1]),
            signing.Signer(salt="api.cursor.articles").sign_object({"a": 1}),
            signing.Signer(salt="api.cursor.articles").sign_object(["hôm qua", "x"]),
            "x" * 600,
            "%E1%BA%A1",
        ):
            with self.subTest(bad):
                self.refused(f"cursor={bad}", BAD_CURSOR)
        self.refused(f"cursor={cursor}", BAD_CURSOR, url="/api/v1/tags/")

    def test_a_query_needs_a_word_and_a_bound(self):
        self.refused("q=%21%21%21", "Từ khóa tìm kiếm phải có ít nhất một chữ hoặc số.")
        self.refused("q=" + "a" * 201, "Từ khóa tìm kiếm dài quá 200 ký tự.")
        self.assertEqual(self.client.get(f"{LIST}?q=").status_code, 200)


class MethodTests(NewsroomTestCase):
    def test_only_get_and_head_are_answered(self):
        article = ArticleFactory()
        urls = [
            "/api/v1/",
            LIST,
            f"{LIST}{article.pk}/",
            "/api/v1/sections/",
            "/api/v1/tags/",
            "/api/v1/contributors/",
            "/api/v1/schema/",
        ]
        for url in urls:
            with self.subTest(url):
                head = self.client.head(url)
                self.assertEqual(head.status_code, 200)
                self.assertEqual(head.content, b"")
                for method in ("post", "put", "patch", "delete", "options"):
                    response = getattr(self.client, method)(url)
                    self.assertEqual(response.status_code, 405, method)
                    self.assertEqual(
                        set(response["Allow"].split(", ")), {"GET", "HEAD"}
                    )


# Any character but lone surrogates, which no client can send as UTF-8.
anything = st.text(st.characters(exclude_categories=["Cs"]), max_size=60)


class FilterFuzzTests(HypothesisTestCase, NewsroomTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        SectionFactory(slug="thoi-su")
        ArticleFactory(tags=["Bến Tre"])

    @settings(max_examples=150, deadline=None)
    @given(
        params=st.dictionaries(
            st.sampled_from(
                [
                    "section",
                    "tag",
                    "contributor",
                    "from",
                    "to",
                    "q",
                    "cursor",
                    "page_size",
                    "khac",
                ]
            ),
            st.one_of(anything, st.dates().map(str), st.integers().map(str)),
            max_size=4,
        ),
        url=st.sampled_from([LIST, "/api/v1/tags/", "/api/v1/contributors/"]),
    )
    def test_any_query_is_answered_with_json_never_a_server_error(self, params, url):
        response = self.client.get(url, params)
        self.assertIn(response.status_code, (200, 400))
        self.assertIn(
            "detail" if response.status_code == 400 else "items", response.json()
        )

    @settings(max_examples=60, deadline=None)
    @given(ref=anything.filter(lambda ref: "/" not in ref and ref.strip()))
    def test_any_reference_is_an_article_or_a_404(self, ref):
        for url in ("/api/v1/articles/{}/", "/api/v1/contributors/{}/"):
            response = self.client.get(url.format(quote(ref, safe="")))
            self.assertIn(response.status_code, (200, 404), ref)
