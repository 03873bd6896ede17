import unicodedata
from datetime import timedelta
from unittest import mock

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.search import Query, exact_token, highlight, search, search_lines
from tests.base import NewsroomTestCase, article_form_data
from tests.factories import (
    ArticleFactory,
    ContributorFactory,
    CreditFactory,
    SectionFactory,
)

NOW = timezone.now()


def _ago(hours: int):
    return NOW - timedelta(hours=hours)


class SearchTextTests(NewsroomTestCase):
    def test_both_tone_placements_and_decomposed_input_give_one_token(self):
        for old, new in (("hòa", "hoà"), ("thủy", "thuỷ"), ("khỏe", "khoẻ")):
            with self.subTest(word=old):
                self.assertEqual(exact_token(old), exact_token(new))
                self.assertEqual(
                    exact_token(unicodedata.normalize("NFD", old)), exact_token(old)
                )

    def test_words_that_fold_alike_keep_distinct_exact_tokens(self):
        tokens = {exact_token(word) for word in ("bán", "bạn", "ban", "bàn", "bận")}
        self.assertEqual(len(tokens), 5)
        self.assertEqual(exact_token("Đồng"), exact_token("đồng"))
        self.assertNotEqual(exact_token("đồng"), exact_token("dong"))

    def test_each_field_is_its_own_line_so_phrases_stop_at_its_edges(self):
        folded, _exact = search_lines(
            title="Tre ở Bến",
            lead="Bến Tre",
            body_html="<p>Dân&nbsp;vận <b>khéo</b></p>",
        )
        self.assertEqual(folded, " tre o ben \n ben tre \n dan van kheo ")

    def test_highlight_marks_the_phrase_in_the_original_spelling(self):
        html = highlight("Tỉnh Bến Tre <mới>", Query.parse("ben tre"))
        self.assertEqual(html, "Tỉnh <mark>Bến Tre</mark> &lt;mới&gt;")

    def test_highlight_keeps_its_place_after_a_mark_that_folds_away(self):
        # "x" with an acute has no precomposed form: the mark stays a
        # character of its own, and folds to nothing.
        html = highlight("x\u0301 Bến Tre", Query.parse("ben tre"))
        self.assertEqual(html, "x\u0301 <mark>Bến Tre</mark>")

    def test_a_snippet_is_cut_around_the_first_match(self):
        text = "Mở đầu. " * 30 + "Hội nghị dân vận khéo năm nay. " + "Kết. " * 30
        snippet = highlight(text, Query.parse("dan van"), width=80)
        self.assertIn("<mark>dân vận</mark>", snippet)
        self.assertTrue(snippet.startswith("… "))
        self.assertLess(len(snippet), 120)


class SearchTests(NewsroomTestCase):
    """A corpus with the traps Vietnamese search falls into."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.politics = SectionFactory(name="Chính trị", slug="chinh-tri")
        cls.economy = SectionFactory(name="Kinh tế", slug="kinh-te")

        def make(**kwargs):
            kwargs.setdefault("lead", "DXO – Tin trong tỉnh.")
            return ArticleFactory(**kwargs)

        cls.ben_tre_title = make(
            title="Bến Tre đón khách du lịch", section=cls.economy, published_at=_ago(5)
        )
        cls.ben_tre_lead = make(
            title="Mùa dừa",
            lead="Nông dân Bến Tre vào vụ thu hoạch.",
            section=cls.economy,
            published_at=_ago(1),
        )
        cls.ben_tre_body = make(
            title="Chợ nổi",
            body="<p>Thương lái từ <strong>Bến</strong> Tre lên chợ.</p>",
            published_at=_ago(2),
        )
        cls.tre_o_ben = make(title="Tre ở Bến Lức xanh tốt", published_at=_ago(3))
        cls.split_fields = make(
            title="Về miền Bến", lead="Tre làng năm ấy.", published_at=_ago(4)
        )
        cls.dan_van = make(
            title="Tổng kết công tác dân vận",
            section=cls.politics,
            published_at=_ago(30),
        )
        cls.ban_hang = make(title="Mùa bán hàng Tết", published_at=_ago(6))
        cls.ban_be = make(title="Người bạn của nông dân", published_at=_ago(7))
        cls.ban_lam_viec = make(title="Họp ban chỉ đạo", published_at=_ago(8))
        cls.hoa_old = make(title="Hòa giải ở cơ sở", published_at=_ago(9))
        cls.hoa_new = make(title="Hoà nhập cộng đồng", published_at=_ago(10))
        cls.thuy = make(title="Thuỷ lợi nội đồng", published_at=_ago(11))
        cls.draft = make(
            title="Bến Tre bản nháp",
            status=Article.Status.DRAFT,
            published_at=None,
        )
        cls.future = make(title="Bến Tre ngày mai", published_at=NOW + timedelta(1))

    def _found(self, q: str, queryset=None) -> list[Article]:
        return list(search(queryset or Article.objects.published(), Query.parse(q)))

    def test_a_query_without_diacritics_finds_the_accented_words(self):
        found = self._found("dan van")
        self.assertEqual(found, [self.dan_van])

    def test_a_phrase_does_not_match_its_words_in_another_order_or_field(self):
        found = self._found("ben tre")
        self.assertNotIn(self.tre_o_ben, found)
        self.assertNotIn(self.split_fields, found)
        self.assertCountEqual(
            found, [self.ben_tre_title, self.ben_tre_lead, self.ben_tre_body]
        )

    def test_a_name_of_common_syllables_is_found_only_where_it_is_written_whole(self):
        # Each syllable is everywhere; the name, once (PostgreSQL narrows by
        # the word pairs "nguyenvan", "vanhung").
        named = ArticleFactory(
            title="Gương sáng",
            body="<p>Ông Nguyễn Văn Hùng ở xã Phú Lễ hiến đất làm đường.</p>",
        )
        scattered = ArticleFactory(
            title="Hùng và Văn", body="<p>Nguyễn, Văn và Hùng là ba người.</p>"
        )
        found = self._found("nguyen van hung")
        self.assertIn(named, found)
        self.assertNotIn(scattered, found)

    def test_titles_rank_above_leads_above_bodies_whatever_their_age(self):
        found = self._found("Bến Tre")
        self.assertEqual(
            found, [self.ben_tre_title, self.ben_tre_lead, self.ben_tre_body]
        )

    def test_decomposed_and_upper_case_input_find_the_same_articles(self):
        nfd = unicodedata.normalize("NFD", "BẾN TRE")
        self.assertEqual(self._found(nfd), self._found("bến tre"))

    def test_both_tone_placements_find_both_spellings(self):
        for query in ("hòa", "hoà", "hoa"):
            with self.subTest(query=query):
                self.assertCountEqual(self._found(query), [self.hoa_old, self.hoa_new])
        self.assertEqual(self._found("thủy lợi"), [self.thuy])

    def test_the_exact_spelling_comes_first_then_newest(self):
        self.assertEqual(
            self._found("bạn"), [self.ban_be, self.ban_hang, self.ban_lam_viec]
        )
        self.assertEqual(
            self._found("bán"), [self.ban_hang, self.ban_be, self.ban_lam_viec]
        )
        # Without diacritics, the unaccented spelling is the exact one.
        self.assertEqual(
            self._found("ban"), [self.ban_lam_viec, self.ban_hang, self.ban_be]
        )
        # One token for both tone placements: they tie, and the newer comes first.
        self.assertEqual(self._found("hoà"), [self.hoa_old, self.hoa_new])

    def test_a_title_that_opens_with_the_word_ties_with_other_titles(self):
        readers = ArticleFactory(title="Bạn đọc hỏi", published_at=_ago(20))
        self.assertEqual(
            self._found("bạn"),
            [self.ban_be, readers, self.ban_hang, self.ban_lam_viec],
        )

    def test_readers_never_find_drafts_or_scheduled_articles(self):
        found = self._found("ben tre")
        self.assertNotIn(self.draft, found)
        self.assertNotIn(self.future, found)

    def test_a_query_without_words_finds_nothing(self):
        self.assertEqual(self._found(" ,.; "), [])

    def test_the_page_filters_by_section_and_dates_and_highlights(self):
        url = reverse("articles:search")
        response = self.client.get(url, {"q": "ben tre", "chuyen_muc": "kinh-te"})
        self.assertContains(response, "<mark>Bến Tre</mark> đón khách du lịch")
        self.assertContains(response, "Nông dân <mark>Bến Tre</mark> vào vụ")
        self.assertNotContains(response, "Chợ nổi")
        day = timezone.localdate(_ago(30))
        response = self.client.get(
            url, {"q": "dan van", "tu": day.isoformat(), "den": day.isoformat()}
        )
        self.assertContains(response, "công tác <mark>dân vận</mark>")
        response = self.client.get(url, {"q": "dan van", "tu": timezone.localdate()})
        self.assertContains(response, "0 kết quả")

    def test_a_section_takes_in_its_subsections_but_a_subsection_only_itself(self):
        farming = SectionFactory(
            name="Nông nghiệp", slug="nong-nghiep", parent=self.economy
        )
        orchards = ArticleFactory(
            title="Vườn dừa Bến Tre", section=farming, published_at=_ago(12)
        )
        url = reverse("articles:search")
        response = self.client.get(url, {"q": "ben tre", "chuyen_muc": "kinh-te"})
        self.assertContains(response, "3 kết quả")
        self.assertContains(response, orchards.get_absolute_url())
        response = self.client.get(url, {"q": "ben tre", "chuyen_muc": "nong-nghiep"})
        self.assertContains(response, "1 kết quả")
        self.assertContains(response, orchards.get_absolute_url())

    def test_bad_filters_get_vietnamese_errors_not_a_500(self):
        url = reverse("articles:search")
        response = self.client.get(
            url, {"q": "ben tre", "chuyen_muc": "khong-co", "tu": "hôm qua"}
        )
        self.assertContains(response, "Chuyên mục này không có.")
        self.assertContains(response, "Ngày không hợp lệ")
        response = self.client.get(
            url, {"q": "x", "tu": "2026-02-10", "den": "2026-02-01"}
        )
        self.assertContains(response, "phải trước hoặc bằng")
        self.assertEqual(self.client.get(url, {"q": "a" * 500}).status_code, 200)
        response = self.client.get(url, {"q": "x", "den": "9999-12-31"})
        self.assertContains(response, "từ năm 1900 đến 2100")

    def test_results_are_paginated_keeping_the_query(self):
        with self.settings(ARTICLES_PER_PAGE=2):
            response = self.client.get(reverse("articles:search"), {"q": "ben tre"})
            self.assertContains(response, "?q=ben+tre&amp;trang=2")
            page_two = self.client.get(
                reverse("articles:search"), {"q": "ben tre", "trang": 2}
            )
        self.assertContains(page_two, "Chợ nổi")
        self.assertNotContains(page_two, "đón khách du lịch")

    def test_the_search_page_query_count_is_pinned(self):
        url = reverse("articles:search")
        # Site settings, the sections (navigation and filter in one query),
        # the ranked ids, the page's articles: the same on PostgreSQL and SQLite.
        with self.assertPageQueries(4):
            self.assertEqual(self.client.get(url, {"q": "ben tre"}).status_code, 200)
        # ... plus the chosen section and, for a top-level one, its subsections
        with self.assertPageQueries(6):
            response = self.client.get(url, {"q": "ben tre", "chuyen_muc": "kinh-te"})
        self.assertEqual(response.status_code, 200)
        farming = SectionFactory(
            name="Nông nghiệp", slug="nong-nghiep", parent=self.economy
        )
        ArticleFactory(title="Vườn dừa Bến Tre", section=farming)
        with self.assertPageQueries(5):
            response = self.client.get(
                url, {"q": "ben tre", "chuyen_muc": "nong-nghiep"}
            )
        self.assertEqual(response.status_code, 200)
        # No match: no page to fetch.
        with self.assertPageQueries(3):
            self.assertContains(self.client.get(url, {"q": "xeo quit"}), "0 kết quả")


# The newest matches ranked, in tests: three (25 pages of 20 in production).
small_cap = mock.patch("articles.search.MAX_RESULTS", 3)


@small_cap
class SearchCapTests(NewsroomTestCase):
    """A common phrase: only the newest matches are ranked, and readers are
    told there are more, and how to reach older ones."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.politics = SectionFactory(name="Chính trị", slug="chinh-tri")
        cls.economy = SectionFactory(name="Kinh tế", slug="kinh-te")

        def make(title: str, hours: int, **kwargs) -> Article:
            kwargs.setdefault("body", "<p>Cán bộ dân vận về ấp.</p>")
            kwargs.setdefault("section", cls.economy)
            return ArticleFactory(
                title=title, lead="Tin trong tỉnh.", published_at=_ago(hours), **kwargs
            )

        cls.body_1h = make("Về ấp", 1)
        cls.title_2h = make("Dân vận khéo ở Ba Tri", 2)
        cls.body_3h = make("Họp ấp", 3)
        cls.body_4h = make("Mùa nước nổi", 4)
        cls.title_old = make("Dân vận ở cù lao", 50, section=cls.politics)
        cls.url = reverse("articles:search")

    def test_the_newest_matches_are_ranked_and_older_ones_left_out(self):
        found = search(Article.objects.published(), Query.parse("dan van"))
        self.assertTrue(found.is_capped)
        self.assertEqual(list(found), [self.title_2h, self.body_1h, self.body_3h])

    def test_at_the_cap_the_count_is_exact(self):
        self.body_4h.delete()
        self.title_old.delete()
        found = search(Article.objects.published(), Query.parse("dan van"))
        self.assertFalse(found.is_capped)
        self.assertEqual(len(found), 3)
        response = self.client.get(self.url, {"q": "dan van"})
        self.assertContains(response, "3 kết quả cho “dan van”")
        self.assertNotContains(response, "Hơn")

    def test_readers_are_told_there_are_more_and_how_to_find_older(self):
        with self.settings(ARTICLES_PER_PAGE=2):
            response = self.client.get(self.url, {"q": "dan van"})
        self.assertContains(response, "Hơn 3 kết quả cho “dan van”")
        self.assertContains(response, "Chỉ liệt kê 3 bài mới nhất có từ khóa này")
        self.assertContains(response, "hãy chọn chuyên mục hoặc khoảng ngày")
        self.assertContains(response, "Trang 1 / 2")
        self.assertContains(response, "?q=dan+van&amp;trang=2")

    def test_the_last_page_stops_at_the_cap(self):
        with self.settings(ARTICLES_PER_PAGE=2):
            response = self.client.get(self.url, {"q": "dan van", "trang": 2})
        self.assertContains(response, "Họp ấp")
        self.assertContains(response, "Trang 2 / 2")
        self.assertNotContains(response, 'rel="next"')

    def test_a_page_past_the_cap_explains_itself_with_a_404(self):
        with self.settings(ARTICLES_PER_PAGE=2):
            response = self.client.get(self.url, {"q": "dan van", "trang": 3})
        self.assertContains(
            response, "Chỉ xem được 2 trang kết quả đầu tiên.", status_code=404
        )
        self.assertContains(response, "?q=dan+van&amp;trang=2", status_code=404)
        self.assertContains(response, "Hơn 3 kết quả cho “dan van”", status_code=404)
        self.assertNotContains(response, "Mùa nước nổi", status_code=404)

    def test_other_missing_pages_are_plain_404s(self):
        for params in ({"q": "ben tre", "trang": 2}, {"q": "dan van", "trang": "x"}):
            with self.subTest(params=params):
                response = self.client.get(self.url, params)
                self.assertEqual(response.status_code, 404)
                self.assertNotContains(
                    response, "trang kết quả đầu tiên", status_code=404
                )

    def test_a_section_or_dates_reach_older_matches(self):
        response = self.client.get(
            self.url, {"q": "dan van", "chuyen_muc": "chinh-tri"}
        )
        self.assertContains(response, "1 kết quả cho “dan van”")
        self.assertContains(response, "<mark>Dân vận</mark> ở cù lao")
        day = timezone.localdate(_ago(50)).isoformat()
        response = self.client.get(self.url, {"q": "dan van", "den": day})
        self.assertContains(response, "<mark>Dân vận</mark> ở cù lao")
        self.assertNotContains(response, "Hơn")

    def test_a_capped_search_page_keeps_its_query_count(self):
        with self.assertPageQueries(4):
            response = self.client.get(self.url, {"q": "dan van"})
        self.assertContains(response, "Hơn 3 kết quả")
        # Past the cap: the page's articles are not fetched.
        with self.assertPageQueries(3):
            response = self.client.get(self.url, {"q": "dan van", "trang": 9})
        self.assertEqual(response.status_code, 404)


class SnippetTests(NewsroomTestCase):
    def test_a_match_only_in_the_body_shows_the_body_around_it(self):
        ArticleFactory(
            title="Người giữ lửa",
            lead="Tổ hòa giải được khen thưởng.",
            body="<p>Mở đầu.</p><p>Ông là cán bộ <em>dân vận</em> lâu năm.</p>",
        )
        response = self.client.get(reverse("articles:search"), {"q": "dan van"})
        self.assertContains(response, "Ông là cán bộ <mark>dân vận</mark> lâu năm.")
        self.assertNotContains(response, "Tổ hòa giải được khen thưởng.")


class PhraseRankingTests(NewsroomTestCase):
    """A phrase is its words in order, in one field: the same words scattered
    are no match, however many and however new; an exact spelling ranks first."""

    def _found(self, q: str) -> list[Article]:
        return list(search(Article.objects.published(), Query.parse(q)))

    def test_scattered_words_never_outrank_the_phrase_or_match_at_all(self):
        phrase = ArticleFactory(
            title="Gương sáng ở Phú Lễ",
            body="<p>Ông Nguyễn Văn Hùng hiến đất làm đường.</p>",
            published_at=_ago(40),
        )
        for hours in (1, 2):
            # Both pairs of the name, and all its words, in every field.
            ArticleFactory(
                title="Hùng, Văn và Nguyễn",
                lead="Nguyễn, Văn và Hùng là ba người.",
                body="<p>Anh Nguyễn Văn Tâm và chị Lê Văn Hùng cùng họp.</p>",
                published_at=_ago(hours),
            )
        self.assertEqual(self._found("nguyen van hung"), [phrase])
        self.assertEqual(self._found("Nguyễn Văn Hùng"), [phrase])

    def test_a_long_phrase_needs_its_words_in_order_not_just_its_parts(self):
        # Every run of three words of the phrase, but never all five in a row.
        parts = ArticleFactory(
            title="Xây dựng nông thôn",
            lead="Nông thôn mới ở xã Hòa Lộc.",
            body="<p>Xây dựng nông thôn nâng cao; dựng nông thôn mới kiểu mẫu.</p>",
            published_at=_ago(1),
        )
        whole = ArticleFactory(
            title="Hội nghị",
            body="<p>Tỉnh tiếp tục xây dựng nông thôn mới kiểu mẫu.</p>",
            published_at=_ago(2),
        )
        self.assertEqual(self._found("xay dung nong thon moi"), [whole])
        self.assertEqual(self._found("xây dựng nông thôn mới kiểu mẫu"), [whole])
        self.assertIn(parts, self._found("xay dung nong thon"))

    def test_the_exact_phrase_in_a_body_ranks_above_a_folded_one_in_a_title(self):
        folded_title = ArticleFactory(
            title="Xay dung nong thon moi khong dau", published_at=_ago(1)
        )
        exact_body = ArticleFactory(
            title="Hội nghị",
            body="<p>Quyết tâm xây dựng nông thôn mới.</p>",
            published_at=_ago(30),
        )
        self.assertEqual(
            self._found("xây dựng nông thôn mới"), [exact_body, folded_title]
        )
        # Without diacritics, the unaccented spelling is the exact one.
        self.assertEqual(
            self._found("xay dung nong thon moi"), [folded_title, exact_body]
        )


@small_cap
class SearchAcrossTheYearsTests(NewsroomTestCase):
    """PostgreSQL reads matches a slice of weeks at a time, newest first: the
    window is the same whatever the slices it spans."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.section = SectionFactory(name="Kinh tế", slug="kinh-te")
        cls.other = SectionFactory(name="Chính trị", slug="chinh-tri")
        cls.by_age = {
            days: ArticleFactory(
                title=f"Tin số {days}",
                body="<p>Giá dừa khô tăng mạnh.</p>",
                section=cls.section if days in (9, 45, 1000, 3500) else cls.other,
                published_at=NOW - timedelta(days=days),
            )
            # Today, and in each slice of SLICE_WEEKS, and before them all.
            for days in (0, 9, 45, 200, 1000, 3500, 7000)
        }
        cls.old_title = ArticleFactory(
            title="Giá dừa khô năm ấy",
            section=cls.other,
            published_at=NOW - timedelta(days=4000),
        )

    def _found(self, q: str = "gia dua kho", **scope) -> list[Article]:
        return search(Article.objects.published(), Query.parse(q), **scope)

    def test_the_newest_matches_are_ranked_whatever_their_weeks(self):
        found = self._found()
        self.assertTrue(found.is_capped)
        self.assertEqual(list(found), [self.by_age[d] for d in (0, 9, 45)])

    def test_with_room_for_all_every_week_is_read(self):
        with mock.patch("articles.search.MAX_RESULTS", 20):
            found = self._found()
        self.assertFalse(found.is_capped)
        # The old title first, then the bodies newest first.
        self.assertEqual(
            list(found),
            [self.old_title]
            + [self.by_age[d] for d in (0, 9, 45, 200, 1000, 3500, 7000)],
        )

    def test_dates_and_sections_narrow_every_slice(self):
        found = self._found(
            since=NOW - timedelta(days=1500), until=NOW - timedelta(days=100)
        )
        self.assertEqual(list(found), [self.by_age[200], self.by_age[1000]])
        self.assertFalse(found.is_capped)
        found = self._found(sections=[self.section.pk])
        self.assertEqual(list(found), [self.by_age[d] for d in (9, 45, 1000)])
        self.assertTrue(found.is_capped)
        found = self._found(sections=[self.other.pk], since=NOW - timedelta(days=50))
        self.assertEqual(list(found), [self.by_age[0]])


class SearchFollowsWritesTests(NewsroomTestCase):
    """An editor's publication or edit is found by the next search."""

    def setUp(self):
        self.client.force_login(self.chief)
        self.url = reverse("articles:search")
        self.article = ArticleFactory(
            title="Khánh thành cầu Rạch Miễu 2",
            status=Article.Status.APPROVED,
            published_at=None,
            created_by=self.reporter,
        )
        CreditFactory(article=self.article, contributor=ContributorFactory())

    def _save(self, **changes):
        self.article.refresh_from_db()
        response = self.client.post(
            reverse("admin:articles_article_change", args=[self.article.pk]),
            article_form_data(self.article, **changes),
        )
        self.assertEqual(response.status_code, 302)

    def test_a_publication_and_an_edit_are_found_at_once(self):
        self.assertContains(self.client.get(self.url, {"q": "rach mieu"}), "0 kết quả")
        self._save(_transition="publish")
        response = self.client.get(self.url, {"q": "cau rach mieu 2"})
        self.assertContains(response, "1 kết quả")
        self._save(title="Thông xe cầu Hàm Luông")
        self.assertContains(self.client.get(self.url, {"q": "rach mieu"}), "0 kết quả")
        response = self.client.get(self.url, {"q": "thông xe cầu hàm luông"})
        self.assertContains(response, "<mark>Thông xe cầu Hàm Luông</mark>")

    def test_a_moved_article_is_found_in_its_new_section_only(self):
        self._save(_transition="publish")
        old = self.article.section
        new = SectionFactory(name="Giao thông", slug="giao-thong")
        self._save(section=new.pk)
        for section, expected in ((new, "1 kết quả"), (old, "0 kết quả")):
            response = self.client.get(
                self.url, {"q": "rach mieu", "chuyen_muc": section.slug}
            )
            self.assertContains(response, expected)

    def test_a_very_long_body_or_word_still_saves_and_its_start_is_found(self):
        words = [f"tu{n}" for n in range(30_000)]
        self._save(body=f"<p>Mở đầu {'x' * 300} bài rất dài. {' '.join(words)}</p>")
        self._save(_transition="publish")
        response = self.client.get(self.url, {"q": "mở đầu"})
        self.assertContains(response, "1 kết quả")
