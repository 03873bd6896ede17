from articles.models import Article, Photo, Section

from .export import ImportTestCase, attachment, category, meta, post, wxr

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<rss><channel><item><title>&lol4;</title></item></channel></rss>
"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss><channel><item><title>&xxe;</title></item></channel></rss>
"""


class HostileExportTests(ImportTestCase):
    def refused(self, xml: str) -> str:
        from django.core.management.base import CommandError

        with self.assertRaises(CommandError) as raised:
            self.run_import(xml)
        return str(raised.exception)

    def test_it_refuses_a_billion_laughs_file(self):
        self.assertIn("EntitiesForbidden", self.refused(BILLION_LAUGHS))
        self.assertFalse(Article.objects.exists())

    def test_it_refuses_external_entities(self):
        self.assertIn("Forbidden", self.refused(EXTERNAL_ENTITY))

    def test_it_refuses_broken_xml_before_writing_anything(self):
        broken = wxr(category(1, "thoi-su", "Thời sự"), post(1))[:-40]
        self.assertIn("ParseError", self.refused(broken))
        self.assertFalse(Section.objects.exists())
        self.assertIn("REFUSED", (self.tmp / "report.txt").read_text())

    def test_scripts_in_titles_and_bodies_are_removed(self):
        self.run_import(
            wxr(
                post(
                    1,
                    "<script>alert(1)</script>Tin <b>nóng</b>",
                    '<p onclick="x()">A<script>alert(2)</script></p>'
                    '<a href="javascript:alert(3)">b</a><iframe src="https://x"></iframe>',
                    excerpt="<img src=x onerror=alert(4)>Sapo",
                )
            )
        )
        article = Article.objects.get()
        self.assertEqual(article.title, "alert(1)Tin nóng")
        self.assertNotIn("script", article.body)
        self.assertNotIn("javascript", article.body)
        self.assertNotIn("onclick", article.body)
        self.assertNotIn("iframe", article.body)
        self.assertEqual(article.lead, "Sapo")

    def test_paths_outside_the_media_folder_are_never_read(self):
        (self.tmp / "secret.jpg").write_bytes(b"not for you")
        self.picture("../outside.jpg")
        out = self.run_import(
            wxr(
                attachment(20, "../outside.jpg"),
                attachment(21, "/etc/passwd.jpg"),
                post(1, extra=meta("_thumbnail_id", 20)),
            )
        )
        self.assertFalse(Photo.objects.exists())
        self.assertIn("attachment 20: ../outside.jpg", out)
        self.assertTrue(Article.objects.exists())

    def test_one_failing_item_is_reported_and_the_rest_imported(self):
        out = self.run_import(
            wxr(post("abc"), post(2), post(3, "x" * 300, slug="dai")),
        )
        self.assertIn("post abc", out)
        self.assertEqual(Article.objects.count(), 2)
        self.assertEqual(len(Article.objects.get(slug="dai").title), 250)

    def test_a_corrupt_picture_is_reported_not_fatal(self):
        path = self.media / "2024/05/hong.jpg"
        path.parent.mkdir(parents=True)
        path.write_bytes(b"\xff\xd8\xff garbage")
        for args in [("--dry-run",), ()]:
            with self.subTest(args):
                out = self.run_import(
                    wxr(attachment(20, "2024/05/hong.jpg"), post(1)), *args
                )
                self.assertIn("attachment 20:", out)
                self.assertIn("attachment: failed 1", out)
        self.assertEqual(Article.objects.count(), 1)
