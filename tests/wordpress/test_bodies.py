from unittest import mock

from django.test import SimpleTestCase

from wordpress.content import autop, convert, parse_credit_line

from .export import ImportTestCase, post, wxr


class BodyTests(SimpleTestCase):
    def test_blank_lines_make_paragraphs_and_single_breaks_br(self):
        self.assertEqual(autop("Một\nhai\n\nBa"), "<p>Một<br>\nhai</p>\n<p>Ba</p>")

    def test_block_elements_are_not_wrapped(self):
        body = convert("Trước\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\nSau")
        self.assertEqual(
            body.html, "<p>Trước</p><ul>\n<li>a</li>\n<li>b</li>\n</ul><p>Sau</p>"
        )

    def test_gutenberg_block_comments_are_dropped(self):
        body = convert(
            '<!-- wp:heading {"level":2} -->\n<h2>Tít</h2>\n<!-- /wp:heading -->'
            "\n\n<!-- wp:paragraph -->\n<p>Đoạn</p>\n<!-- /wp:paragraph -->"
        )
        self.assertEqual(body.html, "<h2>Tít</h2><p>Đoạn</p>")

    def test_a_picture_inside_a_paragraph_goes_after_it(self):
        body = convert('Đoạn một <img src="/a.jpg" alt="A"> tiếp.\n\nĐoạn hai.')
        self.assertEqual(body.html, "<p>Đoạn một  tiếp.</p><p>Đoạn hai.</p>")
        self.assertEqual([(n, ref.src) for n, ref in body.photos], [(1, "/a.jpg")])

    def test_credit_lines(self):
        cases = {
            "Tin, ảnh: Thu Huyền": ([("Thu Huyền", ["text", "photo"])], "news"),
            "Bài, ảnh: Hữu Hiệp": ([("Hữu Hiệp", ["text", "photo"])], "feature"),
            "Bài: Hữu Hiệp - Ảnh: Thu Huyền - Minh Thư": (
                [
                    ("Hữu Hiệp", ["text"]),
                    ("Thu Huyền", ["photo"]),
                    ("Minh Thư", ["photo"]),
                ],
                "feature",
            ),
            "Tin: Thu Huyền, Hữu Hiệp": (
                [("Thu Huyền", ["text"]), ("Hữu Hiệp", ["text"])],
                "news",
            ),
        }
        for line, expected in cases.items():
            with self.subTest(line):
                credits, kind = parse_credit_line(line)
                self.assertEqual(([(n, list(r)) for n, r in credits], kind), expected)

    def test_ordinary_sentences_are_not_credit_lines(self):
        for line in [
            "Tin vui: năm nay được mùa 2024",
            "Hôm nay: trời mưa",
            "Ông nói: “Chúng tôi sẽ cố gắng hết sức trong thời gian tới”",
        ]:
            with self.subTest(line):
                self.assertIsNone(parse_credit_line(line))

    def test_the_source_line_is_taken_off_the_body(self):
        body = convert("Nội dung.\n\n(Nguồn: TTXVN)")
        self.assertEqual((body.html, body.source_name), ("<p>Nội dung.</p>", "TTXVN"))


class ProgressTests(ImportTestCase):
    def test_it_prints_one_line_per_batch_when_not_on_a_terminal(self):
        with mock.patch("wordpress.services.importer.PROGRESS_EVERY", 2):
            out = self.run_import(wxr(*(post(n) for n in range(1, 6))))
        self.assertIn(
            "2/10 records read (two passes)\n4/10 records read (two passes)\n", out
        )


class PictureLineTests(SimpleTestCase):
    def test_a_picture_on_its_own_line_leaves_no_stray_breaks(self):
        body = convert('Đoạn một\n<img src="/a.jpg">\nvẫn đoạn một')
        self.assertEqual(body.html, "<p>Đoạn một<br>\nvẫn đoạn một</p>")
        self.assertEqual([n for n, _ref in body.photos], [1])
