import re

from tests.base import NewsroomTestCase
from tests.factories import ArticleFactory

HOSTILE = [
    '<p>Xin chào<script>alert("x")</script></p>',
    '<p><img src="x" onerror="alert(1)">ảnh</p>',
    '<p><a href="javascript:alert(1)">bấm vào đây</a></p>',
    '<p><a href="JaVaScRiPt:alert(1)">bấm</a></p>',
    '<p onclick="alert(1)" style="background:url(javascript:alert(1))">đoạn</p>',
    '<iframe src="https://example.com"></iframe><p>nhúng</p>',
    '<svg onload="alert(1)"><p>svg</p></svg>',
    '<p><a href="data:text/html;base64,PHNjcmlwdD4=">dữ liệu</a></p>',
    "<object data='x.swf'></object><embed src='x'><p>plugin</p>",
    '<form action="https://evil.example"><input name="q"></form><p>form</p>',
]


class BodySanitisingTests(NewsroomTestCase):
    def test_hostile_html_never_reaches_the_database_or_a_reader(self):
        for html in HOSTILE:
            with self.subTest(html=html):
                article = ArticleFactory(body=html)
                article.refresh_from_db()
                response = self.client.get(article.get_absolute_url())
                page = response.content.decode()
                # The page's own four scripts, and nothing else, may remain:
                # the JSON-LD data block, the read-count beacon, the share
                # buttons' helper and the comment forms' tokens.
                page, trusted = re.subn(
                    r'<script type="application/ld\+json">[^<]*</script>'
                    r'|<script src="/static/js/read\.js" defer data-beacon='
                    r'"/doc/\d+/"></script>'
                    r'|<script src="/static/js/story\.js" defer></script>'
                    r'|<script src="/static/comments/tokens\.js" defer></script>',
                    "",
                    page,
                )
                self.assertEqual(trusted, 4)
                for stored in (article.body, page):
                    lowered = stored.lower()
                    self.assertNotIn("<script", lowered)
                    self.assertNotIn("onerror", lowered)
                    self.assertNotIn("onload", lowered)
                    self.assertNotIn("onclick", lowered)
                    self.assertNotIn("javascript:", lowered)
                    self.assertNotIn("<iframe", lowered)
                    self.assertNotIn("data:text/html", lowered)
                    self.assertNotIn("<object", lowered)
                    self.assertNotIn('<form action="https://evil', lowered)

    def test_the_editors_formatting_survives(self):
        html = (
            "<h2>Tiêu đề phụ</h2><p><strong>Đậm</strong>, <em>nghiêng</em>, "
            '<a href="https://baodongkhoi.vn/bai">liên kết</a></p>'
            "<ul><li>một</li></ul><blockquote><p>trích dẫn</p></blockquote>"
        )
        article = ArticleFactory(body=html)
        article.refresh_from_db()
        for fragment in (
            "<h2>Tiêu đề phụ</h2>",
            "<strong>Đậm</strong>",
            "<em>nghiêng</em>",
            'href="https://baodongkhoi.vn/bai"',
            "<li>một</li>",
            "<blockquote>",
        ):
            self.assertIn(fragment, article.body)

    def test_it_sanitises_on_every_save_not_only_in_the_admin_form(self):
        article = ArticleFactory()
        article.body = "<p>sửa</p><script>steal()</script>"
        article.save()
        article.refresh_from_db()
        self.assertEqual(article.body, "<p>sửa</p>")
